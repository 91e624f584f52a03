/// One database attachment recorded in a log or checkpoint header. ESE: `ATTACHINFO`.
public struct AttachInfo: Hashable, Sendable {
    /// Attachment slot, 1–6. ESE: `dbid`.
    public var databaseID: UInt8
    /// Flags: 0x20 names are UTF-16LE, 0x40 sparse file.
    public var flags: UInt8
    /// Database time at attach. ESE: `dbtime`.
    public var databaseTime: UInt64
    /// Highest object ID. ESE: `objidLast`.
    public var lastObjectID: UInt32
    /// Maximum size in pages. ESE: `cpgDatabaseSizeMax`.
    public var maximumPages: UInt32
    /// Attach position. ESE: `lgposAttach`.
    public var attachPosition: LogPosition
    /// Consistent position. ESE: `lgposConsistent`.
    public var consistentPosition: LogPosition
    /// The database's signature. ESE: `signDb`.
    public var databaseSignature: Signature
    /// The database path as recorded.
    public var path: String

    /// Creates an entry from its fields (recovery builds one from a replayed AttachDB record).
    public init(databaseID: UInt8, flags: UInt8, databaseTime: UInt64, lastObjectID: UInt32, maximumPages: UInt32,
                attachPosition: LogPosition, consistentPosition: LogPosition, databaseSignature: Signature, path: String) {
        self.databaseID = databaseID
        self.flags = flags
        self.databaseTime = databaseTime
        self.lastObjectID = lastObjectID
        self.maximumPages = maximumPages
        self.attachPosition = attachPosition
        self.consistentPosition = consistentPosition
        self.databaseSignature = databaseSignature
        self.path = path
    }

    /// Parses the list starting at `offset` within `limit` bytes; stops at an entry whose
    /// database ID is 0. Returns the entries and whether the list ended properly (an entry
    /// running past the area makes it false).
    public static func parseList(_ span: RawSpan, at offset: Int, limit: Int) -> (entries: [AttachInfo], complete: Bool) {
        var entries: [AttachInfo] = []
        var position = offset
        let end = min(offset + limit, span.byteCount)
        while position < end {
            let databaseID = span.uint8(at: position)
            if databaseID == 0 { return (entries, true) }
            guard position + 64 <= end else { return (entries, false) }
            let flags = span.uint8(at: position + 1)
            let nameBytes = Int(span.uint16(at: position + 2))
            guard position + 64 + nameBytes <= end else { return (entries, false) }
            let raw = span.bytes(at: position + 64, count: nameBytes)
            let path: String
            if flags & 0x20 != 0 {
                var units: [UInt16] = []
                var index = 0
                while index + 1 < raw.count {
                    let unit = UInt16(raw[index]) | UInt16(raw[index + 1]) << 8
                    if unit == 0 { break }
                    units.append(unit)
                    index += 2
                }
                path = String(decoding: units, as: UTF16.self)
            } else {
                path = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            entries.append(AttachInfo(
                databaseID: databaseID, flags: flags, databaseTime: span.uint64(at: position + 4),
                lastObjectID: span.uint32(at: position + 12), maximumPages: span.uint32(at: position + 16),
                attachPosition: LogPosition(span, at: position + 20), consistentPosition: LogPosition(span, at: position + 28),
                databaseSignature: Signature(span, at: position + 36), path: path))
            position += 64 + nameBytes
        }
        return (entries, position == end)
    }
}
