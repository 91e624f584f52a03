import ESEFormat

extension VerdictReason {
    /// `{"code":…, "message":…, "jetError":…, "warning":…}`.
    public var json: JSONValue {
        .object(["code": .string(code), "message": .string(message), "jetError": jetError?.json, "warning": .bool(isWarning)])
    }
}

extension CoverageMap {
    /// `{"complete":…, "checked":N, "expected":N, "missing":[{"first","last"}], "duplicated":[…]}`.
    public var json: JSONValue {
        func ranges(_ list: [ClosedRange<Int>]) -> JSONValue {
            .array(list.map { .object(["first": .number($0.lowerBound), "last": .number($0.upperBound)]) })
        }
        return .object(["complete": .bool(isComplete), "checked": .number(seenCount), "expected": .number(pageCount),
                        "missing": ranges(missing), "duplicated": ranges(duplicated)])
    }
}

extension DatabaseVerdict {
    /// The database object of `ese-verify db`, plus `"verdict"`, `"reasons"`, `"jetError"` and `"coverage"`.
    public var json: JSONValue {
        guard case .object(var pairs) = report.json else { return report.json }
        pairs.insert(("verdict", .string(verdict.rawValue)), at: 1)
        pairs.insert(("reasons", .array(reasons.map(\.json))), at: 2)
        pairs.insert(("jetError", jetError.json), at: 3)
        pairs.append(("coverage", coverage.json))
        return .object(pairs)
    }
}

extension LogCheck {
    /// The log judgement against the databases' needs.
    public var json: JSONValue {
        func ranges(_ list: [ClosedRange<Int32>]) -> JSONValue {
            .array(list.map { .object(["first": .number($0.lowerBound), "last": .number($0.upperBound)]) })
        }
        return .object([
            "requiredLogs": requiredGenerations.map { .object(["min": .number($0.lowerBound), "max": .number($0.upperBound)]) } ?? .null,
            "earliestNeeded": earliestNeeded.map { .number($0) } ?? .null,
            "missingRequired": ranges(missingRequired),
            "damagedNeeded": .array(damagedNeeded.map { .number($0) }),
            "damagedUnnecessary": .array(damagedUnnecessary.map { .number($0) }),
            "onlyUnnecessaryLogsCorrupt": .bool(onlyUnnecessaryLogsCorrupt),
            "jetError": jetError.json,
        ])
    }
}

extension StorageGroupReport {
    /// The document of `ese-verify check --json`.
    public var json: JSONValue {
        .object([
            "schema": .string(reportSchema),
            "verdict": .string(verdict.rawValue),
            "jetError": jetError.json,
            "databases": .array(databases.map(\.json)),
            "logs": logs?.report?.json ?? .null,
            "logCheck": logs?.json ?? .null,
            "problems": .array(problems.map(\.json)),
            "skippedFiles": .array(skippedFiles.map { .string($0) }),
        ])
    }
}
