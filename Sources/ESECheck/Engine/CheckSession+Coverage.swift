/// Live coverage for transports that feed their own pages.
extension CheckSession {
    /// Which pages of `database` were checked so far: a transport asks before `finish()` and
    /// resends the runs in `CoverageMap.missing` it skipped. Nil before the headers are checked
    /// or for an unknown database. CHKSGFILES has no such call (it only counts pages in `ErrTerm`).
    public func coverage(database: Int) -> CoverageMap? {
        let slots = slotsForFeeding()
        guard slots.indices.contains(database) else { return nil }
        return slots[database].progress.withLock { $0.coverage }
    }
}
