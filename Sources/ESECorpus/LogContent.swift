import ESEFormat

/// What a generated log holds besides its bulk records: the records at its start (Init2 and
/// AttachDB in the first generation), the records before its end (DetachDB of clean
/// databases) and whether it ends with a Term2 (a clean shutdown).
public struct LogContent: Sendable {
    /// Records written first, in order (the first one at the log's first record position).
    public var head: [[UInt8]] = []
    /// Records written at the end of the data, in order, before the termination.
    public var closing: [[UInt8]] = []
    /// The time of a Term2 written as the last record, or nil for a log that does not end cleanly.
    public var terminationTime: LogTime?
    /// The bulk records filling the rest.
    public var filler: LogRecordFiller

    /// Content of bulk records only.
    public init(filler: LogRecordFiller) { self.filler = filler }
}
