import ESEFormat

extension CheckSession {
    /// After the headers: a database whose pages need no comparison — no logs, a logs-only
    /// backup, or a database that needs no replay — stops the database-time check at once.
    /// A session that `keepsPageTimes` records its replayed databases' page times without logs.
    func preparePageTimes(_ slots: [DatabaseSlot]) {
        for slot in slots {
            let replayed = slot.progress.withLock { $0.report.header?.state.needsLogReplay } ?? false
            if (logDirectory == nil && !keepsPageTimes) || !backupType.checksPages || !options.comparePageTimes || !replayed { slot.pageTimes.resolve(.none) }
        }
    }

    /// Before the logs are examined: which page references their one walk keeps — nil when no
    /// database compares its pages (then the walk keeps none), else pages up to the largest
    /// database's (`LogSetChecker.PageCollection`; the checker adds the generations).
    func pageCollection() -> LogSetChecker.PageCollection? {
        guard backupType.checksPages, options.comparePageTimes else { return nil }
        let comparing = slotsForFeeding().filter { !$0.pageTimes.isIdle }
        guard let highest = comparing.map(\.dataPages).max() else { return nil }
        return LogSetChecker.PageCollection(highestPage: UInt32(clamping: highest))
    }

    /// Once the logs are judged: the pages the replay span changes, per database, to each
    /// database's ledger (pages checked earlier are compared now, later ones as they arrive).
    /// The page references the log walk kept are dropped from the report afterwards: the
    /// expectations hold what is needed of them.
    func resolvePageTimes(_ check: inout LogCheck) {
        let slots = slotsForFeeding()
        defer { check.report?.dropPageReferences() }
        guard backupType.checksPages, options.comparePageTimes else {
            for slot in slots { slot.pageTimes.resolve(.none) }
            return
        }
        let headers = slots.map { slot in slot.progress.withLock { $0.report.header } }
        let expectations = PageTimeExpectations.build(logs: check.report, recovery: check.recovery, headers: headers,
                                                      dataPages: slots.map(\.dataPages))
        for (slot, expected) in zip(slots, expectations) { slot.pageTimes.resolve(expected) }
    }
}

extension LogSetReport {
    /// Drops the page references the record walks kept for redo's database-time check.
    mutating func dropPageReferences() {
        for index in files.indices where files[index].records?.pageReferences != nil {
            files[index].records?.pageReferences = nil
            files[index].records?.highestCollectedPage = .max
        }
    }
}
