import ESEFormat

/// JSON forms of the format's small structures, shared by every report.
extension LogTime {
    /// The eseutil rendering, or null when all bytes are zero.
    public var json: JSONValue { isNull ? .null : .string(description) }
}

extension LogPosition {
    /// `{"generation":…, "sector":…, "byteOffset":…, "text":"(0x…,…,…)"}`.
    public var json: JSONValue {
        .object(["generation": .number(generation), "sector": .number(sector), "byteOffset": .number(byteOffset),
                 "text": .string(description)])
    }
}

extension Signature {
    /// `{"random":…, "creationTime":…, "computerName":…}`.
    public var json: JSONValue {
        .object(["random": .number(random), "creationTime": creationTime.json, "computerName": .string(computerName)])
    }
}

extension BackupInfo {
    /// The backup record, or null when empty.
    public var json: JSONValue {
        guard !isEmpty else { return .null }
        return .object(["generations": .object(["low": .number(generationLow), "high": .number(generationHigh)]),
                        "mark": mark.json, "markTime": markTime.json, "snapshot": .bool(isSnapshot)])
    }
}

extension PageChecksums {
    /// The entries as `0x…` strings.
    public var json: JSONValue { .array(values.map { .string(XEChecksum(rawValue: $0).description) }) }
}

extension JetError {
    /// The numeric code.
    public var json: JSONValue { .number(code) }
}

extension CheckError {
    /// `{"code":…, "message":…, …}` with optional offset, expected, found, errno, jetError, and
    /// `pathBytes` (hexadecimal) when the path is not valid UTF-8.
    public var json: JSONValue {
        .object([
            "code": .string(code.name), "path": .string(path),
            "pathBytes": PathEncoding.hasRawBytes(path) ? .string(PathEncoding.hex(path)) : nil, "message": .string(message),
            "offset": offset.map { .number($0) }, "expected": expected.map { .string($0) },
            "found": found.map { .string($0) }, "errno": cause.map { .number($0.errno) },
            "jetError": jetError?.json,
        ])
    }
}

extension ReadFailure {
    /// `{"offset":…, "length":…, "errno":…, "message":…}`.
    public var json: JSONValue {
        .object(["offset": .number(offset), "length": .number(length), "errno": cause.map { .number($0.errno) },
                 "message": .string(description)])
    }
}
