/// XXH3-64 (xxHash 0.8, seed 0, the default 192-byte secret), written from the public
/// specification (github.com/Cyan4973/xxHash, `doc/xxhash_spec.md`, "XXH3 Algorithm"). It is
/// not an ESE checksum: ESECheck uses it for the whole-file hash of a backup manifest
/// (`XXH3Tree`, docs/manifest.md). The value is the one `XXH3_64bits()`, `xxhsum -H3` and
/// Python's `xxhash.xxh3_64_intdigest` give.
///
/// Inputs of 0–240 bytes take the specification's short paths (scalar). Longer inputs run the
/// stripe kernel: eight 64-bit lanes in one `SIMD8<UInt64>`, each stripe a 32×32→64 multiply
/// of the data XOR the secret (SSE2 `pmuludq`), plus the lanes swapped pairwise; the bounds are
/// taken once from the buffer.
public enum XXH3 {
    static let prime32_1: UInt64 = 0x9E37_79B1
    static let prime32_2: UInt64 = 0x85EB_CA77
    static let prime32_3: UInt64 = 0xC2B2_AE3D
    static let prime64_1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime64_2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime64_3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime64_4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime64_5: UInt64 = 0x27D4_EB2F_1656_67C5
    static let primeMX1: UInt64 = 0x1656_6791_9E37_79F9
    static let primeMX2: UInt64 = 0x9FB2_1C65_1E98_DF25

    /// Bytes of the secret; a block holds `(secretBytes - 64) / 8` = 16 stripes of 64 bytes.
    static let secretBytes = 192
    /// Stripes in a block.
    static let stripesPerBlock = 16
    /// Bytes in a block (1024).
    static let blockBytes = 1024

    /// The XXH3-64 of `bytes`.
    public static func hash(_ bytes: RawSpan) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The XXH3-64 of `buffer`: the short paths, or the stripe kernel above 240 bytes.
    static func hash(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return empty }
        let length = buffer.count
        return secret.withUnsafeBytes { raw in
            let key = raw.baseAddress!
            switch length {
            case ...3: return oneToThree(base, length, key)
            case ...8: return fourToEight(base, length, key)
            case ...16: return nineToSixteen(base, length, key)
            case ...128: return upTo128(base, length, key)
            case ...240: return upTo240(base, length, key)
            default: return long(base, length, key)
            }
        }
    }

    /// Appends the XXH3-64 of each whole `length`-byte piece of `buffer` (`length` > 240) to
    /// `hashes`, the secret taken once for all of them.
    static func appendHashes(_ buffer: UnsafeRawBufferPointer, every length: Int, to hashes: inout [UInt64]) {
        precondition(length > 240, "pieces of the long path only")
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count / length
        secret.withUnsafeBytes { raw in
            for piece in 0..<count { hashes.append(long(base + piece * length, length, raw.baseAddress!)) }
        }
    }

    /// The XXH3-64 of no bytes: `avalanche_XXH64(secret[56..<64] ^ secret[64..<72])`.
    static let empty: UInt64 = secret.withUnsafeBytes { avalancheXXH64(word($0.baseAddress!, 56) ^ word($0.baseAddress!, 64)) }

    // MARK: short inputs (spec: "XXH3 Algorithm Description (for small inputs)")

    static func oneToThree(_ input: UnsafeRawPointer, _ length: Int, _ key: UnsafeRawPointer) -> UInt64 {
        let combined = UInt32(byte(input, length - 1)) | UInt32(length) << 8 | UInt32(byte(input, 0)) << 16
            | UInt32(byte(input, length >> 1)) << 24
        let value = UInt64(half(key, 0) ^ half(key, 4)) ^ UInt64(combined)
        return avalancheXXH64(value)
    }

    static func fourToEight(_ input: UnsafeRawPointer, _ length: Int, _ key: UnsafeRawPointer) -> UInt64 {
        let first = UInt64(half(input, 0)), last = UInt64(half(input, length - 4))
        var value = (word(key, 8) ^ word(key, 16)) ^ (last | first << 32)
        value ^= rotate(value, 49) ^ rotate(value, 24)
        value &*= primeMX2
        value ^= (value >> 35) &+ UInt64(length)
        value &*= primeMX2
        return value ^ (value >> 28)
    }

    static func nineToSixteen(_ input: UnsafeRawPointer, _ length: Int, _ key: UnsafeRawPointer) -> UInt64 {
        let low = (word(key, 24) ^ word(key, 32)) ^ word(input, 0)
        let high = (word(key, 40) ^ word(key, 48)) ^ word(input, length - 8)
        let product = low.multipliedFullWidth(by: high)
        return avalanche(UInt64(length) &+ low.byteSwapped &+ high &+ (product.low ^ product.high))
    }

    /// `mixStep`: the folded 128-bit product of 16 input bytes XOR 16 secret bytes (seed 0).
    @inline(__always)
    static func mix(_ input: UnsafeRawPointer, _ at: Int, _ key: UnsafeRawPointer, _ keyAt: Int) -> UInt64 {
        let product = (word(input, at) ^ word(key, keyAt)).multipliedFullWidth(by: word(input, at + 8) ^ word(key, keyAt + 8))
        return product.low ^ product.high
    }

    static func upTo128(_ input: UnsafeRawPointer, _ length: Int, _ key: UnsafeRawPointer) -> UInt64 {
        var acc = UInt64(length) &* prime64_1
        var round = (length - 1) >> 5
        while round >= 0 {
            acc &+= mix(input, round * 16, key, round * 32)
            acc &+= mix(input, length - round * 16 - 16, key, round * 32 + 16)
            round -= 1
        }
        return avalanche(acc)
    }

    static func upTo240(_ input: UnsafeRawPointer, _ length: Int, _ key: UnsafeRawPointer) -> UInt64 {
        var acc = UInt64(length) &* prime64_1
        for index in 0..<8 { acc &+= mix(input, index * 16, key, index * 16) }
        acc = avalanche(acc)
        for index in 8..<(length >> 4) { acc &+= mix(input, index * 16, key, (index - 8) * 16 + 3) }
        acc &+= mix(input, length - 16, key, 119)
        return avalanche(acc)
    }

    // MARK: long inputs (spec: "XXH3 Algorithm Description (for large inputs)")

    /// The accumulators' starting values.
    static let initialLanes = SIMD8<UInt64>(prime32_3, prime64_1, prime64_2, prime64_3, prime64_4, prime32_2, prime64_5, prime32_1)

    /// Kernel: blocks of 16 stripes, each followed by the scramble; the last block's stripes but
    /// its last; the last 64 bytes as a stripe; the merge. `length` > 240, bounds from the caller.
    static func long(_ input: UnsafeRawPointer, _ length: Int, _ key: UnsafeRawPointer) -> UInt64 {
        var acc = initialLanes
        let blocks = (length - 1) / blockBytes
        var offset = 0
        for _ in 0..<blocks {
            stripes(&acc, input + offset, count: stripesPerBlock, key)
            scramble(&acc, key)
            offset += blockBytes
        }
        stripes(&acc, input + offset, count: (length - 1 - offset) / 64, key)
        accumulate(&acc, input + (length - 64), lanes(key, secretBytes - 71))
        return merge(acc, length: length, key)
    }

    /// `count` stripes from `block`, stripe n against the secret at 8·n.
    @inline(__always)
    static func stripes(_ acc: inout SIMD8<UInt64>, _ block: UnsafeRawPointer, count: Int, _ key: UnsafeRawPointer) {
        for stripe in 0..<count { accumulate(&acc, block + 64 * stripe, lanes(key, 8 * stripe)) }
    }

    /// One stripe: `acc[i ^ 1] += data[i]`, `acc[i] += lo32(data[i] ^ key[i]) · hi32(…)`.
    @inline(__always)
    static func accumulate(_ acc: inout SIMD8<UInt64>, _ stripe: UnsafeRawPointer, _ keyLanes: SIMD8<UInt64>) {
        let data = lanes(stripe, 0)
        let mixed = data ^ keyLanes
        let product = (mixed & 0xFFFF_FFFF) &* (mixed &>> 32)
        let swapped = SIMD8<UInt64>(data[1], data[0], data[3], data[2], data[5], data[4], data[7], data[6])
        acc &+= swapped &+ product
    }

    /// `round_scramble`: `acc = (acc ^ acc >> 47 ^ secret[128..<192]) · PRIME32_1`.
    @inline(__always)
    static func scramble(_ acc: inout SIMD8<UInt64>, _ key: UnsafeRawPointer) {
        acc = (acc ^ (acc &>> 47) ^ lanes(key, secretBytes - 64)) &* prime32_1
    }

    /// `finalMerge(length · PRIME64_1, 11)`.
    static func merge(_ acc: SIMD8<UInt64>, length: Int, _ key: UnsafeRawPointer) -> UInt64 {
        var result = UInt64(length) &* prime64_1
        for pair in 0..<4 {
            let product = (acc[2 * pair] ^ word(key, 11 + 16 * pair)).multipliedFullWidth(by: acc[2 * pair + 1] ^ word(key, 19 + 16 * pair))
            result &+= product.low ^ product.high
        }
        return avalanche(result)
    }

    // MARK: helpers

    static func avalanche(_ value: UInt64) -> UInt64 {
        var x = value ^ (value >> 37)
        x &*= primeMX1
        return x ^ (x >> 32)
    }

    static func avalancheXXH64(_ value: UInt64) -> UInt64 {
        var x = value ^ (value >> 33)
        x &*= prime64_2
        x ^= x >> 29
        x &*= prime64_3
        return x ^ (x >> 32)
    }

    @inline(__always) static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { value << count | value >> (64 - count) }
    @inline(__always) static func byte(_ base: UnsafeRawPointer, _ at: Int) -> UInt8 { base.load(fromByteOffset: at, as: UInt8.self) }
    @inline(__always) static func half(_ base: UnsafeRawPointer, _ at: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
    @inline(__always) static func word(_ base: UnsafeRawPointer, _ at: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    /// Eight little-endian 64-bit words at `base + at`.
    @inline(__always)
    static func lanes(_ base: UnsafeRawPointer, _ at: Int) -> SIMD8<UInt64> {
        let value = base.loadUnaligned(fromByteOffset: at, as: SIMD8<UInt64>.self)
        #if _endian(big)
        var swapped = value
        for lane in 0..<8 { swapped[lane] = value[lane].byteSwapped }
        return swapped
        #else
        return value
        #endif
    }

    /// The default secret (`XXH3_kSecret`, 192 bytes).
    static let secret: [UInt8] = [
        0xB8, 0xFE, 0x6C, 0x39, 0x23, 0xA4, 0x4B, 0xBE, 0x7C, 0x01, 0x81, 0x2C, 0xF7, 0x21, 0xAD, 0x1C,
        0xDE, 0xD4, 0x6D, 0xE9, 0x83, 0x90, 0x97, 0xDB, 0x72, 0x40, 0xA4, 0xA4, 0xB7, 0xB3, 0x67, 0x1F,
        0xCB, 0x79, 0xE6, 0x4E, 0xCC, 0xC0, 0xE5, 0x78, 0x82, 0x5A, 0xD0, 0x7D, 0xCC, 0xFF, 0x72, 0x21,
        0xB8, 0x08, 0x46, 0x74, 0xF7, 0x43, 0x24, 0x8E, 0xE0, 0x35, 0x90, 0xE6, 0x81, 0x3A, 0x26, 0x4C,
        0x3C, 0x28, 0x52, 0xBB, 0x91, 0xC3, 0x00, 0xCB, 0x88, 0xD0, 0x65, 0x8B, 0x1B, 0x53, 0x2E, 0xA3,
        0x71, 0x64, 0x48, 0x97, 0xA2, 0x0D, 0xF9, 0x4E, 0x38, 0x19, 0xEF, 0x46, 0xA9, 0xDE, 0xAC, 0xD8,
        0xA8, 0xFA, 0x76, 0x3F, 0xE3, 0x9C, 0x34, 0x3F, 0xF9, 0xDC, 0xBB, 0xC7, 0xC7, 0x0B, 0x4F, 0x1D,
        0x8A, 0x51, 0xE0, 0x4B, 0xCD, 0xB4, 0x59, 0x31, 0xC8, 0x9F, 0x7E, 0xC9, 0xD9, 0x78, 0x73, 0x64,
        0xEA, 0xC5, 0xAC, 0x83, 0x34, 0xD3, 0xEB, 0xC3, 0xC5, 0x81, 0xA0, 0xFF, 0xFA, 0x13, 0x63, 0xEB,
        0x17, 0x0D, 0xDD, 0x51, 0xB7, 0xF0, 0xDA, 0x49, 0xD3, 0x16, 0x55, 0x26, 0x29, 0xD4, 0x68, 0x9E,
        0x2B, 0x16, 0xBE, 0x58, 0x7D, 0x47, 0xA1, 0xFC, 0x8F, 0xF8, 0xB8, 0xD1, 0x7A, 0xD0, 0x31, 0xCE,
        0x45, 0xCB, 0x3A, 0x8F, 0x95, 0x16, 0x04, 0x28, 0xAF, 0xD7, 0xFB, 0xCA, 0xBB, 0x4B, 0x40, 0x7E,
    ]
}
