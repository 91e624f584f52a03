/// Which pages of a database were checked, page by page: CHKSGFILES only counts pages, which
/// hides a skipped page behind a duplicated one; this map names both.
///
/// Storage grows with what is seen, in chunks of 65,536 pages; a chunk seen entirely is kept
/// as one marker, so a terabyte-sized sparse file or a huge claimed size costs little memory.
public struct CoverageMap: Hashable, Sendable {
    /// Pages the map covers (logical page numbers 1…count).
    public let pageCount: Int

    static let chunkPages = 1 << 16
    static let wordsPerChunk = chunkPages / 64

    /// Chunks seen entirely.
    private var fullChunks: Set<Int> = []
    /// Bits of chunks seen in part.
    private var partialChunks: [Int: [UInt64]] = [:]
    private var repeatedChunks: [Int: [UInt64]] = [:]
    /// Bits of pages whose copies disagree and were not resubmitted.
    private var conflictingChunks: [Int: [UInt64]] = [:]
    /// Header pages (physical 0 and 1) supplied with other bytes than the header check read,
    /// and not resubmitted.
    public private(set) var conflictingHeaderPages: [Int] = []
    /// Pages seen at least once.
    public private(set) var seenCount = 0

    /// A map of `pageCount` pages, none seen.
    public init(pageCount: Int) { self.pageCount = max(0, pageCount) }

    private var chunkCount: Int { (pageCount + Self.chunkPages - 1) / Self.chunkPages }

    private func pagesIn(chunk: Int) -> Int { min(Self.chunkPages, pageCount - chunk * Self.chunkPages) }

    /// Marks page `pageNumber` (1-based) seen; returns false when it had been seen before
    /// (it is then recorded as seen twice) or lies outside the map.
    public mutating func markSeen(_ pageNumber: Int) -> Bool {
        let index = pageNumber - 1
        guard index >= 0, index < pageCount else { return false }
        let chunk = index / Self.chunkPages, offset = index % Self.chunkPages
        let word = offset >> 6, bit = UInt64(1) << UInt64(offset & 63)
        if fullChunks.contains(chunk) {
            repeatedChunks[chunk, default: Self.emptyChunk][word] |= bit
            return false
        }
        if partialChunks[chunk, default: Self.emptyChunk][word] & bit != 0 {
            repeatedChunks[chunk, default: Self.emptyChunk][word] |= bit
            return false
        }
        partialChunks[chunk, default: Self.emptyChunk][word] |= bit
        seenCount += 1
        return true
    }

    static let emptyChunk = [UInt64](repeating: 0, count: wordsPerChunk)

    /// Marks every page in `pages` seen (duplicates recorded); returns how many were new.
    @discardableResult
    public mutating func markSeen(range pages: ClosedRange<Int>) -> Int {
        let low = max(pages.lowerBound, 1) - 1, high = min(pages.upperBound, pageCount) - 1
        guard low <= high else { return 0 }
        var added = 0
        var index = low
        while index <= high {
            let chunk = index / Self.chunkPages, offset = index % Self.chunkPages
            let end = min(high, chunk * Self.chunkPages + pagesIn(chunk: chunk) - 1)
            let count = end - index + 1
            if offset == 0, count == pagesIn(chunk: chunk), !fullChunks.contains(chunk), partialChunks[chunk] == nil {
                fullChunks.insert(chunk)
                added += count
                seenCount += count
            } else if fullChunks.contains(chunk) {
                markRepeated(chunk: chunk, from: offset, through: offset + count - 1)
            } else {
                added += markPartial(chunk: chunk, from: offset, through: offset + count - 1)
            }
            index = end + 1
        }
        return added
    }

    /// Whether every page in `pages` lies inside the map and none has been seen yet: the
    /// common case of a batch, which can then be marked as one range.
    public func noneSeen(_ pages: ClosedRange<Int>) -> Bool {
        guard pages.lowerBound >= 1, pages.upperBound <= pageCount else { return false }
        var index = pages.lowerBound - 1
        let high = pages.upperBound - 1
        while index <= high {
            let chunk = index / Self.chunkPages
            let end = min(high, chunk * Self.chunkPages + Self.chunkPages - 1)
            if fullChunks.contains(chunk) { return false }
            if let words = partialChunks[chunk] {
                var bit = index % Self.chunkPages
                let last = end % Self.chunkPages
                while bit <= last {
                    let word = bit >> 6, low = bit & 63, top = min(63, last - (word << 6))
                    let mask = top == 63 ? ~0 << UInt64(low) : ((UInt64(1) << UInt64(top - low + 1)) - 1) << UInt64(low)
                    if words[word] & mask != 0 { return false }
                    bit = (word + 1) << 6
                }
            }
            index = end + 1
        }
        return true
    }

    /// Sets bits `first…last` of a chunk word by word; returns how many were new.
    private mutating func markPartial(chunk: Int, from first: Int, through last: Int) -> Int {
        var added = 0
        var words = partialChunks.removeValue(forKey: chunk) ?? Self.emptyChunk
        var repeats: [(Int, UInt64)] = []
        var bit = first
        while bit <= last {
            let word = bit >> 6, low = bit & 63, high = min(63, last - (word << 6))
            let mask = high == 63 ? ~0 << UInt64(low) : ((UInt64(1) << UInt64(high - low + 1)) - 1) << UInt64(low)
            let overlap = words[word] & mask
            if overlap != 0 { repeats.append((word, overlap)) }
            added += (mask & ~words[word]).nonzeroBitCount
            words[word] |= mask
            bit = (word + 1) << 6
        }
        for (word, bits) in repeats { repeatedChunks[chunk, default: Self.emptyChunk][word] |= bits }
        seenCount += added
        let pages = pagesIn(chunk: chunk)
        let complete = words.prefix(pages / 64).allSatisfy { $0 == ~0 }
            && (pages % 64 == 0 || words[pages / 64] == (UInt64(1) << UInt64(pages % 64)) - 1)
        if complete { fullChunks.insert(chunk) } else { partialChunks[chunk] = words }
        return added
    }

    private mutating func markRepeated(chunk: Int, from first: Int, through last: Int) {
        var bit = first
        while bit <= last {
            let word = bit >> 6, low = bit & 63, high = min(63, last - (word << 6))
            let mask = high == 63 ? ~0 << UInt64(low) : ((UInt64(1) << UInt64(high - low + 1)) - 1) << UInt64(low)
            repeatedChunks[chunk, default: Self.emptyChunk][word] |= mask
            bit = (word + 1) << 6
        }
    }

    /// Records that page `pageNumber` (1-based) was checked again with a different result
    /// or different bytes: it stays conflicting until a copy of it is resubmitted.
    mutating func markConflicting(_ pageNumber: Int) {
        let index = pageNumber - 1
        guard index >= 0, index < pageCount else { return }
        let chunk = index / Self.chunkPages, offset = index % Self.chunkPages
        conflictingChunks[chunk, default: Self.emptyChunk][offset >> 6] |= UInt64(1) << UInt64(offset & 63)
    }

    /// Clears the conflict of page `pageNumber` (a copy was resubmitted and replaces the others).
    mutating func clearConflicting(_ pageNumber: Int) {
        let index = pageNumber - 1
        guard index >= 0, index < pageCount else { return }
        let chunk = index / Self.chunkPages, offset = index % Self.chunkPages
        guard var words = conflictingChunks[chunk] else { return }
        words[offset >> 6] &= ~(UInt64(1) << UInt64(offset & 63))
        conflictingChunks[chunk] = words.allSatisfy { $0 == 0 } ? nil : words
    }

    /// Records (`conflicting` true) or clears a disagreement about header page `physical` (0 or 1).
    mutating func setHeaderConflict(_ physical: Int, _ conflicting: Bool) {
        conflictingHeaderPages.removeAll { $0 == physical }
        if conflicting { conflictingHeaderPages = (conflictingHeaderPages + [physical]).sorted() }
    }

    /// Runs of pages checked more than once with different results or bytes and never
    /// resubmitted: which copy is right is not known, so they are not verified.
    public var conflicting: [ClosedRange<Int>] { Self.setRuns(conflictingChunks, pagesIn: pagesIn(chunk:)) }

    /// Whether any page or header page has unresolved conflicting copies.
    public var hasConflicts: Bool { !conflictingChunks.isEmpty || !conflictingHeaderPages.isEmpty }

    /// Whether page `pageNumber` was seen.
    public func wasSeen(_ pageNumber: Int) -> Bool {
        let index = pageNumber - 1
        guard index >= 0, index < pageCount else { return false }
        let chunk = index / Self.chunkPages
        if fullChunks.contains(chunk) { return true }
        guard let words = partialChunks[chunk] else { return false }
        let offset = index % Self.chunkPages
        return words[offset >> 6] & (UInt64(1) << UInt64(offset & 63)) != 0
    }

    /// Whether every page was seen.
    public var isComplete: Bool { seenCount == pageCount }

    /// Runs of pages never seen, as closed ranges of page numbers.
    public var missing: [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        func add(_ range: ClosedRange<Int>) {
            if let last = result.last, last.upperBound + 1 == range.lowerBound {
                result[result.count - 1] = last.lowerBound...range.upperBound
            } else {
                result.append(range)
            }
        }
        for chunk in 0..<chunkCount {
            let base = chunk * Self.chunkPages
            if fullChunks.contains(chunk) { continue }
            guard let words = partialChunks[chunk] else {
                add((base + 1)...(base + pagesIn(chunk: chunk)))
                continue
            }
            for run in Self.runs(words, pages: pagesIn(chunk: chunk), set: false) {
                add((base + run.lowerBound)...(base + run.upperBound))
            }
        }
        return result
    }

    /// Runs of pages seen more than once.
    public var duplicated: [ClosedRange<Int>] { Self.setRuns(repeatedChunks, pagesIn: pagesIn(chunk:)) }

    /// Runs of page numbers whose bit is set in per-chunk bitmaps, in page order, runs that
    /// touch across chunks merged.
    static func setRuns(_ chunks: [Int: [UInt64]], pagesIn: (Int) -> Int) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for chunk in chunks.keys.sorted() {
            let base = chunk * chunkPages
            for run in runs(chunks[chunk]!, pages: pagesIn(chunk), set: true) {
                let range = (base + run.lowerBound)...(base + run.upperBound)
                if let last = result.last, last.upperBound + 1 == range.lowerBound {
                    result[result.count - 1] = last.lowerBound...range.upperBound
                } else {
                    result.append(range)
                }
            }
        }
        return result
    }

    /// Runs (1-based within the chunk) of bits equal to `set`.
    static func runs(_ words: [UInt64], pages: Int, set: Bool) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        var start: Int?
        var index = 0
        while index < pages {
            let word = words[index >> 6]
            if index & 63 == 0, index + 64 <= pages, word == (set ? 0 : ~0) {
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
        if let first = start { result.append((first + 1)...pages) }
        return result
    }
}
