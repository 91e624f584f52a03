import ESEFormat

extension ResumeTracker.SlotCopy {
    /// The slot's entry in the state file: the clean windows read, less the pages that name
    /// other pages (internal, root, space-tree, catalog pages, pages with a node problem),
    /// whose details the structure walk needs and which a resumed run reads again; with the
    /// structure words of the pages kept. A structure state past its memory cap keeps nothing:
    /// the resumed run reads every page again.
    func fileProgress() -> ResumeState.FileProgress {
        let pageSize = slot.layout?.pageSize ?? 0
        var file = ResumeState.FileProgress(path: slot.source.name, identity: slot.identity, pageSize: UInt32(pageSize))
        guard slot.layout != nil else { return file }
        var done = tally.done.compactMap { range -> ClosedRange<UInt32>? in
            range.isEmpty ? nil : UInt32(range.lowerBound - 1)...UInt32(range.upperBound - 2)
        }
        var ok = tally.ok, bytes = tally.bytes
        if slot.gathersStructure {
            guard let structure, !structure.overBudget else { return file }
            var detail = Set(structure.childRanges.keys)
            detail.formUnion(structure.spaceHeaders.keys)
            detail.formUnion(structure.extents.keys)
            detail.formUnion(structure.catalog.keys)
            detail.formUnion(structure.problems.keys)
            let removed: Int
            (done, removed) = Self.subtract(detail.sorted(), from: done)
            ok -= UInt64(removed)
            bytes -= UInt64(removed * pageSize)
            var words: [UInt32] = []
            words.reserveCapacity(done.reduce(0) { $0 + $1.count })
            for range in done { words += structure.words.values(in: Int(range.lowerBound) - 1..<Int(range.upperBound)) }
            file.words = words
        }
        file.done = done
        file.ok = ok
        file.uninitialized = tally.uninitialized
        file.bytesRead = bytes
        if let highestTime {
            (file.highestTime, file.highestTimePage) = (highestTime.value, highestTime.pageNumber)
        }
        file.highestLinkedPage = highestLinkedPage
        return file
    }

    /// `ranges` without `pages` (both sorted), and how many of `pages` they held.
    static func subtract(_ pages: [UInt32], from ranges: [ClosedRange<UInt32>]) -> ([ClosedRange<UInt32>], Int) {
        var result: [ClosedRange<UInt32>] = []
        var removed = 0, index = 0
        for range in ranges {
            var low = Int(range.lowerBound)
            let high = Int(range.upperBound)
            while index < pages.count, pages[index] < range.lowerBound { index += 1 }
            while index < pages.count, Int(pages[index]) <= high {
                let page = Int(pages[index])
                if page > low { result.append(UInt32(low)...UInt32(page - 1)) }
                removed += 1
                index += 1
                low = page + 1
            }
            if low <= high { result.append(UInt32(low)...UInt32(high)) }
        }
        return (result, removed)
    }
}
