import ESEFormat

extension PageTimeMismatch {
    /// `{"page", "pageTime", "timeBefore", "timeAfter", "position", "recordType", "code", "jetError", "deferred"}`;
    /// `pageTime` null for an all-zero page, `timeBefore` null for a new page.
    public var json: JSONValue {
        .object(["page": .number(pageNumber), "pageTime": pageTime.map { .number($0) } ?? .null,
                 "timeBefore": timeBefore.map { .number($0) } ?? .null, "timeAfter": .number(timeAfter),
                 "position": position.json, "recordType": .string(recordType.name), "code": .string(code.rawValue),
                 "jetError": jetError.json, "deferred": .bool(deferred)])
    }
}

extension PageTimeCheck {
    /// `{"pagesReferenced", "pagesCompared", "mismatchCount", "mismatches": […], "first", "notChecked"}`.
    public var json: JSONValue {
        .object(["pagesReferenced": .number(pagesReferenced), "pagesCompared": .number(pagesCompared),
                 "mismatchCount": .number(mismatchCount), "mismatches": .array(mismatches.map(\.json)),
                 "first": first?.json ?? .null, "notChecked": notChecked.map { .string($0) }])
    }
}
