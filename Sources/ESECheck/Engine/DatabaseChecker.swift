import ESEFormat

/// Verifies every page of database files: header and shadow selection, then every data
/// page's checksum, with files checked in parallel and large files split across threads.
/// The equivalent of `eseutil /k` on each file, reporting per-page findings as data.
/// It is a storage-group session without logs, fed by the library's own parallel reader.
public struct DatabaseChecker: Sendable {
    /// How to read and how many threads to use.
    public var options: CheckOptions

    /// Creates a checker.
    public init(options: CheckOptions = CheckOptions()) { self.options = options }

    /// Checks one database file.
    public func check(_ path: String) -> DatabaseReport { check([path])[0] }

    /// Checks database files; reports come back in the order of `paths`.
    public func check(_ paths: [String]) -> [DatabaseReport] {
        let start = ContinuousClock.now
        let session = CheckSession(databasePaths: paths, options: options)
        var reports = SessionFeeder(options: options).run(session, checkLogs: false).databases.map(\.report)
        let elapsed = start.duration(to: .now)
        for index in reports.indices {
            reports[index].elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        return reports
    }
}
