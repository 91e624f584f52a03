import ESETestSupport
import Testing
@testable import ESEFormat

/// Property tests of page verification: every single-bit flip is found and located, and
/// no double flip passes.
@Suite struct PageVerifierTests {
    /// A random, sealed new-format page with a plausible header.
    static func randomPage(size: Int, pageNumber: UInt32, seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        var page = random.bytes(size)
        page.storeLE(UInt32(0x0000_0802), at: 36)  // leaf-free flags; the writer adds 0x2000
        let layout = PageLayout(pageSize: size)!
        if layout.isLarge {
            page.storeLE(pageNumber, at: 64)
            for index in 68..<80 { page[index] = 0 }
        }
        PageWriter.seal(&page, pageNumber: pageNumber, layout: layout)
        return page
    }

    static func check(_ page: [UInt8], _ pageNumber: UInt32) -> PageOutcome {
        try! PageVerifier.check(page.span.bytes, pageNumber: pageNumber, layout: PageLayout(pageSize: page.count)!).outcome
    }

    @Test(arguments: [4096, 8192, 16384, 32768])
    func sealedPageIsOK(size: Int) {
        let page = Self.randomPage(size: size, pageNumber: 42, seed: 1)
        #expect(Self.check(page, 42) == .ok)
    }

    /// Bits that no ECC can repair: the stored checksum itself (bytes 0–7) and the format flag.
    static func isUncorrectable(_ bit: Int) -> Bool { bit < 64 || bit == PageFlags.newChecksumFormatBitOffset }

    @Test(arguments: [4096, 8192, 16384, 32768])
    func everySingleBitFlipIsLocated(size: Int) {
        var page = Self.randomPage(size: size, pageNumber: 7, seed: UInt64(size))
        var mislocated: [Int] = []
        for bit in 0..<(size * 8) {
            page.flipBit(bit)
            let outcome = Self.check(page, 7)
            page.flipBit(bit)
            if Self.isUncorrectable(bit) {
                if case .badChecksum = outcome { continue }
                mislocated.append(bit)
            } else if outcome != .correctable(bitOffset: bit) {
                mislocated.append(bit)
            }
        }
        #expect(mislocated.isEmpty, "\(mislocated.count) bits misreported, first \(mislocated.prefix(5))")
    }

    @Test(arguments: [4096, 8192, 16384, 32768])
    func twoFlippedBitsAreNeverOK(size: Int) {
        var random = SeededRandom(seed: 99)
        var page = Self.randomPage(size: size, pageNumber: 3, seed: 5)
        for _ in 0..<2000 {
            let first = random.next(below: size * 8)
            var second = random.next(below: size * 8)
            if second == first { second = (first + 1) % (size * 8) }
            page.flipBit(first)
            page.flipBit(second)
            let outcome = Self.check(page, 3)
            #expect(outcome != .ok, "bits \(first) and \(second)")
            page.flipBit(first)
            page.flipBit(second)
        }
    }

    @Test(arguments: [16384, 32768])
    func oneFlipPerBlockOfALargePageIsCorrectable(size: Int) {
        var page = Self.randomPage(size: size, pageNumber: 11, seed: 3)
        let layout = PageLayout(pageSize: size)!
        let bits = (0..<4).map { layout.blockRange($0).lowerBound * 8 + 1000 + $0 }
        for bit in bits { page.flipBit(bit) }
        #expect(Self.check(page, 11) == .correctable(bitOffset: bits[0]))
    }

    @Test(arguments: [4096, 8192, 16384, 32768])
    func pageAtTheWrongOffsetSuggestsItsRealNumber(size: Int) {
        let page = Self.randomPage(size: size, pageNumber: 5, seed: 8)
        #expect(Self.check(page, 6) == .badChecksum(suspectedPageNumber: 5))
        #expect(Self.check(page, 1_000_000) == .badChecksum(suspectedPageNumber: 5))
    }

    @Test func storedChecksumFlipSuggestsAnotherPage() {
        // §4.5: flipping bit 2 of the stored checksum is not correctable; "maybe page 1" for page 5.
        var page = Self.randomPage(size: 8192, pageNumber: 5, seed: 2)
        page.flipBit(2)
        #expect(Self.check(page, 5) == .badChecksum(suspectedPageNumber: 1))
    }

    @Test func largePageWithWrongStoredNumber() {
        var page = Self.randomPage(size: 32768, pageNumber: 9, seed: 4)
        page.storeLE(UInt32(10), at: 64)
        PageWriter.seal(&page, pageNumber: 9, layout: PageLayout(pageSize: 32768)!)
        #expect(Self.check(page, 9) == .wrongPageNumber(storedPageNumber: 10))
    }

    @Test func allZeroPageIsUninitializedButZeroChecksumIsNot() {
        var page = [UInt8](repeating: 0, count: 8192)
        #expect(Self.check(page, 1) == .uninitialized)
        page[5000] = 1
        if case .badChecksum = Self.check(page, 1) {} else { Issue.record("a zero checksum on a non-zero page must fail") }
    }

    @Test func legacyFormatPages() {
        var random = SeededRandom(seed: 12)
        var page = random.bytes(4096)
        page.storeLE(UInt32(0), at: 36)
        PageWriter.sealLegacy(&page, pageNumber: 77)
        let check = try! PageVerifier.check(page.span.bytes, pageNumber: 77, layout: PageLayout(pageSize: 4096)!)
        #expect(check.outcome == .ok && check.format == .legacyXOR)
        #expect(Self.check(page, 78) == .badChecksum(suspectedPageNumber: 77))
        page.flipBit(20000)
        #expect(Self.check(page, 77) == .badChecksum(suspectedPageNumber: nil))
    }

    @Test func wrongSizedSpanIsAnErrorNotATrap() {
        let bytes = [UInt8](repeating: 1, count: 100)
        #expect(throws: FormatError.self) {
            try PageVerifier.check(bytes.span.bytes, pageNumber: 1, layout: PageLayout(pageSize: 4096)!)
        }
    }
}
