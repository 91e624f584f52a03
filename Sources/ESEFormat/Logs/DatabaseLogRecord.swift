/// A record that attaches, creates, detaches or re-attaches a database, with the fields
/// recovery matches against database headers (log-records.md §3; logapi.hxx:1603-1760, 2396-2416).
public struct DatabaseLogRecord: Hashable, Sendable {
    /// CreateDB, AttachDB, DetachDB or ReAttach.
    public var type: LogRecordType
    /// The record's position as ESE defines it (the lgpos recovery compares: `lgposAttach`,
    /// a clean detach's `lgposConsistent`).
    public var position: LogPosition
    /// The offset in the file of its first byte.
    public var fileOffset: Int
    /// The database id. ESE: `dbid` (@3; ReAttach @5).
    public var databaseID: UInt8
    /// The database signature. ESE: `signDb` (AttachDB @16, CreateDB @12, ReAttach @22).
    public var databaseSignature: Signature?
    /// The log signature stored with the attach. ESE: `signLog` (AttachDB @44).
    public var logSignature: Signature?
    /// The database's consistent position when attached. ESE: `lgposConsistent` (AttachDB @8, ReAttach @14).
    public var consistentPosition: LogPosition?
    /// The database's attach position. ESE: `lgposAttach` (ReAttach @6).
    public var attachPosition: LogPosition?
    /// The maximum size in pages. ESE: `cpgMax` (AttachDB @4, CreateDB @8).
    public var maximumPages: UInt32?
    /// The record's flags (AttachDB @74: 0x08 UTF-16 path, 0x10 sparse; CreateDB @42: 0x04
    /// version info, 0x08 UTF-16, 0x10 sparse; DetachDB @6: 0x10 UTF-16).
    public var flags: UInt8
    /// The database path, when the record holds one (UTF-16 or ANSI per the flags).
    public var path: String?

    /// Parses the record of `type` at `offset` of `bytes`, whose first `available` bytes are
    /// present (the whole record, or the reassembled prefix of a long fragmented one); nil
    /// for other types or when the fixed part is not all present.
    public static func parse(_ type: LogRecordType, _ bytes: RawSpan, at offset: Int, available: Int,
                             position: LogPosition, fileOffset: Int) -> DatabaseLogRecord? {
        guard type.fixedPart > 0, available >= type.fixedPart else { return nil }
        var record = DatabaseLogRecord(type: type, position: position, fileOffset: fileOffset, databaseID: 0, flags: 0)
        /// The path of `count` bytes at `start`, when present.
        func path(at start: Int, count: Int, utf16: Bool) -> String? {
            guard count > 0, start + count <= available else { return nil }
            if utf16 {
                var units: [UInt16] = []
                units.reserveCapacity(count / 2)
                var index = 0
                while index + 1 < count {
                    let unit = bytes.uint16(at: offset + start + index)
                    if unit == 0 { break }
                    units.append(unit)
                    index += 2
                }
                return String(decoding: units, as: UTF16.self)
            }
            var raw: [UInt8] = []
            for index in 0..<count {
                let byte = bytes.uint8(at: offset + start + index)
                if byte == 0 { break }
                raw.append(byte)
            }
            return String(decoding: raw, as: UTF8.self)
        }
        switch type {
        case .attachDB:  // LRATTACHDB, logapi.hxx:1692-1733
            record.databaseID = bytes.uint8(at: offset + 3)
            record.maximumPages = bytes.uint32(at: offset + 4)
            record.consistentPosition = LogPosition(bytes, at: offset + 8)
            record.databaseSignature = Signature(bytes, at: offset + 16)
            record.logSignature = Signature(bytes, at: offset + 44)
            record.flags = bytes.uint8(at: offset + 74)
            record.path = path(at: 75, count: Int(bytes.uint16(at: offset + 72)), utf16: record.flags & 0x08 != 0)
        case .createDB:  // LRCREATEDB, logapi.hxx:1603-1676
            record.databaseID = bytes.uint8(at: offset + 3)
            record.maximumPages = bytes.uint32(at: offset + 8)
            record.databaseSignature = Signature(bytes, at: offset + 12)
            record.flags = bytes.uint8(at: offset + 42)
            let start = 43 + (record.flags & 0x04 != 0 ? 4 : 0)  // version info precedes the names
            record.path = path(at: start, count: Int(bytes.uint16(at: offset + 40)), utf16: record.flags & 0x08 != 0)
        case .detachDB:  // LRDETACHDB, logapi.hxx:1736-1760
            record.databaseID = bytes.uint8(at: offset + 3)
            record.flags = bytes.uint8(at: offset + 6)
            record.path = path(at: 7, count: Int(bytes.uint16(at: offset + 4)), utf16: record.flags & 0x10 != 0)
        case .reAttach:  // LRREATTACHDB (ignorable, 50 bytes), logapi.hxx:2396-2416
            guard available >= 50 else { return nil }
            record.databaseID = bytes.uint8(at: offset + 5)
            record.attachPosition = LogPosition(bytes, at: offset + 6)
            record.consistentPosition = LogPosition(bytes, at: offset + 14)
            record.databaseSignature = Signature(bytes, at: offset + 22)
        default:
            return nil
        }
        return record
    }
}
