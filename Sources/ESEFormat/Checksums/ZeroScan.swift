// The all-zero test for uninitialized pages. ESE: `FPageIsInitialized`.
//
// Kernel code: one bounds check per buffer, then unchecked 64-byte loads, OR-reduced four at a
// time so that a zero page costs one test per 256 bytes (a test per 64-byte load made a zero
// page dearer to scan than a page's checksum).

enum ZeroScan {
    typealias Chunk = SIMD16<UInt32>

    /// Whether every byte of `buffer` is zero.
    static func isAllZero(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let count = buffer.count
        let wide = count & ~255
        var offset = 0
        while offset < wide {
            let chunk = base.loadUnaligned(fromByteOffset: offset, as: Chunk.self)
                | base.loadUnaligned(fromByteOffset: offset + 64, as: Chunk.self)
                | base.loadUnaligned(fromByteOffset: offset + 128, as: Chunk.self)
                | base.loadUnaligned(fromByteOffset: offset + 192, as: Chunk.self)
            if !isZero(chunk) { return false }
            offset += 256
        }
        while offset < count {
            if base.load(fromByteOffset: offset, as: UInt8.self) != 0 { return false }
            offset += 1
        }
        return true
    }

    /// Whether every lane of `chunk` is zero: folded to four lanes, then one scalar test.
    @inline(__always)
    static func isZero(_ chunk: Chunk) -> Bool {
        let half = chunk.lowHalf | chunk.highHalf
        let quarter = half.lowHalf | half.highHalf
        return quarter[0] | quarter[1] | quarter[2] | quarter[3] == 0
    }
}
