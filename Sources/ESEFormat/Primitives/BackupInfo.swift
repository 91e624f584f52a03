/// A record of a backup in a database header. ESE: `BKINFO` (24 bytes).
public struct BackupInfo: Hashable, Sendable {
    /// Size on disk in bytes.
    public static let size = 24

    /// The log position marked by the backup. ESE: `le_lgposMark`.
    public var mark: LogPosition
    /// When the mark was taken; its flag bit marks an OS snapshot. ESE: `logtimeMark`.
    public var markTime: LogTime
    /// Lowest log generation in the backup. ESE: `le_genLow`.
    public var generationLow: UInt32
    /// Highest log generation in the backup. ESE: `le_genHigh`.
    public var generationHigh: UInt32

    /// Creates a backup record.
    public init(mark: LogPosition, markTime: LogTime, generationLow: UInt32, generationHigh: UInt32) {
        self.mark = mark
        self.markTime = markTime
        self.generationLow = generationLow
        self.generationHigh = generationHigh
    }

    /// Parses the record stored at `offset` of `span`.
    public init(_ span: RawSpan, at offset: Int) {
        mark = LogPosition(span, at: offset)
        markTime = LogTime(span, at: offset + 8)
        generationLow = span.uint32(at: offset + 16)
        generationHigh = span.uint32(at: offset + 20)
    }

    /// Whether the record is empty (no such backup happened).
    public var isEmpty: Bool { mark.isZero && markTime.isNull && generationLow == 0 && generationHigh == 0 }

    /// Whether the backup was an OS (VSS) snapshot, from the mark time's flag bit.
    public var isSnapshot: Bool { markTime.flag }
}

/// How a recorded backup was taken. ESE: `bkinfoType*` in DBFILEHDR.
public enum BackupKind: UInt32, Hashable, Sendable {
    /// A streaming (normal) backup.
    case normal = 0
    /// An OS (VSS) snapshot.
    case osSnapshot = 1
    /// An ESE snapshot.
    case snapshot = 2
    /// A surrogate backup (recorded on behalf of another copy).
    case surrogate = 3
}
