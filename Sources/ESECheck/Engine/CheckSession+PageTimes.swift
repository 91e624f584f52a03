import ESEFormat

extension CheckSession {
    /// After the headers: a database whose pages need no comparison — no logs, a logs-only
    /// backup, or a database that needs no replay — stops the database-time check at once.
    func preparePageTimes(_ slots: [DatabaseSlot]) {
        for slot in slots {
            let replayed = slot.progress.withLock { $0.report.header?.state.needsLogReplay } ?? false
            if logDirectory == nil || !backupType.checksPages || !options.comparePageTimes || !replayed { slot.pageTimes.resolve(.none) }
        }
    }

    /// Once the logs are judged: the pages the replay span changes, per database, to each
    /// database's ledger (pages checked earlier are compared now, later ones as they arrive).
    func resolvePageTimes(_ check: LogCheck) {
        let slots = slotsForFeeding()
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
