import ESEFormat

/// The whole CHKSGFILES flow from files: a `CheckSession` fed by the library itself, with
/// pages read in parallel and the logs checked on the same threads.
public struct StorageGroupChecker: Sendable {
    /// How to read and how many threads to use.
    public var options: CheckOptions

    /// Creates a checker.
    public init(options: CheckOptions = CheckOptions()) { self.options = options }

    /// Checks databases against the logs in `logDirectory` (none: dirty databases miss their logs).
    public func check(databases: [String], logDirectory: String?, baseName: String? = nil) -> StorageGroupReport {
        let session = CheckSession(databasePaths: databases, logDirectory: logDirectory, baseName: baseName, options: options)
        return SessionFeeder(options: options).run(session, checkLogs: logDirectory != nil)
    }

    /// Checks every database found in `directory` against the log set in the same directory.
    public func check(directory: String, baseName: String? = nil) -> StorageGroupReport {
        let entries = (try? SystemCalls.directoryEntries(directory))?.sorted() ?? []
        let databases = Self.discoverDatabases(in: directory, entries: entries)
        let hasLogs = !LogDirectory.baseNames(in: entries).isEmpty
        return check(databases: databases, logDirectory: hasLogs || databases.isEmpty ? directory : nil, baseName: baseName)
    }

    /// Files in `directory` whose first bytes hold a valid database header (log, checkpoint
    /// and flush-map files are skipped by name).
    public static func discoverDatabases(in directory: String, entries: [String]? = nil) -> [String] {
        let names = entries ?? ((try? SystemCalls.directoryEntries(directory))?.sorted() ?? [])
        let skipped: Set<String> = ["log", "jtx", "jrs", "chk", "jcp", "jfm", "jsl"]
        return names.compactMap { name in
            let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
            guard !skipped.contains(ext) else { return nil }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let file = try? ReadOnlyFile(path: path), file.size >= 4096,
                  let prefix = try? file.readBytes(at: 0, count: DatabaseOpening.headerProbeBytes),
                  (try? HeaderSelection.select(from: prefix.span.bytes)) != nil else { return nil }
            return path
        }
    }
}
