/// Which pages of a database were checked, page by page: CHKSGFILES only counts pages, which
/// hides a skipped page behind a duplicated one; this map names both.
public struct CoverageMap: Hashable, Sendable {
    /// Pages the map covers (logical page numbers 1…count).
    public let pageCount: Int
    private var seen: [UInt64]
    private var repeated: [UInt64]

    /// A map of `pageCount` pages, none seen.
    public init(pageCount: Int) {
        self.pageCount = max(0, pageCount)
        let words = (self.pageCount + 63) / 64
        seen = [UInt64](repeating: 0, count: words)
        repeated = [UInt64](repeating: 0, count: words)
    }

    /// Marks page `pageNumber` (1-based) seen; returns false when it had been seen before
    /// (it is then recorded as seen twice).
    public mutating func markSeen(_ pageNumber: Int) -> Bool {
        let index = pageNumber - 1
        guard index >= 0, index < pageCount else { return false }
        let word = index >> 6, bit = UInt64(1) << UInt64(index & 63)
        if seen[word] & bit != 0 {
            repeated[word] |= bit
            return false
        }
        seen[word] |= bit
        return true
    }

    /// Whether page `pageNumber` was seen.
    public func wasSeen(_ pageNumber: Int) -> Bool {
        let index = pageNumber - 1
        guard index >= 0, index < pageCount else { return false }
        return seen[index >> 6] & (UInt64(1) << UInt64(index & 63)) != 0
    }

    /// Pages seen at least once.
    public var seenCount: Int { seen.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether every page was seen.
    public var isComplete: Bool { seenCount == pageCount }

    /// Runs of pages never seen, as closed ranges of page numbers.
    public var missing: [ClosedRange<Int>] { runs(in: seen, set: false) }

    /// Runs of pages seen more than once.
    public var duplicated: [ClosedRange<Int>] { runs(in: repeated, set: true) }

    private func runs(in words: [UInt64], set: Bool) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        var start: Int?
        var index = 0
        while index < pageCount {
            let word = words[index >> 6]
            let wanted: UInt64 = set ? 0 : ~0
            // Skip whole words with nothing to report.
            if index & 63 == 0, word == wanted, index + 64 <= pageCount {
                if let first = start { result.append((first + 1)...index); start = nil }
                index += 64
                continue
            }
            let isSet = word & (UInt64(1) << UInt64(index & 63)) != 0
            if isSet == set {
                if start == nil { start = index }
            } else if let first = start {
                result.append((first + 1)...index)
                start = nil
            }
            index += 1
        }
        if let first = start { result.append((first + 1)...pageCount) }
        return result
    }

    /// Adds another map of the same size.
    public mutating func merge(_ other: CoverageMap) {
        for word in seen.indices {
            repeated[word] |= other.repeated[word] | (seen[word] & other.seen[word])
            seen[word] |= other.seen[word]
        }
    }
}
