// The all-zero test for uninitialized pages. ESE: `FPageIsInitialized`.
//
// Kernel code: one bounds check per buffer, then unchecked 64-byte loads.

enum ZeroScan {
    /// Whether every byte of `buffer` is zero.
    static func isAllZero(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let count = buffer.count
        let wide = count & ~63
        var offset = 0
        while offset < wide {
            let chunk = base.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt32>.self)
            if chunk != SIMD16<UInt32>() { return false }
            offset += 64
        }
        while offset < count {
            if base.load(fromByteOffset: offset, as: UInt8.self) != 0 { return false }
            offset += 1
        }
        return true
    }
}
