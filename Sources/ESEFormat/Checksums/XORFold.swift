/// The XOR of every little-endian dword in memory: the inner loop of the old-format
/// checksum, and the plain XOR-reduce the benchmark's read ceiling runs.
package enum XORFold {
    /// The XOR of the `byteCount / 4` dwords at `base` (a shorter tail is ignored):
    /// two 64-byte SIMD accumulators, eight independent 16-byte XOR chains, then the tail
    /// dword by dword. Little-endian hosts only (the callers fall back elsewhere).
    @inline(__always)
    package static func dwords(_ base: UnsafeRawPointer, byteCount: Int) -> UInt32 {
        let count = byteCount & ~3
        let wide = count & ~127
        var a = SIMD16<UInt32>(), b = SIMD16<UInt32>()
        var offset = 0
        while offset < wide {
            a ^= base.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt32>.self)
            b ^= base.loadUnaligned(fromByteOffset: offset + 64, as: SIMD16<UInt32>.self)
            offset += 128
        }
        var x = ECCKernel.fold(a ^ b)
        while offset < count {
            x ^= base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            offset += 4
        }
        return x
    }
}
