/// A log file written by `LogWriter`: its bytes, its accumulated segment checksum (v8) and
/// where its special records are.
public struct GeneratedLog: Sendable {
    /// The whole file.
    public var bytes: [UInt8]
    /// The XOR of the stored checksums of its data segments (v8; 0 for v7), the next
    /// generation's `checksumPrevLogAllSegments`.
    public var accumulatedChecksum: UInt64
    /// Where the head, closing and termination records are.
    public var positions: LogRecordPositions
}
