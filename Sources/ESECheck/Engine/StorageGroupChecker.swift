import ESEFormat

/// The whole CHKSGFILES flow from files: a `CheckSession` fed by the library itself, with
/// pages read in parallel and the logs checked on the same threads.
public struct StorageGroupChecker: Sendable {
    /// How to read and how many threads to use.
    public var options: CheckOptions
    /// The backup type verified (default full).
    public var backupType: BackupType
    /// Called with the session before it runs (the manifest builder reads its file hashes).
    var sessionObserver: (@Sendable (CheckSession) -> Void)?

    /// Creates a checker.
    public init(options: CheckOptions = CheckOptions(), backupType: BackupType = .full) {
        self.options = options
        self.backupType = backupType
    }

    /// Checks databases against the logs in `logDirectory` (none: dirty databases miss their logs).
    /// Files of the log directory that look like the set's files but are not checked — another
    /// spelling of a log that is (`E0000008.LOG`), a name ESE never gives (`E0000008-copy.log`)
    /// — are listed in `skippedFiles` and as warnings.
    public func check(databases: [String], logDirectory: String?, baseName: String? = nil) -> StorageGroupReport {
        check(databases: databases, logDirectory: logDirectory, baseName: baseName, probes: [:])
    }

    func check(databases: [String], logDirectory: String?, baseName: String?, probes: [String: HeaderProbe]) -> StorageGroupReport {
        let session = CheckSession(databases: databases.map(DatabaseSource.file), logDirectory: logDirectory,
                                   baseName: baseName, backupType: backupType, options: options, probes: probes)
        sessionObserver?(session)
        var report = SessionFeeder(options: options).run(session, checkLogs: logDirectory != nil)
        if let logDirectory, let listing = try? LogDirectory.scan(logDirectory, baseName: baseName) {
            Self.note(Self.unchecked(listing), in: &report)
        }
        return report
    }

    /// Checks every database found in `directory` against the log set in the same directory.
    /// Entries that are neither checked databases nor files of the checked log set are listed
    /// in `skippedFiles`; odd ones (a FIFO, a socket, a broken link, an entry that cannot be
    /// read, a duplicate or copied log, a file of another log set) also as warnings in
    /// `problems`. A directory that cannot be listed is checked as an empty one (its log
    /// check then says why); use `DirectoryDiscovery.scan` first to tell that apart.
    public func check(directory: String, baseName: String? = nil) -> StorageGroupReport {
        let discovery = (try? DirectoryDiscovery.scan(directory)) ?? DirectoryDiscovery(directory: directory, entries: [])
        return check(discovery, baseName: baseName)
    }

    /// Checks the databases of a scanned directory against the log set in it.
    public func check(_ discovery: DirectoryDiscovery, baseName: String? = nil) -> StorageGroupReport {
        let directory = discovery.directory
        let hasLogs = !discovery.logBaseNames.isEmpty
        var report = check(databases: discovery.databases,
                           logDirectory: hasLogs || discovery.databases.isEmpty ? directory : nil, baseName: baseName,
                           probes: discovery.probes)
        var skipped = discovery.skipped
        if hasLogs, let listing = try? LogDirectory.select(discovery.entries, in: directory, baseName: baseName) {
            for name in discovery.entries.compactMap(LogFileName.init) where !name.belongs(to: listing.baseName) {
                skipped.append(.init(path: discovery.path(of: name.fileName),
                                     reason: "belongs to log set \(name.baseName), not the one checked (\(listing.baseName))", isNotable: true))
            }
        }
        Self.note(skipped, in: &report)
        return report
    }

    /// The files of a listed log set that are not checked: duplicates and unrecognized names.
    static func unchecked(_ listing: LogDirectory) -> [DirectoryDiscovery.SkippedEntry] {
        listing.duplicates.map {
            .init(path: listing.path(of: $0.name), reason: "names the same log as \($0.kept.fileName), which is the one checked", isNotable: true)
        } + listing.otherSpelling.map {
            .init(path: listing.path(of: $0), reason: "is spelled with another extension or digit count than the set's logs: recovery never sees it", isNotable: true)
        } + listing.unrecognized.map {
            .init(path: listing.path.hasSuffix("/") ? listing.path + $0 : listing.path + "/" + $0,
                  reason: "named like a log-set file, but not a name ESE gives its files (a copy?)", isNotable: true)
        }
    }

    /// Adds `entries` to the report's `skippedFiles` (sorted, each once) and the notable ones
    /// to its `problems` as `skippedEntry` warnings.
    static func note(_ entries: [DirectoryDiscovery.SkippedEntry], in report: inout StorageGroupReport) {
        var listed = Set(report.skippedFiles)
        for entry in entries.sorted(by: { $0.path < $1.path }) where listed.insert(entry.path).inserted {
            report.skippedFiles.append(entry.path)
            if entry.isNotable {
                report.problems.append(VerdictReason("skippedEntry", "\(PathEncoding.displayed(entry.path)) was not checked: \(entry.reason)",
                                                     isWarning: true))
            }
        }
        report.skippedFiles.sort()
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

    /// Whether bytes start like a database: a valid header ESE would attach, or (no valid
    /// header) the magic number at offset 4 of
    /// a header copy at any page size.
    static func looksLikeDatabase(_ prefix: [UInt8]) -> Bool {
        // A valid header ESE's attach refuses (a patch file's) is not a database (db.cxx:2851-2878).
        if let selection = try? HeaderSelection.select(from: prefix.span.bytes) { return DatabaseOpening.attachRefusal(selection.header) == nil }
        let offsets = [0] + PageLayout.validPageSizes
        return offsets.contains { offset in
            offset + 8 <= prefix.count && prefix[offset + 4..<offset + 8].elementsEqual([0xEF, 0xCD, 0xAB, 0x89])
        }
    }
}
