/// The old-format 32-bit XOR checksum.
///
/// `0x89ABCDEF` XOR every little-endian dword of the buffer except the first (which
/// stores the checksum). It protects database headers and their shadows, log file
/// headers, checkpoint copies, flush-map headers and old-format data pages (where the
/// second dword, the page number, is included).
/// ESE: `ChecksumOldFormat` (`checksum.cxx`), page types `databaseHeader` / `logfileHeader`.
public enum LegacyChecksum {
    /// The seed. ESE: `0x89abcdef` (also the database magic, `ulDAEMagic`).
    public static let seed: UInt32 = 0x89AB_CDEF

    /// The checksum of `bytes` (a multiple of 4 bytes long; a shorter tail is ignored).
    public static func compute(_ bytes: RawSpan) -> UInt32 {
        bytes.withUnsafeBytes { compute($0) }
    }

    /// The checksum stored in the first dword of `bytes` (0 when shorter than 4 bytes).
    public static func stored(_ bytes: RawSpan) -> UInt32 {
        bytes.byteCount >= 4 ? bytes.uint32(at: 0) : 0
    }

    /// Whether the stored checksum matches the computed one.
    public static func isValid(_ bytes: RawSpan) -> Bool {
        bytes.byteCount >= 4 && stored(bytes) == compute(bytes)
    }

    /// Kernel: 64-byte SIMD loads after a single length check.
    static func compute(_ buffer: UnsafeRawBufferPointer) -> UInt32 {
        #if _endian(big)
        return ReferenceChecksum.legacyXOR(RawSpan(_unsafeBytes: buffer))
        #else
        guard let base = buffer.baseAddress, buffer.count >= 4 else { return seed }
        var x = XORFold.dwords(base, byteCount: buffer.count)
        // Dword 0 was included above; XOR it out again.
        x ^= UInt32(littleEndian: base.loadUnaligned(as: UInt32.self))
        return x ^ seed
        #endif
    }
}
