/// A walked record: its type and where it is.
public struct LogRecordLocation: Hashable, Sendable {
    /// The record's type (for a fragmented record, the reassembled record's type).
    public var type: LogRecordType
    /// Its position as ESE defines it (log-records.md "Record position"): v8, the byte after the
    /// previous record (`m_pbNext`); v7, its start.
    public var position: LogPosition
    /// The offset in the file of its first byte (of its FragmentBegin when fragmented).
    public var fileOffset: Int

    /// Creates a location.
    public init(type: LogRecordType, position: LogPosition, fileOffset: Int) {
        self.type = type
        self.position = position
        self.fileOffset = fileOffset
    }
}
