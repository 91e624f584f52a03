/// A v7 log checksum record. ESE: `LRCHECKSUM` (22 bytes, packed).
///
/// Each record covers a "backward" range (from its sector's start up to the record) and a
/// "forward" range (the log data after it, up to the next record's sector); `cbNext` links
/// to the next record. Single-sector flushes are shadowed into the next sector.
public struct LegacyChecksumRecord: Hashable, Sendable {
    /// Size on disk. ESE: `sizeof(LRCHECKSUM)`.
    public static let size = 22
    /// The record type. ESE: `lrtypChecksum`.
    public static let recordType: UInt8 = 42
    /// `bUseShortChecksum` value meaning "on". ESE: `bShortChecksumOn`.
    public static let shortChecksumOn: UInt8 = 0x9A
    /// `bUseShortChecksum` value meaning "off". ESE: `bShortChecksumOff`.
    public static let shortChecksumOff: UInt8 = 0xD1
    /// Seed of the range checksum. ESE: `ulLRCKChecksumSeed`.
    public static let rangeSeed: UInt32 = 0xFEED_BEAF
    /// Seed of the short checksum. ESE: `ulLRCKShortChecksumSeed`.
    public static let shortSeed: UInt32 = 0xDEAD_C0DE
    /// XORed into a shadow's range checksum. ESE: `ulShadowSectorChecksum`.
    public static let shadowMark: UInt32 = 0x5AD0_5EC7

    /// Record type (42 for a valid record). ESE: `lrtyp`.
    public var type: UInt8
    /// Length of the range ending at this record. ESE: `cbBackwards`.
    public var backwardBytes: UInt32
    /// Length of the range starting after this record. ESE: `cbForwards`.
    public var forwardBytes: UInt32
    /// Distance from this record's end to the next record; 0 for the last. ESE: `cbNext`.
    public var nextDistance: UInt32
    /// Range checksum (or, in a shadow, the range checksum XOR the shadow mark). ESE: `ulChecksum`.
    public var checksum: UInt32
    /// Checksum of just this record's sector in a multi-sector flush. ESE: `ulShortChecksum`.
    public var shortChecksum: UInt32
    /// 0x9A (on) or 0xD1 (off). ESE: `bUseShortChecksum`.
    public var shortChecksumFlag: UInt8

    /// Parses the record at `offset` (the caller checks that 22 bytes are available).
    public init(_ span: RawSpan, at offset: Int) {
        type = span.uint8(at: offset)
        backwardBytes = span.uint32(at: offset + 1)
        forwardBytes = span.uint32(at: offset + 5)
        nextDistance = span.uint32(at: offset + 9)
        checksum = span.uint32(at: offset + 13)
        shortChecksum = span.uint32(at: offset + 17)
        shortChecksumFlag = span.uint8(at: offset + 21)
    }

    /// Creates a record (for writers).
    public init(backwardBytes: UInt32, forwardBytes: UInt32, nextDistance: UInt32, shortChecksumOn: Bool) {
        type = Self.recordType
        self.backwardBytes = backwardBytes
        self.forwardBytes = forwardBytes
        self.nextDistance = nextDistance
        checksum = 0
        shortChecksum = 0
        shortChecksumFlag = shortChecksumOn ? Self.shortChecksumOn : Self.shortChecksumOff
    }

    /// The 22 bytes of the record.
    public var bytes: [UInt8] {
        var out = [type]
        for value in [backwardBytes, forwardBytes, nextDistance, checksum, shortChecksum] {
            for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        out.append(shortChecksumFlag)
        return out
    }

    /// The scalar fields folded into every checksum.
    var foldedFields: UInt32 { backwardBytes ^ forwardBytes ^ nextDistance ^ UInt32(shortChecksumFlag) }

    /// Byte-position checksum: byte k of the range (counted from the range's start) is XORed
    /// into bits 8·(k mod 4) … 8·(k mod 4)+7, then `seed`. ESE: `LGChecksum::UlChecksumBytesSlow`.
    public static func byteSum(_ span: RawSpan, _ range: Range<Int>, seed: UInt32) -> UInt32 {
        var accumulator: UInt32 = 0
        var position = range.lowerBound
        // Whole dwords first (positions 0–3 of each dword line up with bytes 0–3 of the range).
        while position + 4 <= range.upperBound {
            accumulator ^= span.uint32(at: position)
            position += 4
        }
        var shift: UInt32 = 0
        while position < range.upperBound {
            accumulator ^= UInt32(span.uint8(at: position)) << shift
            shift += 8
            position += 1
        }
        return accumulator ^ seed
    }
}
