import ESEFormat

extension VerdictReason {
    /// `{"code":…, "message":…, "jetError":…, "warning":…}`.
    public var json: JSONValue {
        .object(["code": .string(code.rawValue), "message": .string(message), "jetError": jetError?.json, "warning": .bool(isWarning)])
    }
}

extension CoverageMap {
    /// `{"complete":…, "checked":N, "expected":N, "missing":[{"first","last"}], "duplicated":[…],
    /// "conflicting":[…], "conflictingHeaderPages":[…]}`.
    public var json: JSONValue {
        func ranges(_ list: [ClosedRange<Int>]) -> JSONValue {
            .array(list.map { .object(["first": .number($0.lowerBound), "last": .number($0.upperBound)]) })
        }
        return .object(["complete": .bool(isComplete), "checked": .number(seenCount), "expected": .number(pageCount),
                        "missing": ranges(missing), "duplicated": ranges(duplicated),
                        "conflicting": ranges(conflicting), "conflictingHeaderPages": .array(conflictingHeaderPages.map { .number($0) })])
    }
}

extension BackupRecord {
    /// `{"backup":…, "generations":{"low","high"}, "mark":…, "markTime":…, "snapshot":…, "kind":…}`.
    public var json: JSONValue {
        let kindName: String? = kind.map {
            switch $0 {
            case .normal: "normal"
            case .osSnapshot: "osSnapshot"
            case .snapshot: "snapshot"
            case .surrogate: "surrogate"
            }
        }
        return .object(["backup": .string(name),
                        "generations": .object(["low": .number(info.generationLow), "high": .number(info.generationHigh)]),
                        "mark": info.mark.json, "markTime": info.markTime.json, "snapshot": .bool(info.isSnapshot),
                        "kind": kindName.map { .string($0) }])
    }
}

extension CircularLogging {
    /// `{"on":…, "ever":…, "currentLog":{"now","ever"}, "generationsWrittenCircular":[…]}`.
    public var json: JSONValue {
        .object(["on": .bool(isOn), "ever": .bool(wasEverOn),
                 "currentLog": currentLog.map { .object(["now": .bool($0.now), "ever": .bool($0.ever)]) },
                 "generationsWrittenCircular": .array(generationsWrittenCircular.map { .number($0) })])
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
        pairs.append(("backupHistory", .array((report.header?.backupHistory ?? []).map(\.json))))
        pairs.append(("recovery", recovery?.json ?? .null))
        if let pageTimes { pairs.append(("pageTimes", pageTimes.json)) }
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
            "backupStart": backupStart.map { .number($0) },
            "circularLogging": report?.circularLogging.json,
            "temporaryLogs": report.map { set in .array(set.temporaryLogs.map { auxiliaryJSON($0) }) },
            "reserveLogs": report.map { set in .array(set.reserveLogs.map { auxiliaryJSON($0) }) },
            "onlyUnnecessaryLogsCorrupt": .bool(onlyUnnecessaryLogsCorrupt),
            "jetError": jetError.json,
        ])
    }
}

/// A temporary or reserve log in the log check: present, its state, never required.
func auxiliaryJSON(_ file: AuxiliaryLogFile) -> JSONValue {
    .object(["file": .string(file.name.fileName), "present": .bool(file.state != .unreadable), "state": .string(file.state.rawValue),
             "required": .bool(false)])
}

extension StorageGroupReport {
    /// The document of `ese-verify check --json`.
    public var json: JSONValue {
        .object([
            "schema": .string(reportSchema),
            "verdict": .string(verdict.rawValue),
            "jetError": jetError.json,
            "backupType": .string(backupType.rawValue),
            "scope": scope.json,
            "truncateBelow": truncateBelow.map { .number($0) },
            "databases": .array(databases.map(\.json)),
            "logs": logs?.report?.json ?? .null,
            "logCheck": logs?.json ?? .null,
            "problems": .array(problems.map(\.json)),
            "skippedFiles": .array(skippedFiles.map { .string($0) }),
            "skippedFilesBytes": skippedFiles.contains(where: PathEncoding.hasRawBytes)
                ? .array(skippedFiles.map { PathEncoding.hasRawBytes($0) ? .string(PathEncoding.hex($0)) : .null }) : nil,
            "replayPlan": replayPlan?.json ?? .null,
            "remedies": .array(remedies.map(\.json)),
        ])
    }
}
