import ESEFormat

extension LogRecordWalk {
    /// The `records` object of a log file in `ese-verify logs --records --json`: `walked` (bytes of
    /// valid log data walked), `count` (records), `byType` (ESE type name → count, zero counts
    /// left out), `firstInvalid` (null when every record is valid), and the facts recovery uses:
    /// `firstRecord`, `lastRecord`, `cleanEnd`, `lastShutDownMark`, `endsWithShutDownMark`, `databases`.
    public var json: JSONValue {
        var byType: [(String, JSONValue)] = []
        for (type, count) in countsByType { byType.append((type.name, .number(count))) }
        return .object([
            "walked": .number(bytesWalked),
            "count": .number(recordsWalked),
            "byType": .object(byType),
            "firstInvalid": firstInvalid?.json ?? .null,
            "firstRecord": firstRecord?.json ?? .null,
            "lastRecord": lastRecord?.json ?? .null,
            "cleanEnd": cleanEnd?.json ?? .null,
            "lastShutDownMark": lastShutDownMark?.json ?? .null,
            "endsWithShutDownMark": .bool(endsWithShutDownMark),
            "databases": .array(databaseRecords.map(\.json)),
            "skippedFragments": .number(skippedFragments),
            "endsInFragment": .bool(endsInFragment),
            "discarded": .number(discardedRecords),
        ])
    }
}

extension InvalidLogRecord {
    /// `{"reason", "type", "typeValue", "position", "sector", "fileOffset", "jetError"}`.
    public var json: JSONValue {
        .object([
            "reason": .string(reason.rawValue), "type": .string(type.name), "typeValue": .number(type.rawValue),
            "position": position.json, "sector": .number(sector), "fileOffset": .number(fileOffset), "jetError": jetError.json,
        ])
    }
}

extension LogRecordLocation {
    /// `{"type", "position", "fileOffset"}`.
    public var json: JSONValue {
        .object(["type": .string(type.name), "position": position.json, "fileOffset": .number(fileOffset)])
    }
}

extension DatabaseLogRecord {
    /// `{"type", "position", "fileOffset", "dbid", "flags", …}` with the fields the record holds.
    public var json: JSONValue {
        .object([
            "type": .string(type.name), "position": position.json, "fileOffset": .number(fileOffset),
            "dbid": .number(databaseID), "flags": .number(flags),
            "databaseSignature": databaseSignature?.json, "logSignature": logSignature?.json,
            "consistentPosition": consistentPosition?.json, "attachPosition": attachPosition?.json,
            "maximumPages": maximumPages.map { .number($0) }, "path": path.map { .string($0) },
        ])
    }
}
