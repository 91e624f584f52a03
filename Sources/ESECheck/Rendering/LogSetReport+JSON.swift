import ESEFormat

extension LogProblem {
    /// `{"code":…, "severity":…, "jetError":…, "message":…, "sector":…}`.
    public var json: JSONValue {
        .object(["code": .string(code.rawValue), "severity": .string(severity.rawValue), "jetError": jetError?.json,
                 "message": .string(message), "sector": sector.map { .number($0) }])
    }
}

extension LogFileReport {
    /// One file of `ese-verify logs --json`.
    public var json: JSONValue {
        .object([
            "file": .string(name.fileName),
            "path": .string(path),
            "pathBytes": PathEncoding.hasRawBytes(path) ? .string(PathEncoding.hex(path)) : nil,
            "generation": generation.map { .number($0) } ?? .null,
            "nameGeneration": name.generation.map { .number($0) } ?? .null,
            "current": .bool(isCurrent),
            "format": format.map { .string($0.rawValue) } ?? .null,
            "headerValid": .bool(headerValid),
            "valid": .bool(isValid),
            "fileSize": .number(fileSize),
            "version": header.map { .string($0.versionText) },
            "createTime": header?.createTime.json,
            "previousGenerationTime": header?.previousGenerationTime.json,
            "checkpointAtCreation": header?.checkpoint.json,
            "circularLogging": header.map { .object(["now": .bool($0.circularLoggingNow), "ever": .bool($0.circularLoggingEver)]) },
            "validSegments": body.map { .number($0.validUnits) },
            "endOfData": body?.endOfData.json,
            "accumulatedChecksum": body.map { $0.format == .v8 ? .string(XEChecksum(rawValue: $0.accumulatedChecksum).description) : .null },
            "problems": .array(problems.map(\.json)),
            "records": records?.json,
        ])
    }
}

extension LogBreak {
    /// `{"after":N, "kind":…, "missing":{"first":N,"last":N}, …}`.
    public var json: JSONValue {
        .object([
            "after": .number(after), "kind": .string(kind.rawValue), "jetError": jetError.json,
            "missing": missing.map { .object(["first": .number($0.lowerBound), "last": .number($0.upperBound)]) },
            "file": file.map { .string($0) }, "expected": expected.map { .string($0) }, "found": found.map { .string($0) },
        ])
    }
}

extension CheckpointReport {
    /// The checkpoint object: generation, position, signature, copies, problems.
    public var json: JSONValue {
        let header = selection?.header
        return .object([
            "file": .string(path),
            "generation": header.map { .number($0.checkpoint.generation) } ?? .null,
            "position": header?.checkpoint.json,
            "signature": header?.logSignature.json,
            "primaryValid": .bool(selection?.primaryValid ?? false),
            "shadowValid": .bool(selection?.shadowValid ?? false),
            "fullBackup": header.flatMap { $0.fullBackupPosition.isZero ? nil : .object(["position": $0.fullBackupPosition.json, "time": $0.fullBackupTime.json]) },
            "incrementalBackup": header.flatMap { $0.incrementalBackupPosition.isZero ? nil : .object(["position": $0.incrementalBackupPosition.json, "time": $0.incrementalBackupTime.json]) },
            "valid": .bool(isValid),
            "problems": .array(problems.map(\.json)),
        ])
    }
}

extension AuxiliaryLogFile {
    /// `{"file":…, "kind":"temporary|reserve", "state":…}`.
    public var json: JSONValue {
        let kind: String
        switch name.kind {
        case .temporary: kind = "temporary"
        default: kind = "reserve"
        }
        return .object(["file": .string(name.fileName), "kind": .string(kind), "state": .string(state.rawValue),
                        "generation": generation.map { .number($0) }, "fileSize": .number(fileSize)])
    }
}

extension LogSetReport {
    /// The `"logs"` object of `ese-verify logs --json`.
    public var json: JSONValue {
        .object([
            "directory": .string(directory),
            "baseName": .string(baseName),
            "generations": generations.map { .object(["first": .number($0.lowerBound), "last": .number($0.upperBound)]) } ?? .null,
            "signature": signature?.json,
            "files": .array(files.map(\.json)),
            "breaks": .array(breaks.map(\.json)),
            "checkpoint": checkpoint?.json ?? .null,
            "auxiliary": .array(auxiliary.map(\.json)),
            "errors": .array(errors.map(\.json)),
            "whole": .bool(isWhole),
            "recovery": replayPlan?.json ?? .null,
            "eseutilML": logDump?.json ?? .null,
        ])
    }
}

extension LogDumpReport {
    /// `{"jetError", "findings":[{"file","jetError","message"}]}`: what `eseutil /ml` would report.
    public var json: JSONValue {
        .object([
            "jetError": jetError.json,
            "findings": .array(findings.map { .object(["file": .string($0.file), "jetError": $0.jetError.json, "message": .string($0.message)]) }),
        ])
    }
}
