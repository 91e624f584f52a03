/// The new-format XOR+ECC checksum of one block. ESE: `ChecksumNewFormat`.
///
/// A block is 1–8 KiB (a power of two) viewed as `n` rows of 32-bit dwords. The XOR half
/// is the XOR of all rows XOR the page number; the ECC half encodes, for the rows of odd
/// parity and for the set columns of the XOR, the XOR of their indices (`p`, `r`) and of
/// their complements (`q`, `s`):
/// `ecc = (q & (n−1)) << 21 | (s & 31) << 16 | (p & (n−1)) << 5 | r & 31`.
/// In a page's first block (the "header block") dwords 0 and 1 hold the stored checksum
/// and are skipped.
public enum ECCChecksum {
    /// Whether the checksum is defined for blocks of `byteCount` bytes: a power of two from
    /// 1 to 8 KiB. (Arithmetic, not a set lookup: this runs for every block of every page.)
    @inline(__always)
    public static func supportsBlockSize(_ byteCount: Int) -> Bool {
        byteCount >= 1024 && byteCount <= 8192 && byteCount & (byteCount - 1) == 0
    }

    /// The checksum of `block` for page `pageNumber`.
    ///
    /// - Parameters:
    ///   - block: the block's bytes; 1, 2, 4 or 8 KiB.
    ///   - pageNumber: the page number folded into the XOR half (for v8 log segments, the
    ///     segment index). ESE: `pgno`.
    ///   - isHeaderBlock: whether this is a page's first block. ESE: `fHeaderBlock`.
    /// - Returns: the checksum; for an unsupported block size, the scalar reference's
    ///   result over the whole dwords of the block.
    public static func compute(_ block: RawSpan, pageNumber: UInt32, isHeaderBlock: Bool) -> XEChecksum {
        block.withUnsafeBytes { buffer in
            compute(buffer, pageNumber: pageNumber, isHeaderBlock: isHeaderBlock)
        }
    }

    /// Kernel entry over raw memory: one size check, then the vectorised loop.
    static func compute(_ buffer: UnsafeRawBufferPointer, pageNumber: UInt32, isHeaderBlock: Bool) -> XEChecksum {
        #if _endian(little)
        if let base = buffer.baseAddress, supportsBlockSize(buffer.count) {
            return ECCKernel.checksum(base, byteCount: buffer.count, pageNumber: pageNumber, isHeaderBlock: isHeaderBlock)
        }
        #endif
        return ReferenceChecksum.ecc(buffer, pageNumber: pageNumber, isHeaderBlock: isHeaderBlock)
    }
}

/// The vectorised XOR+ECC kernel.
///
/// Rows are consumed as 16-byte vectors of four rows, eight vectors (128 bytes, 32 rows)
/// per "unit". Instead of a parity per row, it keeps XOR accumulators whose parities
/// give the index bits of `p` directly:
/// - the running total `total` gives the column parity (the XOR half) and, through its four
///   lanes, row-index bits 0–1;
/// - `oddVectors`, `vectorBit1`, `vectorBit2` accumulate the vectors whose position in the
///   unit has bit 0, 1 or 2 set: row-index bits 2–4;
/// - unit-index bits (row bits 5 and up) use prefix sums: the XOR of the units whose index
///   has bit b set equals the XOR of the running total sampled after every multiple of 2^b
///   units (each unit lands in an odd number of those samples exactly when bit b of its
///   index is set). Bit 0 is accumulated directly from the odd units.
/// Only parities of these accumulators matter, so `q` and `s` follow from `p`, `r` and the
/// total parity. About two vector XORs per 16 bytes; see `ReferenceChecksum.ecc` for the
/// plain definition this must match.
enum ECCKernel {
    typealias Vector = SIMD4<UInt32>

    @inline(__always)
    static func fold(_ v: SIMD16<UInt32>) -> UInt32 {
        let half = v.lowHalf ^ v.highHalf
        let quarter = half.lowHalf ^ half.highHalf
        return quarter[0] ^ quarter[1] ^ quarter[2] ^ quarter[3]
    }

    @inline(__always)
    static func fold(_ v: Vector) -> UInt32 { v[0] ^ v[1] ^ v[2] ^ v[3] }

    @inline(__always)
    static func parity(_ value: UInt32) -> UInt32 { UInt32(value.nonzeroBitCount & 1) }

    @inline(__always)
    static func parity(_ v: Vector) -> UInt32 { parity(fold(v)) }

    @inline(__always)
    static func load(_ base: UnsafeRawPointer, _ offset: Int) -> Vector {
        base.loadUnaligned(fromByteOffset: offset, as: Vector.self)
    }

    /// Adds one 128-byte unit to the accumulators and returns the unit's XOR.
    @inline(__always)
    static func addUnit(
        _ base: UnsafeRawPointer, _ offset: Int,
        total: inout Vector, oddVectors: inout Vector, vectorBit1: inout Vector, vectorBit2: inout Vector
    ) -> Vector {
        let v0 = load(base, offset), v1 = load(base, offset + 16)
        let v2 = load(base, offset + 32), v3 = load(base, offset + 48)
        let v4 = load(base, offset + 64), v5 = load(base, offset + 80)
        let v6 = load(base, offset + 96), v7 = load(base, offset + 112)
        let pair23 = v2 ^ v3, pair67 = v6 ^ v7
        let upperHalf = (v4 ^ v5) ^ pair67
        let unit = ((v0 ^ v1) ^ pair23) ^ upperHalf
        oddVectors ^= (v1 ^ v3) ^ (v5 ^ v7)
        vectorBit1 ^= pair23 ^ pair67
        vectorBit2 ^= upperHalf
        total ^= unit
        return unit
    }

    /// The XOR of each vector's four lanes, for four vectors at once.
    @inline(__always)
    static func laneFolds(_ a: Vector, _ b: Vector, _ c: Vector, _ d: Vector) -> Vector {
        let ab = Vector(a[0], a[1], b[0], b[1]) ^ Vector(a[2], a[3], b[2], b[3])
        let cd = Vector(c[0], c[1], d[0], d[1]) ^ Vector(c[2], c[3], d[2], d[3])
        return Vector(ab[0], ab[2], cd[0], cd[2]) ^ Vector(ab[1], ab[3], cd[1], cd[3])
    }

    /// The parity (0 or 1) of each lane.
    @inline(__always)
    static func laneParities(_ value: Vector) -> Vector {
        var v = value
        v ^= v &>> 16
        v ^= v &>> 8
        v ^= v &>> 4
        v ^= v &>> 2
        v ^= v &>> 1
        return v & 1
    }

    /// The checksum of `byteCount` bytes at `base` (a power of two, 1–8 KiB).
    static func checksum(_ base: UnsafeRawPointer, byteCount: Int, pageNumber: UInt32, isHeaderBlock: Bool) -> XEChecksum {
        let rows = byteCount / 4
        var total = Vector(), oddVectors = Vector(), vectorBit1 = Vector(), vectorBit2 = Vector()
        var oddUnits = Vector()
        var prefix1 = Vector(), prefix2 = Vector(), prefix3 = Vector()
        var prefix4 = Vector(), prefix5 = Vector(), prefix6 = Vector()
        var unit = 0
        var pointer = base
        let end = base + byteCount
        // Two 128-byte units per iteration; the unit count (8–64) is even.
        while pointer < end {
            _ = addUnit(pointer, 0, total: &total, oddVectors: &oddVectors, vectorBit1: &vectorBit1, vectorBit2: &vectorBit2)
            oddUnits ^= addUnit(pointer, 128, total: &total, oddVectors: &oddVectors, vectorBit1: &vectorBit1, vectorBit2: &vectorBit2)
            unit &+= 2
            pointer += 256
            prefix1 ^= total
            if unit & 3 == 0 {
                prefix2 ^= total
                if unit & 7 == 0 {
                    prefix3 ^= total
                    if unit & 15 == 0 {
                        prefix4 ^= total
                        if unit & 31 == 0 {
                            prefix5 ^= total
                            if unit & 63 == 0 { prefix6 ^= total }
                        }
                    }
                }
            }
        }
        if isHeaderBlock {
            // Rows 0 and 1 hold the stored checksum: remove them from the total. They never
            // reached the position or odd-unit accumulators, and every prefix accumulator
            // sampled them an even number of times, except a prefix whose row bit lies
            // beyond the block's index width (masked below).
            let stored0 = UInt32(littleEndian: base.loadUnaligned(as: UInt32.self))
            let stored1 = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            total ^= Vector(stored0, stored1, 0, 0)
        }
        let columns = fold(total)
        // Row-index bits 0–1 come from the total's lanes; the rest from accumulator parities,
        // folded four accumulators at a time.
        let lanes = laneParities(total)
        let low = laneParities(laneFolds(oddVectors, vectorBit1, vectorBit2, oddUnits))
        let middle = laneParities(laneFolds(prefix1, prefix2, prefix3, prefix4))
        let high = laneParities(laneFolds(prefix5, prefix6, Vector(), Vector()))
        let shiftsLow = Vector(2, 3, 4, 5), shiftsMiddle = Vector(6, 7, 8, 9), shiftsHigh = Vector(10, 11, 0, 0)
        let bits = (low &<< shiftsLow) | (middle &<< shiftsMiddle) | (high &<< shiftsHigh)
        let rowIndex = (lanes[1] ^ lanes[3]) | (lanes[2] ^ lanes[3]) << 1 | (bits[0] | bits[1] | bits[2] | bits[3])
        return assemble(columns: columns, rowIndexXOR: rowIndex, rows: rows, pageNumber: pageNumber)
    }

    /// Builds the checksum from the column XOR and the XOR of the odd rows' indices.
    @inline(__always)
    static func assemble(columns: UInt32, rowIndexXOR: UInt32, rows: Int, pageNumber: UInt32) -> XEChecksum {
        let mask = UInt32(truncatingIfNeeded: rows &- 1)
        let p = rowIndexXOR & mask
        // An odd number of odd rows (= odd total parity) complements q relative to p;
        // the same parity decides whether s is r's complement.
        let oddTotal = parity(columns) == 1
        let q = (oddTotal ? ~p : p) & mask
        let masked = laneParities(Vector(repeating: columns) & Vector(0xAAAA_AAAA, 0xCCCC_CCCC, 0xF0F0_F0F0, 0xFF00_FF00))
            &<< Vector(0, 1, 2, 3)
        let r = masked[0] | masked[1] | masked[2] | masked[3] | parity(columns & 0xFFFF_0000) << 4
        let s = (oddTotal ? ~r : r) & 31
        let ecc = q << 21 | s << 16 | p << 5 | r
        return XEChecksum(ecc: ecc, xor: columns ^ pageNumber)
    }
}
