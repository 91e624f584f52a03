import Testing
@testable import ESEFormat

/// XXH3-64 and the manifest's tree hash against values computed by xxHash's reference C
/// implementation (github.com/Cyan4973/xxHash, `XXH3_64bits`, v0.8.2, compiled once outside this
/// project) over its sanity-test byte pattern; the SIMD stripe kernel against a scalar one.
@Suite struct XXH3Tests {
    /// xxHash's sanity-test pattern (`fillTestBuffer` in its tests/sanity_test.c):
    /// byte i is the top byte of PRIME32 · PRIME64^i.
    static func sanityBytes(_ count: Int) -> [UInt8] {
        var generator: UInt64 = 2_654_435_761
        return (0..<count).map { _ in
            defer { generator &*= 11_400_714_785_074_694_797 }
            return UInt8(truncatingIfNeeded: generator >> 56)
        }
    }

    static let pattern = sanityBytes(5 << 20)

    /// `XXH3_64bits(pattern, length)` from the reference implementation: every path (0, 1–3,
    /// 4–8, 9–16, 17–128, 129–240, long) and the block and stripe edges of the long path.
    static let vectors: [(Int, UInt64)] = [
        (0, 0x2D06_8005_38D3_94C2), (1, 0xC44B_DFF4_074E_ECDB), (2, 0x7A99_7804_4CB8_A8BB), (3, 0x5424_7382_A8D6_B94D),
        (4, 0xE5DC_74BC_5184_8A51), (5, 0xE424_3F00_7203_06BB), (7, 0x9941_E000_7F55_5E50), (8, 0x24CC_C9AC_AA9F_65E4),
        (9, 0x14D5_001C_15DD_3F2B), (15, 0x4555_6D4D_6E17_98BC), (16, 0x981B_17D3_6C74_98C9), (17, 0x796F_5ACD_3A60_F862),
        (31, 0x5D51_6692_CA76_4C50), (32, 0x9FEA_DDBD_BF57_EED3), (33, 0xABFB_2D08_1B40_0A10), (63, 0x83D7_4A75_F2C2_577A),
        (64, 0x9CB4_8487_720E_C49D), (65, 0xFD81_AAC4_BEBC_3883), (96, 0x935A_769A_7F94_776F), (127, 0x2408_ED71_323D_6096),
        (128, 0xFCFF_2412_6754_D861), (129, 0x98F1_B0A6_79A2_CA29), (130, 0x7F6C_531C_F53E_EB30), (143, 0x7A78_1369_3F1F_4EDB),
        (144, 0xC440_D47E_5F03_FE58), (200, 0xBDDC_A589_35D7_C038), (239, 0x16CE_2B9D_3B28_805D), (240, 0x81C3_C2B6_7F56_8CCF),
        (241, 0xC5A6_39EC_D203_0E5E), (242, 0x9673_44E7_8CB4_B723), (255, 0xE98F_979F_4ED8_A197), (256, 0x55DE_574A_D89D_0AC5),
        (257, 0xB17F_D5A8_AE75_BB0B), (383, 0xEFF8_1E70_06EF_8ADD), (511, 0x8089_715B_163E_7FC0), (512, 0x617E_4959_9013_CB6B),
        (513, 0xF703_7D3B_6722_AEEC), (1023, 0x87A8_F7B2_F2E2_2496), (1024, 0xDD85_C9B5_C110_9C5C), (1025, 0xD870_C0FA_1321_1C6A),
        (1087, 0x047F_181E_7C8A_41B9), (1088, 0xCC14_50EA_6B52_A8F4), (1089, 0xEF72_7B2E_FFC4_CC8C), (1151, 0x7153_F50F_ED4B_A56A),
        (1152, 0x8D10_F861_683E_B1DD), (1153, 0x252E_89C8_B062_0818), (2047, 0xB36E_CE19_FCA2_197F), (2048, 0xDD59_E2C3_A5F0_38E0),
        (2049, 0xD3AF_A432_9779_B921), (3000, 0x120A_15F4_CBD5_A736), (4095, 0x3044_1872_22AB_0EFB), (4096, 0xE912_0642_9D1F_48F9),
        (4097, 0xDAC8_0D54_3E33_9451), (8191, 0x31FF_DFA4_31FA_F170), (8192, 0xD636_90A2_8889_A350), (10000, 0xBCD8_8350_7019_CA90),
        (65536, 0x918F_7F0F_912C_A480), (100_003, 0xD4AA_D81D_F88F_F644),
    ]

    /// The tree hash (docs/manifest.md) of the first `length` bytes of the pattern, computed
    /// from the reference `XXH3_64bits` with the definition's leaves, groups and size.
    static let treeVectors: [(Int, UInt64)] = [
        (0, 0xC77B_3ABB_6F87_ACD9), (1, 0x714D_3A8D_F5A7_7B32), (16, 0xB6D2_0648_16DE_9BC8), (4095, 0x44A0_D168_0F00_5714),
        (4096, 0xA09C_3265_9F41_07BA), (4097, 0xAF52_25B0_8955_7519), (8192, 0xFA2B_0768_F400_C0C2), (12345, 0x928E_DC77_B984_34FF),
        (1_048_575, 0xBAB7_DC7C_D231_B595), (1_048_576, 0x4E93_2E26_07E5_CF61), (1_048_577, 0x88E9_8BF7_C6E0_F1F8),
        (1_052_672, 0x191C_D909_51BE_A5CF), (3_158_073, 0xD572_6520_7F11_7D4F), (5_242_880, 0x34BE_98D2_9193_8458),
    ]

    @Test func referenceVectors() {
        for (length, expected) in Self.vectors {
            #expect(XXH3.hash(Self.pattern.span.bytes.extracting(0..<length)) == expected, "length \(length)")
        }
    }

    @Test func treeReferenceVectors() {
        for (length, expected) in Self.treeVectors {
            #expect(XXH3Tree.hash(Self.pattern.span.bytes.extracting(0..<length)) == expected, "length \(length)")
        }
        // 2 MiB + 8 KiB of zeros, and the zero leaf and group the sparse path uses.
        let zeros = [UInt8](repeating: 0, count: (2 << 20) + 8192)
        #expect(XXH3Tree.hash(zeros.span.bytes) == 0x49B4_0490_DB18_31BE)
        #expect(XXH3Tree.zeroLeaf == XXH3.hash(zeros.span.bytes.extracting(0..<4096)))
        #expect(XXH3Tree.zeroGroup == XXH3Tree.groupHash(XXH3Tree.leafHashes(zeros.span.bytes.extracting(0..<(1 << 20)), includingShortLast: false)))
    }

    /// The long path written lane by lane, as the specification states it.
    static func scalarLong(_ bytes: [UInt8]) -> UInt64 {
        func word(_ source: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(source[at + $1]) << (8 * UInt64($1)) } }
        var acc: [UInt64] = [XXH3.prime32_3, XXH3.prime64_1, XXH3.prime64_2, XXH3.prime64_3,
                             XXH3.prime64_4, XXH3.prime32_2, XXH3.prime64_5, XXH3.prime32_1]
        func accumulate(_ at: Int, _ keyAt: Int) {
            for lane in 0..<8 {
                let data = word(bytes, at + 8 * lane), mixed = data ^ word(XXH3.secret, keyAt + 8 * lane)
                acc[lane ^ 1] &+= data
                acc[lane] &+= (mixed & 0xFFFF_FFFF) &* (mixed >> 32)
            }
        }
        let blocks = (bytes.count - 1) / 1024
        for block in 0..<blocks {
            for stripe in 0..<16 { accumulate(block * 1024 + stripe * 64, stripe * 8) }
            for lane in 0..<8 { acc[lane] = (acc[lane] ^ (acc[lane] >> 47) ^ word(XXH3.secret, 128 + 8 * lane)) &* XXH3.prime32_1 }
        }
        for stripe in 0..<((bytes.count - 1 - blocks * 1024) / 64) { accumulate(blocks * 1024 + stripe * 64, stripe * 8) }
        accumulate(bytes.count - 64, 121)
        var result = UInt64(bytes.count) &* XXH3.prime64_1
        for pair in 0..<4 {
            let product = (acc[2 * pair] ^ word(XXH3.secret, 11 + 16 * pair)).multipliedFullWidth(by: acc[2 * pair + 1] ^ word(XXH3.secret, 19 + 16 * pair))
            result &+= product.low ^ product.high
        }
        return XXH3.avalanche(result)
    }

    @Test func simdKernelMatchesScalarLanes() {
        var state: UInt64 = 0x1234_5678
        for length in [241, 300, 1024, 1025, 2111, 4096, 4097, 9000] {
            let bytes = (0..<length).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 29)
            }
            #expect(XXH3.hash(bytes.span.bytes) == Self.scalarLong(bytes), "length \(length)")
        }
    }

    @Test func leavesPageByPageMatchLeavesOfTheRun() {
        let run = Self.pattern.span.bytes.extracting(0..<(10 * 8192))
        var fused: [UInt64] = []
        for page in 0..<10 { XXH3Tree.appendLeafHashes(run.extracting((page * 8192)..<((page + 1) * 8192)), to: &fused) }
        #expect(fused == XXH3Tree.leafHashes(run, includingShortLast: true))
        #expect(fused.count == 20)
        var partial: [UInt64] = []
        XXH3Tree.appendLeafHashes(Self.pattern.span.bytes.extracting(0..<5000), to: &partial)
        #expect(partial == [XXH3.hash(Self.pattern.span.bytes.extracting(0..<4096))])
    }
}

/// The streaming form of the tree hash against the whole-buffer form, for pieces of any size.
@Suite struct XXH3TreeStreamTests {
    @Test(arguments: [1, 7, 100, 4095, 4096, 4097, 65_537, 1 << 20, 3 << 20])
    func piecesOfAnySizeGiveTheTreeHash(piece: Int) {
        // Tiny pieces over small files only (a debug build takes them byte by byte).
        for length in [0, 1, 4095, 4096, 12345, (1 << 20) + 1, (2 << 20) + 4096 + 3] where piece >= 100 || length < 65536 {
            let bytes = XXH3Tests.pattern.span.bytes.extracting(0..<length)
            var stream = XXH3TreeStream()
            var offset = 0
            while offset < length {
                let end = min(offset + piece, length)
                stream.update(bytes.extracting(offset..<end))
                offset = end
            }
            #expect(stream.byteCount == UInt64(length))
            #expect(stream.finalize() == XXH3Tree.hash(bytes), "length \(length), pieces of \(piece)")
        }
    }
}
