/// What a run resumed from a state file (`CheckOptions.stateFile`, `--state FILE`) took from
/// it instead of reading: `DatabaseReport.resumed`. Everything else in the report is what a run
/// without the state reports (docs/resume-state.md).
public struct ResumedProgress: Hashable, Sendable {
    /// The state file.
    public var statePath: String
    /// Data pages whose results came from the state: not read again by this run.
    public var pages: Int

    /// Creates a record of a resumed database.
    public init(statePath: String, pages: Int) {
        self.statePath = statePath
        self.pages = pages
    }
}
