import Synchronization

/// `--fail-fast`: once a database shows a finding that decides its verdict (a bad or
/// unstable page, a read failure, a trailer that fails), reading stops: the thread that found
/// it stops after its current read window, the others at their next window, and chunks not yet
/// started are not read. Each database left partly unread says so in its scope
/// (`remainingPages`) with where it stopped (`CheckScope.stop`). The gate is consulted once per
/// window (1 MiB with `pread`; at most 8 MiB when mapping), one relaxed atomic load.
///
/// The same gate stops a run the state-file test hook interrupts
/// (`CheckOptions.stateInterruptAfterWindows`): then findings do not stop it.
final class FailFastGate: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let interrupted = Atomic<Bool>(false)
    /// Whether findings stop reading (`--fail-fast`); false for a gate only the test hook stops.
    let stopsOnFindings: Bool

    /// A gate; `stopsOnFindings` for `--fail-fast`.
    init(stopsOnFindings: Bool = true) { self.stopsOnFindings = stopsOnFindings }

    /// Whether reading has been stopped.
    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// Stops reading when `slot` shows a finding that decides its verdict, and records the
    /// deciding page in the database that stopped it.
    func check(_ slot: DatabaseSlot) {
        guard stopsOnFindings, !isStopped else { return }
        let decided = slot.progress.withLock { state in
            let report = state.report
            return report.pages.bad > 0 || !report.readFailures.isEmpty || !report.unstablePages.isEmpty
                || report.trailer.map { !$0.checksum.isValid } == true
        }
        guard decided, !stopped.exchange(true, ordering: .relaxed) else { return }
        slot.progress.withLock { state in
            let bad = state.report.tally.findings.first { $0.outcome.isBad }?.pageNumber
            let unstable = state.report.unstablePages.first?.pageNumber
            var stop = state.report.scope.stop ?? FailFastStop()
            stop.decidingPage = [bad, unstable].compactMap { $0 }.min()
            state.report.scope.stop = stop
        }
    }

    /// Stops reading as an interrupted run would (the state-file test hook).
    func interrupt() {
        interrupted.store(true, ordering: .relaxed)
        stopped.store(true, ordering: .relaxed)
    }

    /// Records a chunk left unread in its database's scope and ends its lease.
    func skip(_ chunk: PageChunk) {
        skip(chunk.slot, physical: chunk.physicalPages)
        chunk.slot.releaseFile()
    }

    /// Records physical pages `physical` of `slot` left unread in its scope.
    func skip(_ slot: DatabaseSlot, physical: Range<Int>) {
        guard !physical.isEmpty, physical.lowerBound >= 1 else { return }
        let reason = interrupted.load(ordering: .relaxed)
            ? "the run was interrupted (test hook) before these pages were read"
            : "--fail-fast stopped at the first finding that decides the verdict; the pages after it were not read"
        slot.progress.withLock { state in
            state.report.scope.skip(CheckScope.Skipped(what: .remainingPages, reason: reason))
            var stop = state.report.scope.stop ?? FailFastStop()
            stop.noteNotRead(UInt32(physical.lowerBound - 1)...UInt32(physical.upperBound - 2))
            state.report.scope.stop = stop
        }
    }
}
