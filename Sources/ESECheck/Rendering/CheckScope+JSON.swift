extension CheckScope {
    /// `{"complete":…, "skipped":[{"what","reason"}], "pages":{"selection","ranges":[{"first","last"}]}|null}`.
    public var json: JSONValue {
        .object([
            "complete": .bool(isComplete),
            "skipped": .array(skipped.map { .object(["what": .string($0.what.rawValue), "reason": .string($0.reason), "warning": .bool($0.isWarning)]) }),
            "pages": pages.map { selection in
                .object(["selection": .string(selection.origin.rawValue),
                         "ranges": .array(selection.ranges.map { .object(["first": .number($0.lowerBound), "last": .number($0.upperBound)]) })])
            } ?? .null,
        ])
    }

    /// The text report's scope line: `Scope: complete`, or what was not verified.
    public var textLine: String {
        isComplete ? "Scope: complete" : "Scope: PARTIAL, not verified: " + skipped.map { "\($0.what) (\($0.reason))" }.joined(separator: "; ")
    }
}

extension UnstablePage {
    /// `{"page":…, "fileOffset":…, "reads":…, "settled":…}`.
    public var json: JSONValue {
        .object(["page": .number(pageNumber), "fileOffset": .number(fileOffset), "reads": .number(reads), "settled": .bool(settled)])
    }
}
