/// A position in the transaction log stream. ESE: `LGPOS` (8 bytes).
///
/// Ordered by generation, then sector (segment), then byte offset.
public struct LogPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Size on disk in bytes.
    public static let size = 8

    /// Byte offset inside the sector or segment. ESE: `ib`.
    public var byteOffset: UInt16
    /// Sector (v7) or 4 KiB segment (v8) index within the log file. ESE: `isec`.
    public var sector: UInt16
    /// Log generation. ESE: `lGeneration` (signed 32-bit).
    public var generation: Int32

    /// Creates a log position.
    public init(generation: Int32, sector: UInt16, byteOffset: UInt16) {
        self.generation = generation
        self.sector = sector
        self.byteOffset = byteOffset
    }

    /// Parses the position stored at `offset` of `span`.
    public init(_ span: RawSpan, at offset: Int) {
        byteOffset = span.uint16(at: offset)
        sector = span.uint16(at: offset + 2)
        generation = span.int32(at: offset + 4)
    }

    /// The zero position.
    public static let zero = LogPosition(generation: 0, sector: 0, byteOffset: 0)

    /// Whether all fields are zero.
    public var isZero: Bool { self == .zero }

    public static func < (lhs: LogPosition, rhs: LogPosition) -> Bool {
        (lhs.generation, lhs.sector, lhs.byteOffset) < (rhs.generation, rhs.sector, rhs.byteOffset)
    }

    /// eseutil's rendering: `(0xGEN,ISEC,IB)` with hexadecimal fields.
    public var description: String {
        "(0x\(String(UInt32(bitPattern: generation), radix: 16, uppercase: true)),"
            + "\(String(sector, radix: 16, uppercase: true)),\(String(byteOffset, radix: 16, uppercase: true)))"
    }
}
