import ESEFormat

extension DatabaseSlot {
    /// Hands a batch's data pages to redo's database-time check (nothing when it is idle).
    func observePageTimes(_ entries: [(physical: Int, entry: Entry)]) {
        pageTimes.observe(entries)
    }

    /// Hands holes of a sparse file (physical pages, all zero) to the database-time check.
    func observeZeroPageTimes(_ physicalPages: Range<Int>) {
        guard !pageTimes.isIdle, !physicalPages.isEmpty, physicalPages.lowerBound >= 1 else { return }
        pageTimes.observeZeros(UInt32(truncatingIfNeeded: physicalPages.lowerBound - 1)...UInt32(truncatingIfNeeded: physicalPages.upperBound - 2))
    }
}
