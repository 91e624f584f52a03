/// CRC-32C (Castagnoli, reflected polynomial `0x82F63B78`, initial value and final XOR
/// `0xFFFFFFFF`), the checksum of iSCSI (RFC 3720 §12.1, test vectors in appendix B.4) and of
/// ext4 and Btrfs metadata. It is not an ESE checksum: ESECheck uses it for the self-checksum
/// of a backup manifest, its last line (docs/manifest.md); manifest format 1 also used it as the
/// whole-file hash, which format 2 replaced by the faster `XXH3Tree`.
///
/// The kernel is table-driven (slicing-by-8, no CPU instruction), so it gives the same value on
/// every machine. Because a CRC is linear, the CRC of pieces read out of order and on several
/// threads can be combined into the CRC of the whole (`combine`), and the CRC of a run of
/// zeros (a hole of a sparse file) is computed without bytes (`zeros`).
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    public static let polynomial: UInt32 = 0x82F6_3B78

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: RawSpan) -> UInt32 { update(0, bytes) }

    /// The CRC-32C of the bytes behind `crc` followed by `bytes` (`crc` is a finished CRC-32C,
    /// 0 for no bytes), so that a stream can be fed piece by piece.
    public static func update(_ crc: UInt32, _ bytes: RawSpan) -> UInt32 {
        bytes.withUnsafeBytes { update(crc, $0) }
    }

    /// Buffers at least this long are split in four lanes computed together.
    static let laneThreshold = 16 << 10

    /// Kernel: slicing-by-8, bounds taken once from the buffer's count. A long buffer is
    /// split in four lanes whose table lookups interleave (each lane's chain waits on its own
    /// loads only), then the lanes are combined in order.
    static func update(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = buffer.baseAddress, buffer.count >= laneThreshold else { return serial(crc, buffer) }
        let lane = buffer.count / 4 & ~7
        var states: (UInt32, UInt32, UInt32, UInt32) = (~crc, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF)
        table.withUnsafeBufferPointer { t in
            var offset = 0
            @inline(__always) func step(_ state: UInt32, _ at: Int) -> UInt32 {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) ^ UInt64(state)
                let low = UInt32(truncatingIfNeeded: word), high = UInt32(truncatingIfNeeded: word >> 32)
                return t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
            }
            while offset < lane {
                states.0 = step(states.0, offset)
                states.1 = step(states.1, lane + offset)
                states.2 = step(states.2, 2 * lane + offset)
                states.3 = step(states.3, 3 * lane + offset)
                offset += 8
            }
        }
        let length = UInt64(lane)
        var result = combine(~states.0, ~states.1, secondLength: length)
        result = combine(result, ~states.2, secondLength: length)
        result = combine(result, ~states.3, secondLength: length)
        return serial(result, UnsafeRawBufferPointer(rebasing: buffer[(4 * lane)...]))
    }

    /// Kernel: one slicing-by-8 chain over the buffer.
    static func serial(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return crc }
        var state = ~crc
        let count = buffer.count
        var offset = 0
        table.withUnsafeBufferPointer { t in
            let wide = count & ~7
            while offset < wide {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) ^ UInt64(state)
                let low = UInt32(truncatingIfNeeded: word), high = UInt32(truncatingIfNeeded: word >> 32)
                state = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                offset += 8
            }
            while offset < count {
                let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                state = t[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8)
                offset += 1
            }
        }
        return ~state
    }

    /// The CRC-32C of the concatenation of a piece with CRC `first` and a piece of
    /// `secondLength` bytes with CRC `second` (zlib's `crc32_combine`, for CRC-32C).
    public static func combine(_ first: UInt32, _ second: UInt32, secondLength: UInt64) -> UInt32 {
        multiply(first, power(secondLength)) ^ second
    }

    /// The CRC-32C of `length` zero bytes.
    public static func zeros(_ length: UInt64) -> UInt32 {
        // The register starts at all ones; zero bytes only shift it: x^(8·length) · ~0, then ~.
        ~multiply(0xFFFF_FFFF, power(length))
    }

    /// a · b mod P in the reflected representation (bit 31 is x^0).
    static func multiply(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var m: UInt32 = 1 << 31, product: UInt32 = 0, b = b
        while m != 0 {
            if a & m != 0 { product ^= b }
            b = b & 1 != 0 ? (b >> 1) ^ polynomial : b >> 1
            m >>= 1
        }
        return product
    }

    /// x^(8·length) mod P: the operator that shifts a CRC register over `length` zero bytes.
    static func power(_ length: UInt64) -> UInt32 {
        var result: UInt32 = 1 << 31  // x^0
        var remaining = length, k = 3  // bytes are 2^3 bits
        while remaining != 0 {
            if remaining & 1 != 0 { result = multiply(result, squares[k]) }
            remaining >>= 1
            k += 1
        }
        return result
    }

    /// x^(2^k) mod P for k = 0…67 (a length of 2^64 − 1 bytes needs k up to 66).
    static let squares: [UInt32] = {
        var list: [UInt32] = [], value: UInt32 = 1 << 30  // x^1
        for _ in 0..<68 {
            list.append(value)
            value = multiply(value, value)
        }
        return list
    }()

    /// The slicing-by-8 tables: table k maps a byte to its CRC shifted over k further bytes.
    static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ polynomial : crc >> 1 }
            t[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = t[(slice - 1) * 256 + byte]
                t[slice * 256 + byte] = t[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return t
    }()
}
