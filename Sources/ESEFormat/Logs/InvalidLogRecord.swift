/// The first record of a log that ESE's reader rejects, and where it is.
public struct InvalidLogRecord: Hashable, Sendable {
    /// Why it is invalid.
    public var reason: InvalidLogRecordReason
    /// The offending record's type byte (for fragment errors: the fragment's type).
    public var type: LogRecordType
    /// The record's position as ESE defines it (log-records.md "Record position"): v8, the
    /// byte after the previous record (`m_pbNext`, logread.cxx:72-113); v7, the record's start.
    public var position: LogPosition
    /// The sector (v7) or segment (v8) holding the offending byte.
    public var sector: Int
    /// The offending byte's offset in the file.
    public var fileOffset: Int

    /// Creates a description of an invalid record.
    public init(reason: InvalidLogRecordReason, type: LogRecordType, position: LogPosition, sector: Int, fileOffset: Int) {
        self.reason = reason
        self.type = type
        self.position = position
        self.sector = sector
        self.fileOffset = fileOffset
    }

    /// The error ESE returns in soft recovery and `eseutil /ml`.
    public var jetError: JetError { .logFileCorrupt }
}
