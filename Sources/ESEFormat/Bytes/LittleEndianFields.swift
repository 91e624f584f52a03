// Little-endian field reads over `RawSpan`.
//
// Every ESE on-disk structure is byte-packed and little-endian. Parsers check the
// span's length once per structure (throwing `FormatError.truncated` when it is too
// short) and then read fields with these helpers, which are bounds-checked loads:
// an out-of-range read here is a programming error, never an input-driven one.

extension RawSpan {
    /// The byte at `offset`.
    @inlinable func uint8(at offset: Int) -> UInt8 {
        unsafeLoadUnaligned(fromByteOffset: offset, as: UInt8.self)
    }

    /// The little-endian 16-bit value at `offset`.
    @inlinable func uint16(at offset: Int) -> UInt16 {
        UInt16(littleEndian: unsafeLoadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// The little-endian 32-bit value at `offset`.
    @inlinable func uint32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: unsafeLoadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The little-endian signed 32-bit value at `offset`.
    @inlinable func int32(at offset: Int) -> Int32 {
        Int32(littleEndian: unsafeLoadUnaligned(fromByteOffset: offset, as: Int32.self))
    }

    /// The little-endian 64-bit value at `offset`.
    @inlinable func uint64(at offset: Int) -> UInt64 {
        UInt64(littleEndian: unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A copy of `count` bytes starting at `offset`.
    @inlinable func bytes(at offset: Int, count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        for index in 0..<count { result[index] = uint8(at: offset + index) }
        return result
    }

    /// A NUL-terminated ANSI string stored in a fixed field of `count` bytes.
    func fixedString(at offset: Int, count: Int) -> String {
        var bytes: [UInt8] = []
        for index in 0..<count {
            let byte = uint8(at: offset + index)
            if byte == 0 { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether every byte of the span is zero.
    public func isAllZero() -> Bool {
        withUnsafeBytes { ZeroScan.isAllZero($0) }
    }
}

extension Array where Element == UInt8 {
    /// Whether every byte is zero.
    public var isAllZero: Bool { allSatisfy { $0 == 0 } }
}
