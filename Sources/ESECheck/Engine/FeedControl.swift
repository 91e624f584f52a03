/// What the page readers consult around each read window: `--fail-fast`'s gate and the state
/// file's tracker (`--state`); either may be absent, and with neither nothing is consulted.
struct FeedControl: Sendable {
    /// Stops reading (`--fail-fast`, or the state-file test hook).
    let gate: FailFastGate?
    /// Records the windows read and saves the state file.
    let resume: ResumeTracker?

    /// Whether reading has been stopped.
    var isStopped: Bool { gate?.isStopped ?? false }

    /// Runs `body` as one window of reading: the tracker may pause windows while it copies
    /// the progress it saves, and the gate is asked after the window whether its findings stop
    /// the run.
    func window<R>(_ slot: DatabaseSlot, _ body: () -> R) -> R {
        resume?.enter()
        let result = body()
        resume?.leave()
        gate?.check(slot)
        return result
    }
}
