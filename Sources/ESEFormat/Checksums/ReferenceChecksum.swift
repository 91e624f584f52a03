/// Plain, one-row-at-a-time implementations of both checksum formats, written straight
/// from the definitions (ESE's "Slowly" variants). The fast kernels are tested against
/// these; they are also the fallback for unusual sizes and big-endian hosts.
public enum ReferenceChecksum {
    /// The old-format XOR checksum of `bytes`, one dword at a time.
    public static func legacyXOR(_ bytes: RawSpan) -> UInt32 {
        var value = LegacyChecksum.seed
        var offset = 4
        while offset + 4 <= bytes.byteCount {
            value ^= bytes.uint32(at: offset)
            offset += 4
        }
        return value
    }

    /// The new-format checksum of `block`, one row at a time.
    public static func ecc(_ block: RawSpan, pageNumber: UInt32, isHeaderBlock: Bool) -> XEChecksum {
        block.withUnsafeBytes { ecc($0, pageNumber: pageNumber, isHeaderBlock: isHeaderBlock) }
    }

    static func ecc(_ buffer: UnsafeRawBufferPointer, pageNumber: UInt32, isHeaderBlock: Bool) -> XEChecksum {
        let rows = buffer.count / 4
        var columns: UInt32 = 0, p: UInt32 = 0, q: UInt32 = 0
        var row = isHeaderBlock ? 2 : 0
        while row < rows {
            let value = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: row * 4, as: UInt32.self))
            columns ^= value
            if value.nonzeroBitCount & 1 == 1 {
                p ^= UInt32(truncatingIfNeeded: row)
                q ^= ~UInt32(truncatingIfNeeded: row)
            }
            row += 1
        }
        var r: UInt32 = 0, s: UInt32 = 0
        for column in 0..<32 where (columns >> UInt32(column)) & 1 == 1 {
            r ^= UInt32(column)
            s ^= ~UInt32(column)
        }
        let mask = UInt32(truncatingIfNeeded: max(rows, 1) - 1)
        let ecc = (q & mask) << 21 | (s & 31) << 16 | (p & mask) << 5 | (r & 31)
        return XEChecksum(ecc: ecc, xor: columns ^ pageNumber)
    }
}
