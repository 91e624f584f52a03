import ESEFormat

/// The JSON schema version written in every report's top-level `"schema"` field.
public let reportSchema = "ese-verify/1"

extension PageCounts {
    /// `{"ok":…, "uninitialized":…, "correctable":…, "badChecksum":…, "wrongPageNumber":…,
    /// "structureDamaged":…, "total":…}`.
    public var json: JSONValue {
        .object(["ok": .number(ok), "uninitialized": .number(uninitialized), "correctable": .number(correctable),
                 "badChecksum": .number(badChecksum), "wrongPageNumber": .number(wrongPageNumber),
                 "structureDamaged": .number(structureDamaged), "total": .number(total)])
    }
}

extension PageFinding {
    /// One finding: page, kind, JET error, bit offset or suspected page, checksums.
    public var json: JSONValue {
        var bit: JSONValue?, suspected: JSONValue?, storedNumber: JSONValue?, structureCheck: JSONValue?
        switch outcome {
        case .structureDamaged(let check): structureCheck = .string(check.description)
        case .correctable(let offset): bit = .number(offset)
        case .badChecksum(let page): suspected = page.map { .number($0) }
        case .wrongPageNumber(let stored): storedNumber = .number(stored)
        default: break
        }
        return .object([
            "page": .number(pageNumber), "kind": .string(outcome.kind.rawValue), "jetError": jetError.json,
            "bit": bit, "suspectedPage": suspected, "storedPageNumber": storedNumber, "structureCheck": structureCheck,
            "fileOffset": .number(fileOffset), "format": .string(format.rawValue),
            "storedChecksum": stored.json, "computedChecksum": computed.json, "databaseTime": .number(databaseTime),
        ])
    }
}

extension FindingRange {
    /// `{"kind":…, "firstPage":…, "lastPage":…, "count":…}`.
    public var json: JSONValue {
        .object(["kind": .string(kind.rawValue), "firstPage": .number(firstPage), "lastPage": .number(lastPage), "count": .number(count)])
    }
}

extension DatabaseHeader {
    /// The header facts a backup tool acts on.
    public var json: JSONValue {
        .object([
            "formatVersion": .string("0x\(String(version, radix: 16)),\(updateMajor),\(updateMinor)"),
            "databaseTime": .number(databaseTime),
            "databaseSignature": databaseSignature.json,
            "logSignature": logSignature.json,
            "consistentPosition": consistentPosition.json, "consistentTime": consistentTime.json,
            "attachPosition": attachPosition.json, "attachTime": attachTime.json,
            "detachPosition": detachPosition.json, "detachTime": detachTime.json,
            "committedGenerationMax": .number(maximumCommittedGeneration),
            "consistentGenerationMin": .number(minimumConsistentGeneration),
            "recoveringGeneration": .number(recoveringGeneration),
            "maxRequiredGenerationCreateTime": maximumRequiredGenerationCreateTime.json,
            "maxCommittedGenerationCreateTime": maximumCommittedGenerationCreateTime.json,
            "fileType": .number(fileTypeValue),
            "shadowed": .bool(isShadowed),
            "backups": .object([
                "previousFull": previousFullBackup.json, "previousIncremental": previousIncrementalBackup.json,
                "previousCopy": previousCopyBackup.json, "previousDifferential": previousDifferentialBackup.json,
                "currentFull": currentFullBackup.json, "currentSnapshot": currentSnapshotBackup.json,
            ]),
        ])
    }
}

extension DatabaseReport {
    /// The per-database object of `ese-verify db --json` (schema `ese-verify/1`). A path that
    /// is not valid UTF-8 is written with U+FFFD in `path` and exactly, in hexadecimal, in
    /// `pathBytes` (absent otherwise).
    public var json: JSONValue {
        let header = self.header
        return .object([
            "path": .string(path),
            "pathBytes": PathEncoding.hasRawBytes(path) ? .string(PathEncoding.hex(path)) : nil,
            "fileSize": .number(fileSize),
            "pageSize": pageSize.map { .number($0) } ?? .null,
            "state": header.map { .string($0.state.name) } ?? .null,
            "requiredLogs": header.map {
                .object(["min": .number($0.minimumRequiredGeneration), "max": .number($0.maximumRequiredGeneration)])
            } ?? .null,
            "primaryHeaderValid": .bool(headers?.primary.isValid ?? false),
            "shadowHeaderValid": .bool(headers?.shadow.isValid ?? false),
            "headersIdentical": .bool(headers?.copiesIdentical ?? false),
            "header": header?.json,
            "pages": pages.json,
            "highestDatabaseTime": tally.highestDatabaseTime.map {
                .object(["value": .number($0.value), "page": .number($0.pageNumber)])
            },
            "findings": .array(tally.findings.map(\.json)),
            "findingsOmitted": .number(tally.findingsOmitted),
            "findingRanges": .array(tally.findingRanges.map(\.json)),
            "findingRangesOmitted": .number(tally.findingRangesOmitted),
            "trailer": trailer.map {
                .object(["physicalPage": .number($0.physicalPage), "valid": .bool($0.checksum.isValid),
                         "storedChecksum": .number($0.checksum.stored), "computedChecksum": .number($0.checksum.computed)])
            },
            "unstablePages": .array(unstablePages.map(\.json)),
            "scope": scope.json,
            "readFailures": .array(readFailures.map(\.json)),
            "errors": .array(errors.map(\.json)),
            "warnings": .array(warnings.map { .string($0) }),
            "bytesRead": .number(bytesRead),
            "resumed": resumedJSON,
            "passed": .bool(passed),
            "size": .object(["dataPages": .number(dataPages), "ownedPages": ownedPages.map { .number($0) } ?? .null,
                             "highestLinkedPage": .number(highestLinkedPage),
                             "truncated": truncation.map { .string($0) } ?? .null]),
            "structure": structure?.json,
            "flushMap": flushMap?.json,
        ])
    }

    /// `{"stateFile", "pages"}` when the run resumed from a state file, else null.
    private var resumedJSON: JSONValue {
        guard let resumed else { return .null }
        return .object(["stateFile": .string(resumed.statePath), "pages": .number(resumed.pages)])
    }
}
