import ESEFormat

extension DatabaseSlot {
    /// Records that the file shrank under a read: the pages a mapped window had already
    /// checked (`checked`) are taken back — from the tally and from what the structure walk
    /// keeps — since their bytes may have been the zero pages the SIGBUS guard mapped in, and
    /// the shortfall is noted as `fileChanged`.
    func noteShrink(_ failure: ReadFailure, file: ReadOnlyFile, checked: [PageCheck]) {
        progress.withLock { state in
            if failure.shrankWhileMapped {
                state.report.retract(checked)
                for page in checked { state.structure?.forget(page: page.pageNumber) }
            }
            state.report.noteShrink(failure, file: file)
        }
    }
}
