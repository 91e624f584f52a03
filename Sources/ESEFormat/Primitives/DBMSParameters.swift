/// Engine parameters recorded in log and checkpoint headers. ESE: `DBMS_PARAM` (567 bytes).
public struct DBMSParameters: Hashable, Sendable {
    /// Size on disk in bytes.
    public static let size = 567

    /// System path, for diagnostics only. ESE: `szSystemPathDebugOnly`.
    public var systemPath: String
    /// Log file path, for diagnostics only. ESE: `szLogFilePathDebugOnly`.
    public var logFilePath: String
    /// Flag byte. ESE: `fDBMSPARAMFlags`.
    public var flags: UInt8
    /// Maximum sessions. ESE: `lSessionsMax`.
    public var sessionsMax: UInt32
    /// Maximum open tables. ESE: `lOpenTablesMax`.
    public var openTablesMax: UInt32
    /// Maximum version-store pages. ESE: `lVerPagesMax`.
    public var versionPagesMax: UInt32
    /// Maximum cursors. ESE: `lCursorsMax`.
    public var cursorsMax: UInt32
    /// Log buffers. ESE: `lLogBuffers`.
    public var logBuffers: UInt32
    /// Log file size in sectors. ESE: `lcsecLGFile`.
    public var logFileSectors: UInt32
    /// Maximum cache size. ESE: `ulCacheSizeMax`.
    public var cacheSizeMax: UInt32

    /// Whether circular logging was configured. ESE: `fDBMSPARAMCircularLogging` (0x01).
    public var circularLogging: Bool { flags & 0x01 != 0 }

    /// Parses the parameters stored at `offset` of `span`.
    public init(_ span: RawSpan, at offset: Int) {
        systemPath = span.fixedString(at: offset, count: 261)
        logFilePath = span.fixedString(at: offset + 261, count: 261)
        flags = span.uint8(at: offset + 522)
        sessionsMax = span.uint32(at: offset + 523)
        openTablesMax = span.uint32(at: offset + 527)
        versionPagesMax = span.uint32(at: offset + 531)
        cursorsMax = span.uint32(at: offset + 535)
        logBuffers = span.uint32(at: offset + 539)
        logFileSectors = span.uint32(at: offset + 543)
        cacheSizeMax = span.uint32(at: offset + 547)
    }
}
