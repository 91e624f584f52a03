/// One 64-bit new-format ("XOR-ECC") checksum of a block. ESE: `XECHECKSUM`.
///
/// The low dword is the XOR of the block's dwords XOR the page number; the high dword is
/// a 32-bit Hsiao/Hamming code locating a single flipped bit. Stored little-endian:
/// bytes 0–3 the XOR half, bytes 4–7 the ECC half.
public struct XEChecksum: Hashable, Sendable, CustomStringConvertible {
    /// The stored or computed 64-bit value.
    public var rawValue: UInt64

    /// Wraps a 64-bit checksum value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Builds a checksum from its halves.
    public init(ecc: UInt32, xor: UInt32) { rawValue = UInt64(ecc) << 32 | UInt64(xor) }

    /// The XOR half (page number folded in). ESE: `DwXORChecksumFromXEChecksum`.
    public var xor: UInt32 { UInt32(truncatingIfNeeded: rawValue) }
    /// The ECC half. ESE: `DwECCChecksumFromXEChecksum`.
    public var ecc: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }

    /// The bit offset inside a block of `blockSize` bytes that, flipped, turns `computed`
    /// into `self` (the stored value) — or nil when the difference is not a correctable
    /// single-bit error. ESE: `FECCErrorIsCorrectable` + `IbitCorrupted`.
    ///
    /// The rule: the upper half of the ECC difference must be the bitwise complement of
    /// the lower half over the block's index bits, and exactly one XOR (column) bit may
    /// differ. Callers still reject offsets they cannot flip (the format flag).
    public func singleBitError(from computed: XEChecksum, blockSize: Int) -> Int? {
        guard self != computed else { return nil }
        let eccDifference = ecc ^ computed.ecc
        let xorDifference = xor ^ computed.xor
        let mask = UInt32(truncatingIfNeeded: blockSize &* 8 &- 1)
        guard ((eccDifference >> 16) ^ eccDifference) & mask == mask,
              xorDifference.nonzeroBitCount == 1
        else { return nil }
        let bit = Int(eccDifference & 0xFFFF)
        return bit < blockSize * 8 ? bit : nil
    }

    /// `0x` and 16 hexadecimal digits.
    public var description: String {
        let hex = String(rawValue, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
