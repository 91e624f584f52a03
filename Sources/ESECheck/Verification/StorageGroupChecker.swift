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
    /// Entries that are neither checked databases nor files of the checked log set are listed
    /// in `skippedFiles`; odd ones (a FIFO, a socket, a broken link, an entry that cannot be
    /// read, a duplicate or copied log) also as warnings in `problems`. A directory that
    /// cannot be listed is checked as an empty one (its log check then says why); use
    /// `DirectoryDiscovery.scan` first to tell that apart.
    public func check(directory: String, baseName: String? = nil) -> StorageGroupReport {
        let discovery = (try? DirectoryDiscovery.scan(directory)) ?? DirectoryDiscovery(directory: directory, entries: [])
        return check(discovery, baseName: baseName)
    }

    /// Checks the databases of a scanned directory against the log set in it.
    public func check(_ discovery: DirectoryDiscovery, baseName: String? = nil) -> StorageGroupReport {
        let directory = discovery.directory
        let hasLogs = !discovery.logBaseNames.isEmpty
        var report = check(databases: discovery.databases,
                           logDirectory: hasLogs || discovery.databases.isEmpty ? directory : nil, baseName: baseName)
        var skipped = discovery.skipped
        if hasLogs, let listing = try? LogDirectory.select(discovery.entries, in: directory, baseName: baseName) {
            for duplicate in listing.duplicates {
                skipped.append(.init(path: discovery.path(of: duplicate.name.fileName),
                                     reason: "names the same log as \(duplicate.kept.fileName), which is the one checked", isNotable: true))
            }
            for name in discovery.entries.compactMap(LogFileName.init) where !name.belongs(to: listing.baseName) {
                skipped.append(.init(path: discovery.path(of: name.fileName),
                                     reason: "belongs to log set \(name.baseName), not the one checked (\(listing.baseName))", isNotable: true))
            }
        }
        skipped.sort { $0.path < $1.path }
        report.skippedFiles = skipped.map(\.path)
        for entry in skipped where entry.isNotable {
            report.problems.append(VerdictReason("skippedEntry", "\(PathEncoding.displayed(entry.path)) was not checked: \(entry.reason)", isWarning: true))
        }
        return report
    }

    /// The databases in `directory`: files with a valid database header, the ESE magic number
    /// in a header position, or a database extension (so that a database whose headers are
    /// both damaged, or that cannot be opened at all, is reported, not skipped). Log-set
    /// files are left out; every other entry is returned as skipped (see `DirectoryDiscovery`,
    /// which also says why).
    public static func discoverDatabases(in directory: String, entries: [String]? = nil) -> (databases: [String], skipped: [String]) {
        guard var discovery = try? DirectoryDiscovery.scan(directory) else { return ([], []) }
        if let entries {
            let wanted = Set(entries.map(discovery.path(of:)))
            discovery.databases.removeAll { !wanted.contains($0) }
            discovery.skipped.removeAll { !wanted.contains($0.path) }
        }
        return (discovery.databases, discovery.skipped.map(\.path))
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
