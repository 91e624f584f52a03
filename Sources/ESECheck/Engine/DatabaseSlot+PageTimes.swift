import ESEFormat

extension DatabaseSlot {
    /// Hands a batch's pages to redo's database-time check (nothing when it is idle): from
    /// physical page `firstPhysical` on, one `PageTimeLedger.code` per page.
    func observePageTimes(firstPhysical: Int, codes: [UInt64]) {
        pageTimes.observe(firstPhysical: firstPhysical, codes: codes)
    }

    /// Hands holes of a sparse file (physical pages, all zero) to the database-time check.
    func observeZeroPageTimes(_ physicalPages: Range<Int>) {
        guard !pageTimes.isIdle, !physicalPages.isEmpty, physicalPages.lowerBound >= 1 else { return }
        pageTimes.observeZeros(UInt32(truncatingIfNeeded: physicalPages.lowerBound - 1)...UInt32(truncatingIfNeeded: physicalPages.upperBound - 2))
    }
}
