/// The filler ESE writes into unused log space before 8.4000.2 (and into reserve logs): a
/// 512-byte unit of 0xDA bytes in which every byte at a multiple of 16 holds (0xDA + offset) & 0xFF.
/// ESE: `ErrOSULogPatternInit`, `bLOGUnusedFill`.
public enum LogExtendPattern {
    /// The fill byte. ESE: `bLOGUnusedFill`.
    public static let fill: UInt8 = 0xDA

    /// The pattern byte at file offset `offset` (the unit repeats every 512 bytes).
    public static func byte(at offset: Int) -> UInt8 {
        let position = offset % 512
        return position % 16 == 0 ? UInt8(truncatingIfNeeded: Int(fill) + position) : fill
    }

    /// Whether `bytes`, starting at a 512-byte boundary, are exactly the pattern.
    public static func matches(_ bytes: RawSpan) -> Bool {
        guard bytes.byteCount > 0 else { return false }
        for offset in 0..<bytes.byteCount where bytes.uint8(at: offset) != byte(at: offset) { return false }
        return true
    }

    /// `count` bytes of the pattern starting at a 512-byte boundary.
    public static func bytes(count: Int) -> [UInt8] { (0..<count).map { byte(at: $0) } }
}
