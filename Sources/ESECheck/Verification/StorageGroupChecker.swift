import ESEFormat

/// The whole CHKSGFILES flow from files: a `CheckSession` fed by the library itself, with
/// pages read in parallel and the logs checked on the same threads.
public struct StorageGroupChecker: Sendable {
    /// How to read and how many threads to use.
    public var options: CheckOptions
    /// The backup type verified (default full).
    public var backupType: BackupType

    /// Creates a checker.
    public init(options: CheckOptions = CheckOptions(), backupType: BackupType = .full) {
        self.options = options
        self.backupType = backupType
    }

    /// Checks databases against the logs in `logDirectory` (none: dirty databases miss their logs).
    public func check(databases: [String], logDirectory: String?, baseName: String? = nil) -> StorageGroupReport {
        let session = CheckSession(databasePaths: databases, logDirectory: logDirectory, baseName: baseName,
                                   backupType: backupType, options: options)
        return SessionFeeder(options: options).run(session, checkLogs: logDirectory != nil)
    }

    /// Checks every database found in `directory` against the log set in the same directory.
    /// Files that are neither databases nor part of a log set are listed in `skippedFiles`.
    public func check(directory: String, baseName: String? = nil) -> StorageGroupReport {
        let entries = (try? SystemCalls.directoryEntries(directory))?.sorted() ?? []
        let found = Self.discoverDatabases(in: directory, entries: entries)
        let hasLogs = !LogDirectory.baseNames(in: entries).isEmpty
        var report = check(databases: found.databases, logDirectory: hasLogs || found.databases.isEmpty ? directory : nil,
                           baseName: baseName)
        report.skippedFiles = found.skipped
        return report
    }

    /// File-name extensions of log-set files (never databases).
    static let logSetExtensions: Set<String> = ["log", "jtx", "jrs", "chk", "jcp", "jfm", "jsl"]
    /// Extensions ESE databases commonly carry; such files are checked even when no header is valid.
    static let databaseExtensions: Set<String> = ["edb", "mdb", "dat", "db"]

    /// The databases in `directory`: files with a valid database header, the ESE magic number
    /// in a header position, or a database extension (so that a database whose headers are
    /// both damaged is reported, not skipped). Log-set files are left out; other files are
    /// returned as skipped.
    public static func discoverDatabases(in directory: String, entries: [String]? = nil) -> (databases: [String], skipped: [String]) {
        let names = entries ?? ((try? SystemCalls.directoryEntries(directory))?.sorted() ?? [])
        var databases: [String] = [], skipped: [String] = []
        for name in names {
            let ext = name.contains(".") ? (name.split(separator: ".").last.map { $0.lowercased() } ?? "") : ""
            guard !logSetExtensions.contains(ext) else { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let file = try? ReadOnlyFile(path: path) else {
                if (try? SystemCalls.status(ofPath: path))?.kind != .directory { skipped.append(path) }
                continue
            }
            let prefix = (try? file.readBytes(at: 0, count: DatabaseOpening.headerProbeBytes)) ?? []
            if databaseExtensions.contains(ext) || looksLikeDatabase(prefix) {
                databases.append(path)
            } else {
                skipped.append(path)
            }
        }
        return (databases, skipped)
    }

    /// Whether bytes start like a database: a valid header, or the magic number at offset 4 of
    /// a header copy at any page size.
    static func looksLikeDatabase(_ prefix: [UInt8]) -> Bool {
        if (try? HeaderSelection.select(from: prefix.span.bytes)) != nil { return true }
        let offsets = [0] + PageLayout.validPageSizes
        return offsets.contains { offset in
            offset + 8 <= prefix.count && prefix[offset + 4..<offset + 8].elementsEqual([0xEF, 0xCD, 0xAB, 0x89])
        }
    }
}
