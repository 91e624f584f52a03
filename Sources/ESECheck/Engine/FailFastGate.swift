import Synchronization

/// `--fail-fast`: once a database shows a finding that decides its verdict (a bad or
/// unstable page, a read failure, a trailer that fails), the chunks not yet started are not
/// read, and each database they belong to says so in its scope (`remainingPages`).
/// Chunks already being read finish, so the check stops within one chunk per thread.
final class FailFastGate: Sendable {
    private let stopped = Atomic<Bool>(false)

    /// Whether reading has been stopped.
    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// Stops reading when `slot` shows a finding that decides its verdict.
    func check(_ slot: DatabaseSlot) {
        let decided = slot.progress.withLock { state in
            let report = state.report
            return report.pages.bad > 0 || !report.readFailures.isEmpty || !report.unstablePages.isEmpty
                || report.trailer.map { !$0.checksum.isValid } == true
        }
        if decided { stopped.store(true, ordering: .relaxed) }
    }

    /// Records a chunk left unread in its database's scope and ends its lease.
    func skip(_ chunk: PageChunk) {
        chunk.slot.progress.withLock { state in
            state.report.scope.skip(CheckScope.Skipped(
                what: .remainingPages,
                reason: "--fail-fast stopped at the first finding that decides the verdict; the pages after it were not read"))
        }
        chunk.slot.releaseFile()
    }
}
