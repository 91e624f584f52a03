import ESETestSupport
import Testing
@testable import ESEFormat

/// Microsoft's known-answer vectors (`checksum_test.cxx`, `KnownPageUnitTest`) and the
/// specification's own vectors (ese-format.md §4.5).
@Suite struct ChecksumVectorTests {
    /// The 8 KiB page of Microsoft's first vector: byte i = i & 0xFF for i < 4096, then zeros.
    static func microsoftPage8K() -> [UInt8] {
        var page = [UInt8](repeating: 0, count: 8192)
        for index in 0..<4096 { page[index] = UInt8(index & 0xFF) }
        return page
    }

    /// The 32 KiB pattern: byte i = (i + i / 13) & 0xFF.
    static func microsoftPattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(($0 + $0 / 13) & 0xFF) }
    }

    /// The specification's LCG pattern with a page header prepared as in §4.5.
    static func lcgPage(size: Int, pageNumber: UInt32) -> [UInt8] {
        var seed: UInt32 = 1
        var page = [UInt8](repeating: 0, count: size)
        for index in 0..<size {
            seed = (seed &* 1_103_515_245 &+ 12345) & 0x7FFF_FFFF
            page[index] = UInt8((seed >> 16) & 0xFF)
        }
        for index in 0..<8 { page[index] = 0 }
        page.storeLE(UInt32(0x0000_2802), at: 36)
        if size > 8192 {
            for index in 40..<64 { page[index] = 0 }
            page.storeLE(pageNumber, at: 64)
            for index in 68..<80 { page[index] = 0 }
        }
        return page
    }

    @Test func microsoftSmallPageVector() {
        var page = Self.microsoftPage8K()
        page[37] |= 0x20  // SetPageChecksum sets fPageNewChecksumFormat first.
        let checksum = page.span.bytes.withUnsafeBytes {
            ECCChecksum.compute($0, pageNumber: 9876, isHeaderBlock: true)
        }
        #expect(checksum.rawValue == 0x0000_0000_0404_2290)
    }

    @Test func microsoftHeaderVector() {
        var page = Self.microsoftPage8K()
        page[37] |= 0x20
        page.storeLE(UInt32(0x8912_3456), at: 0)
        page.storeLE(UInt32(0x1234_5678), at: 4)
        #expect(LegacyChecksum.compute(page.span.bytes) == 0x9F9B_9F93)
        #expect(ReferenceChecksum.legacyXOR(page.span.bytes) == 0x9F9B_9F93)
    }

    @Test(arguments: [
        (32768, [0xF9CE_0631_47B6_B865, 0x69AF_69AF_CDD5_90E4, 0x7709_88F6_2EA1_A9E2, 0x7CB7_7CB7_7B83_9A0E] as [UInt64]),
        (16384, [0x7B80_7B80_651E_03FC, 0x7C34_7C34_BC66_A14B, 0x6C7E_6C7E_CB3A_6C94, 0x05D1_05D1_9E99_A841]),
    ])
    func microsoftLargePageVectors(size: Int, expected: [UInt64]) throws {
        var page = Self.microsoftPattern(size)
        let layout = try #require(PageLayout(pageSize: size))
        PageWriter.seal(&page, pageNumber: 0x9876_5431, layout: layout)
        #expect(page.loadLE(UInt64.self, at: 0) == expected[0])
        #expect(page.loadLE(UInt64.self, at: 40) == expected[1])
        #expect(page.loadLE(UInt64.self, at: 48) == expected[2])
        #expect(page.loadLE(UInt64.self, at: 56) == expected[3])
    }

    @Test func microsoftDehydratedPageVector() {
        // First 28 KiB: 8 K, 8 K, 8 K blocks and a 4 K remainder, computed block by block.
        var page = Self.microsoftPattern(28672)
        page[37] |= 0x20
        let pageNumber: UInt32 = 0x9876_5431
        var checksums: [UInt64] = []
        for (start, size) in [(8192, 8192), (16384, 8192), (24576, 4096)] {
            checksums.append(page.withUnsafeBytes {
                ECCChecksum.compute(UnsafeRawBufferPointer(rebasing: $0[start..<start + size]), pageNumber: pageNumber, isHeaderBlock: false).rawValue
            })
        }
        for (index, value) in checksums.enumerated() { page.storeLE(value, at: 40 + 8 * index) }
        let first = page.withUnsafeBytes {
            ECCChecksum.compute(UnsafeRawBufferPointer(rebasing: $0[0..<8192]), pageNumber: pageNumber, isHeaderBlock: true).rawValue
        }
        #expect([first] + checksums == [0xF9D8_0627_E9C2_387E, 0x69AF_69AF_CDD5_90E4, 0x7709_88F6_2EA1_A9E2, 0x1F31_1F31_B671_7993])
    }

    @Test func specificationLCGVectors() throws {
        var small = Self.lcgPage(size: 8192, pageNumber: 5)
        #expect(LegacyChecksum.compute(Self.lcgUnprepared(8192).span.bytes) == 0x79CD_7338)
        PageWriter.seal(&small, pageNumber: 5, layout: try #require(PageLayout(pageSize: 8192)))
        #expect(small.loadLE(UInt64.self, at: 0) == 0x4EF4_B10B_D325_E849)

        var large = Self.lcgPage(size: 32768, pageNumber: 5)
        PageWriter.seal(&large, pageNumber: 5, layout: try #require(PageLayout(pageSize: 32768)))
        #expect([0, 40, 48, 56].map { large.loadLE(UInt64.self, at: $0) }
                == [0xB305_B305_7DFA_C3F6, 0x5238_ADC7_E8B2_6CE6, 0x66DD_66DD_BA21_B26B, 0x2A6E_2A6E_FC5F_3BBA])
    }

    static func lcgUnprepared(_ size: Int) -> [UInt8] {
        var seed: UInt32 = 1
        return (0..<size).map { _ in
            seed = (seed &* 1_103_515_245 &+ 12345) & 0x7FFF_FFFF
            return UInt8((seed >> 16) & 0xFF)
        }
    }

    @Test func handCheckableVectors() {
        var block = [UInt8](repeating: 0, count: 4096)
        block[100] = 0x01
        #expect(ECCChecksum.compute(block.span.bytes, pageNumber: 0, isHeaderBlock: true).rawValue == 0x7CDF_0320_0000_0001)
        var zero = [UInt8](repeating: 0, count: 8192)
        #expect(ECCChecksum.compute(zero.span.bytes, pageNumber: 7, isHeaderBlock: true).rawValue == 0x0000_0000_0000_0007)
        zero[8191] = 0x80
        #expect(ECCChecksum.compute(zero.span.bytes, pageNumber: 7, isHeaderBlock: true).rawValue == 0x0000_FFFF_8000_0007)
    }
}
