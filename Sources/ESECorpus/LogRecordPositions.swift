import ESEFormat

/// Where the writer put a log's special records, as ESE defines a record's position (the byte
/// after the previous record, log-records.md "Record position"; v7: the record's first byte).
/// Nil for a record that did not fit in the file.
public struct LogRecordPositions: Hashable, Sendable {
    /// The positions of `LogContent.head`, in order.
    public var head: [LogPosition?] = []
    /// The positions of `LogContent.closing`, in order.
    public var closing: [LogPosition?] = []
    /// The Term2's position: its lgpos, equal to what ESE's end-of-log scan reports for it
    /// (the generator never writes it first in a v8 segment, where the two conventions differ).
    public var termination: LogPosition?

    /// No positions.
    public init() {}
}
