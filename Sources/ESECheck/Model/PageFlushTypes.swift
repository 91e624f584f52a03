import ESEFormat

/// The flush type of every database page that passed its checksum, 2 bits a page, and the
/// highest database time seen in each flush-map page's range of 32,512 pages: what the
/// comparison with the flush map needs (issue 14 point 4). Memory: 3 bits per page supplied
/// (`PagedValues`: a declared size, or holes marked as ranges, cost nothing until pages arrive).
///
/// A page that was not seen, failed its checksum or is all zero keeps 0 ("unknown"), the
/// value ESE never compares (cpage.cxx:4364-4369); all-zero pages are also marked (1 bit a
/// page), because ESE fails the read of an all-zero page the map knows with −1119 too
/// (cpage.cxx:4256-4276).
public struct PageFlushTypes: Hashable, Sendable {
    /// Data pages described (1…`pageCount`).
    public let pageCount: Int
    /// 2 bits per page, page `p` at bits `2 × (p mod 32)` of word `p / 32`.
    private var words: PagedValues<UInt64>
    /// The highest database time of a good page, per flush-map page (0 when none).
    public private(set) var highestTimes: [UInt64]
    /// 1 bit per page: the page is all zero.
    private var zeros: PagedValues<UInt64>

    /// An empty record for `pageCount` data pages.
    public init(pageCount: Int) {
        self.pageCount = max(0, pageCount)
        words = PagedValues(count: (self.pageCount + 1) / 32 + 1)
        highestTimes = [UInt64](repeating: 0, count: (self.pageCount + 1) / FlushMap.pagesPerMapPage + 1)
        zeros = PagedValues(count: (self.pageCount + 1) / 64 + 1)
    }

    /// Records page `page`'s flush type (0–3, the page header's `(fFlags >> 15) & 3`) and its
    /// database time. ESE: `CPAGE::Pgft()`, `dbtimeDirtied`.
    public mutating func record(page: UInt32, flushType: Int, databaseTime: UInt64) {
        guard page >= 1, Int(page) <= pageCount else { return }
        let index = Int(page) / 32, shift = UInt64(2 * (Int(page) % 32))
        words[index] = (words[index] & ~(3 << shift)) | (UInt64(flushType & 3) << shift)
        zeros[Int(page) / 64] &= ~(1 << UInt64(Int(page) % 64))
        let mapPage = FlushMap.mapPage(of: page)
        // dbtimeNil, dbtimeInvalid and dbtimeShrunk are no times (daedef.hxx:1110-1112).
        if databaseTime < 0xFFFF_FFFF_FFFF_FFFD { highestTimes[mapPage] = max(highestTimes[mapPage], databaseTime) }
    }

    /// Records all-zero pages (read, or holes of a sparse file): no flush type.
    public mutating func recordZero(_ pages: ClosedRange<UInt32>) {
        let low = max(1, Int(pages.lowerBound)), high = min(pageCount, Int(pages.upperBound))
        var page = low
        while page <= high {
            if page % 64 == 0, page + 63 <= high {
                // Whole bitmap words, pages page..<64 × wholeEnd: filled per chunk.
                let wholeEnd = (high + 1) / 64
                zeros.fill(page / 64..<wholeEnd, with: ~0)
                words.fill(page / 32..<2 * wholeEnd, with: 0)
                page = 64 * wholeEnd
                continue
            }
            let index = page / 32, shift = UInt64(2 * (page % 32))
            words[index] &= ~(3 << shift)
            zeros[page / 64] |= 1 << UInt64(page % 64)
            page += 1
        }
    }

    /// Whether `page` was recorded all zero.
    public func isZero(_ page: UInt32) -> Bool {
        guard page >= 1, Int(page) <= pageCount else { return false }
        return zeros[Int(page) / 64] & (1 << UInt64(Int(page) % 64)) != 0
    }

    /// The flush type recorded for `page` (0 when unknown).
    public func flushType(of page: UInt32) -> Int {
        guard page >= 1, Int(page) <= pageCount else { return 0 }
        return Int((words[Int(page) / 32] >> UInt64(2 * (Int(page) % 32))) & 3)
    }
}
