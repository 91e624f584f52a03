import ESEFormat

/// Writes and checks backup manifests (docs/manifest.md): at backup time one pass runs the
/// full check with `CheckOptions.hashFiles` on and records every regular file of the
/// directory; at restore time the copy is compared with the manifest — missing, extra and
/// resized files from the listing before any page is read, changed files from the whole-file hash
/// of the same single read the check makes — and its verdict says whether it is the copy
/// that was verified.
public struct ManifestBuilder: Sendable {
    /// How to read; `hashFiles` is turned on by the builder.
    public var options: CheckOptions
    /// The backup type checked.
    public var backupType: BackupType

    /// Creates a builder.
    public init(options: CheckOptions = CheckOptions(), backupType: BackupType = .full) {
        self.options = options
        self.backupType = backupType
    }

    /// Checks the storage group in `directory` and records its manifest.
    public func build(directory: String, baseName: String? = nil) -> (manifest: BackupManifest, report: StorageGroupReport) {
        let (entries, report) = examine(directory: directory, baseName: baseName)
        return (BackupManifest(entries: entries, verdict: report.verdict), report)
    }

    /// Checks the copy in `directory` against `manifest`: the listing first (missing, extra,
    /// resized), then the full check with every file hashed; the report's verdict is
    /// `ManifestComparison.verdict` of the two, with a `manifestMismatch` problem naming the
    /// files that differ.
    public func verify(_ manifest: BackupManifest, directory: String, baseName: String? = nil) -> ManifestVerification {
        let listing = Self.compareListing(manifest, directory: directory)
        let (entries, checked) = examine(directory: directory, baseName: baseName)
        let comparison = ManifestComparison.compare(manifest, found: entries)
        return ManifestVerification(manifest: manifest, listing: listing, comparison: comparison,
                                    report: Self.judged(checked, comparison: comparison))
    }

    /// `report` with its verdict combined with `comparison` (`ManifestComparison.verdict`) and
    /// a `manifestMismatch` problem naming the files that differ, when any does.
    static func judged(_ checked: StorageGroupReport, comparison: ManifestComparison) -> StorageGroupReport {
        var report = checked
        guard !comparison.matches else { return report }
        let names = comparison.findings.prefix(5).map { "\(PathEncoding.displayed($0.name)) \($0.difference.rawValue)" }
        let more = comparison.findings.count > 5 ? " and \(comparison.findings.count - 5) more" : ""
        let reason = VerdictReason(.manifestMismatch,
            "the copy is not the one the manifest recorded: " + names.joined(separator: ", ") + more, jetError: .taskDropped)
        report.problems.append(reason)
        // Each database says so too: an integrator reading per-database results (the C API's
        // esecheck_get_database_result) must not read "restorable" for a copy that differs.
        for index in report.databases.indices {
            let database = ManifestComparison.verdict(storageGroup: report.databases[index].verdict, comparison: comparison)
            guard database != report.databases[index].verdict else { continue }
            report.databases[index].verdict = database
            report.databases[index].jetError = .taskDropped
            report.databases[index].reasons.append(reason)
        }
        let verdict = ManifestComparison.verdict(storageGroup: report.verdict, comparison: comparison)
        if verdict != report.verdict {
            report.verdict = verdict
            report.jetError = .taskDropped
        }
        return report
    }

    /// Missing, extra and resized files of `directory` against `manifest`, from the directory
    /// listing alone (no file is read).
    public static func compareListing(_ manifest: BackupManifest, directory: String) -> ManifestComparison {
        let listed = regularFiles(in: directory).map { BackupManifest.Entry(name: $0.name, kind: .other, size: $0.size, hash: nil) }
        return ManifestComparison.compare(manifest, found: listed, comparingHashes: false)
    }

    /// A regular file to record: its name in the manifest, the path it is read from, its size
    /// and identity.
    struct Listed {
        var name: String
        var path: String
        var size: UInt64
        var identity: String
    }

    /// Runs the check with hashes on and describes every regular file of the directory.
    func examine(directory: String, baseName: String?) -> ([BackupManifest.Entry], StorageGroupReport) {
        let box = Locked<CheckSession?>(nil)
        var checker = StorageGroupChecker(options: hashingOptions, backupType: backupType)
        checker.sessionObserver = { session in box.withLock { $0 = session } }
        let discovery = (try? DirectoryDiscovery.scan(directory)) ?? DirectoryDiscovery(directory: directory, entries: [])
        let report = checker.check(discovery, baseName: baseName)
        // Paths keyed by their bytes: two names differing only in Unicode normalisation are two
        // files, though `String` calls them equal.
        var databases: [[UInt8]: Int] = [:]
        for (index, database) in report.databases.enumerated() { databases[PathEncoding.bytes(of: database.report.path)] = index }
        let files = Self.regularFiles(in: directory).map { Listed(name: $0.name, path: discovery.path(of: $0.name), size: $0.size, identity: $0.identity) }
        var logIndex: [[UInt8]: LogFileReport] = [:]
        for log in report.logs?.report?.files ?? [] { logIndex[PathEncoding.bytes(of: log.path)] = log }
        let databaseIndex = databases, logs = logIndex
        let entries = describe(files, report: report, session: box.withLock { $0 }, database: { databaseIndex[PathEncoding.bytes(of: $0.path)] },
                               log: { logs[PathEncoding.bytes(of: $0.path)] })
        return (entries, report)
    }

    /// The options of the check, with whole-file hashing on.
    var hashingOptions: CheckOptions {
        var options = self.options
        options.hashFiles = true
        return options
    }

    /// The manifest entries of `files`, on all cores: databases (`database` gives the index
    /// of a file's database in the report) from the session's hash pieces and the report,
    /// logs (`log` gives a file's log report) and other files hashed by reading them.
    func describe(_ files: [Listed], report: StorageGroupReport, session: CheckSession?,
                  database: @escaping @Sendable (Listed) -> Int?, log: @escaping @Sendable (Listed) -> LogFileReport?) -> [BackupManifest.Entry] {
        ParallelWork.map(files, width: options.concurrency, makeState: { () }) { file, _ in
            if let index = database(file), report.databases.indices.contains(index) {
                let pieces = session?.fileHashPieces(database: index) ?? FileHashPieces()
                var entry = Self.databaseEntry(file.name, size: file.size, path: file.path, pieces: pieces, verdict: report.databases[index])
                entry.identity = file.identity
                return entry
            }
            var entry = BackupManifest.Entry(name: file.name, kind: .other, size: file.size,
                                             hash: FileHasher.hash(path: file.path, expectedSize: file.size), identity: file.identity)
            if let log = log(file) {
                entry.kind = .log
                entry.log = log.header.map {
                    BackupManifest.LogFacts(generation: $0.generation, logSignature: Self.hex($0.logSignature), created: $0.createTime.description)
                }
            }
            return entry
        }
    }

    static func databaseEntry(_ name: String, size: UInt64, path: String, pieces: FileHashPieces, verdict: DatabaseVerdict) -> BackupManifest.Entry {
        var entry = databaseEntry(name, size: size, hash: FileHasher.hash(path: path, pieces: pieces, expectedSize: size), verdict: verdict)
        entry.identity = (try? SystemCalls.status(ofPath: path)).map(Self.identity) ?? ""
        return entry
    }

    /// A database's entry with its hash already formed: size, hash and the header facts.
    static func databaseEntry(_ name: String, size: UInt64, hash: UInt64?, verdict: DatabaseVerdict) -> BackupManifest.Entry {
        var entry = BackupManifest.Entry(name: name, kind: .database, size: size, hash: hash)
        if let header = verdict.report.header, let pageSize = verdict.report.pageSize {
            let required = header.state.needsLogReplay && header.minimumRequiredGeneration <= header.maximumRequiredGeneration
                ? header.minimumRequiredGeneration...header.maximumRequiredGeneration : nil
            entry.database = BackupManifest.DatabaseFacts(
                signature: hex(header.databaseSignature), logSignature: hex(header.logSignature), state: header.state.description,
                requiredGenerations: required, pageSize: pageSize, dataPages: verdict.report.dataPages)
        }
        return entry
    }

    /// The regular files directly in `directory` (symbolic links followed), by name.
    static func regularFiles(in directory: String) -> [(name: String, size: UInt64, identity: String)] {
        let names = (try? SystemCalls.directoryEntries(directory)) ?? []
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return names.sorted().compactMap { name in
            guard let status = try? SystemCalls.status(ofPath: prefix + name), status.kind == .regular else { return nil }
            return (name, status.size, identity(status))
        }
    }

    static func identity(_ status: FileStatus) -> String {
        let identity = status.identity
        return "\(identity.device):\(identity.inode):\(identity.modification)"
    }

    static func hex(_ signature: Signature) -> String {
        signature.bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
