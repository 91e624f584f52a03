@testable import ESECheck
@testable import ESEFormat
import Testing

/// Page fingerprints: a run recorded at once reads back as page-by-page recording would,
/// across table chunks; a page whose entry another page took is unknown, never matching.
@Suite struct PageDigestsTests {
    static func digest(_ page: Int) -> PageDigests.Digest {
        PageDigests.Digest(PageCheck(pageNumber: UInt32(page), outcome: page % 5 == 0 ? .badChecksum(suspectedPageNumber: nil) : .ok,
                                     format: .eccXOR, stored: PageChecksums(UInt64(page) &* 31), computed: PageChecksums(UInt64(page) &* 31),
                                     databaseTime: 0))
    }

    /// A fingerprint keeps the outcome in 3 bits beside the trailer mark: every kind reads back.
    @Test func everyOutcomeKindFitsItsThreeBits() {
        #expect(PageOutcome.Kind.allCases.count <= 6)
        let outcomes: [PageOutcome] = [.ok, .uninitialized, .correctable(bitOffset: 1), .badChecksum(suspectedPageNumber: nil),
                                       .wrongPageNumber(storedPageNumber: 2), .structureDamaged(.ZeroLengthIline)]
        for outcome in outcomes {
            let kind = PageDigests.Kind(outcome)
            #expect(kind != .trailer && PageDigests.Kind(rawValue: kind.rawValue)?.outcomeKind == outcome.kind)
        }
        #expect(PageDigests.Kind.trailer.outcomeKind == nil)
    }

    @Test func aRunAcrossChunksReadsBackPageByPage() {
        var table = PageDigests(pageCount: 70_000)
        let first = PageDigests.chunkEntries - 10
        table.record((first..<first + 40).map(Self.digest), from: first)
        for page in first..<first + 40 {
            #expect(table.lookup(page: page) == .known(Self.digest(page)))
        }
        #expect(table.lookup(page: first - 1) == .unknown && table.lookup(page: first + 40) == .unknown)
        #expect(Self.digest(7) != Self.digest(8))
        #expect(PageDigests.Digest(trailer: HeaderPageCheck(stored: 1, computed: 2)).kind == .trailer)
    }

    @Test func pagesSharingAnEntryAreUnknown() {
        var table = PageDigests(pageCount: 3)
        table.record(Self.digest(1), page: 1)
        table.record(Self.digest(4), page: 4)            // the same entry as page 1
        #expect(table.lookup(page: 1) == .unknown)
        #expect(table.lookup(page: 4) == .known(Self.digest(4)))
        table.record([Self.digest(2), Self.digest(3), Self.digest(4), Self.digest(5)], from: 2)
        #expect(table.lookup(page: 2) == .unknown && table.lookup(page: 5) == .known(Self.digest(5)))
    }
}
