@testable import ESECheck
import ESECorpus
@testable import ESEFormat
import Testing

/// Findings coalesce into ranges and stay bounded, whatever the order pages arrive in, and a
/// page's result can be taken back (a resubmit) without leaving a trace.
@Suite struct PageTallyTests {
    static func check(_ page: UInt32, _ outcome: PageOutcome) -> PageCheck {
        PageCheck(pageNumber: page, outcome: outcome, format: .eccXOR, stored: PageChecksums(1), computed: PageChecksums(2),
                  databaseTime: UInt64(page))
    }

    /// The outcome of page `page` in a pattern of runs of several kinds and good pages.
    static func outcome(_ page: UInt32) -> PageOutcome {
        switch (page / 7) % 4 {
        case 0: .badChecksum(suspectedPageNumber: nil)
        case 1: .ok
        case 2: page % 3 == 0 ? .correctable(bitOffset: 5) : .wrongPageNumber(storedPageNumber: 9)
        default: .uninitialized
        }
    }

    /// The ranges a list of findings coalesces into, computed the plain way.
    static func expectedRanges(_ pages: ClosedRange<UInt32>) -> [FindingRange] {
        var ranges: [FindingRange] = []
        for page in pages {
            let outcome = outcome(page)
            guard outcome != .ok, outcome != .uninitialized else { continue }
            if let last = ranges.last, last.kind == outcome.kind, last.lastPage + 1 == page {
                ranges[ranges.count - 1].lastPage = page
            } else {
                ranges.append(FindingRange(kind: outcome.kind, firstPage: page, lastPage: page))
            }
        }
        return ranges
    }

    @Test(arguments: [0, 3, 40, 10_000])
    func anyOrderGivesTheLowestFindingsAndRanges(limit: Int) {
        let pages: ClosedRange<UInt32> = 1...2000
        var random = DeterministicRandom(seed: UInt64(limit) + 7)
        let order = Array(pages).shuffled(using: &random)
        var tally = PageTally(findingLimit: limit)
        // Batches of up to 9 pages, tallied apart and merged, as sessions do.
        var index = 0
        while index < order.count {
            var batch = PageTally(findingLimit: .max)
            let size = 1 + random.next(below: 9)
            for page in order[index..<min(order.count, index + size)] {
                batch.add(Self.check(page, Self.outcome(page)), fileOffset: UInt64(page) * 4096)
            }
            index += size
            tally.merge(batch)
        }
        let all = Self.expectedRanges(pages)
        let findingPages = pages.filter { Self.outcome($0) != .ok && Self.outcome($0) != .uninitialized }
        #expect(tally.findingCount == findingPages.count)
        #expect(tally.counts.total == 2000)
        #expect(tally.findings.map(\.pageNumber) == Array(findingPages.prefix(limit)))
        #expect(tally.findingsOmitted == max(0, findingPages.count - limit))
        #expect(tally.findingRanges == Array(all.prefix(limit)))
        #expect(tally.findingRangesOmitted == findingPages.count - all.prefix(limit).reduce(0) { $0 + $1.count })
    }

    @Test func takingAPageBackSplitsItsRange() {
        var tally = PageTally()
        for page in UInt32(10)...20 { tally.add(Self.check(page, .badChecksum(suspectedPageNumber: nil)), fileOffset: 0) }
        tally.add(Self.check(30, .ok), fileOffset: 0)
        tally.remove(page: 15, kind: .badChecksum)
        tally.remove(page: 10, kind: .badChecksum)
        tally.remove(page: 30, kind: .ok)
        #expect(tally.findingRanges == [FindingRange(kind: .badChecksum, firstPage: 11, lastPage: 14),
                                        FindingRange(kind: .badChecksum, firstPage: 16, lastPage: 20)])
        #expect(tally.counts.badChecksum == 9 && tally.counts.ok == 0)
        #expect(!tally.findings.contains { $0.pageNumber == 15 || $0.pageNumber == 10 })
        tally.add(Self.check(15, .correctable(bitOffset: 3)), fileOffset: 0)
        #expect(tally.findingRanges.map(\.text) == ["11-14", "15", "16-20"])
        #expect(tally.findingRanges[1].kind == .correctable)
    }
}
