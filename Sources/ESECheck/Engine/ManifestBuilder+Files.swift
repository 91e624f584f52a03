import ESEFormat

/// Manifests of a file list (docs/manifest.md, "Files given one by one"): the files a backup
/// copied, given by path — databases, the log set's files (all in one directory), anything
/// else — rather than a directory. Each file is named in the manifest by its path as given,
/// `.` components and repeated `/` dropped (`./db//a.edb` is `db/a.edb`); a copy is verified
/// by giving the same paths where it is (relative paths: from the copy's root).
extension ManifestBuilder {
    /// The name a manifest of files gives `path`: its components other than `.` and empty
    /// ones, joined by `/`, with the leading `/` of an absolute path kept.
    public static func manifestName(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// Checks the storage group the files form and records their manifest: databases
    /// (by extension or header) checked page by page, the log-set files (`E00.log`,
    /// `E0000003.log`, `E00.chk`, reserve logs) checked as a set, other files recorded and
    /// hashed. Paths that are not regular files are not recorded (the report lists them as
    /// skipped).
    /// - Throws: `CheckError` `invalidUse` when the log-set files are in more than one
    ///   directory (one manifest checks one log set).
    public func build(files: [String], baseName: String? = nil) throws(CheckError) -> (manifest: BackupManifest, report: StorageGroupReport) {
        let (entries, report) = try examine(files: files, baseName: baseName)
        return (BackupManifest(entries: entries, verdict: report.verdict), report)
    }

    /// Checks the files at `files` against `manifest` (recorded by `build(files:)`), as
    /// `verify(_:directory:)` checks a directory: a recorded name no path gives, or whose file
    /// does not exist, is missing; a path the manifest does not record is extra.
    /// - Throws: as `build(files:)`.
    public func verify(_ manifest: BackupManifest, files: [String], baseName: String? = nil) throws(CheckError) -> ManifestVerification {
        let listing = Self.compareListing(manifest, files: files)
        let (entries, checked) = try examine(files: files, baseName: baseName)
        let comparison = ManifestComparison.compare(manifest, found: entries)
        return ManifestVerification(manifest: manifest, listing: listing, comparison: comparison,
                                    report: Self.judged(checked, comparison: comparison))
    }

    /// Missing, extra and resized files of the list against `manifest`, from the files'
    /// status alone (no file is read).
    public static func compareListing(_ manifest: BackupManifest, files: [String]) -> ManifestComparison {
        let found = listed(files).regular.map { BackupManifest.Entry(name: $0.name, kind: .other, size: $0.size, hash: nil) }
        return ManifestComparison.compare(manifest, found: found, comparingHashes: false)
    }

    /// The regular files of `paths` (each name once, in the order given), and the paths that
    /// are not regular files or cannot be examined.
    static func listed(_ paths: [String]) -> (regular: [Listed], skipped: [DirectoryDiscovery.SkippedEntry]) {
        var regular: [Listed] = [], skipped: [DirectoryDiscovery.SkippedEntry] = [], seen: Set<[UInt8]> = []
        for path in paths {
            let name = manifestName(path)
            guard seen.insert(PathEncoding.bytes(of: name)).inserted else { continue }  // bytes: `String` == is canonical equivalence
            do {
                let status = try SystemCalls.status(ofPath: name)
                guard status.kind == .regular else {
                    skipped.append(.init(path: name, reason: DirectoryDiscovery.describe(status.kind), isNotable: true))
                    continue
                }
                regular.append(Listed(name: name, path: name, size: status.size, identity: identity(status)))
            } catch {
                skipped.append(.init(path: name, reason: "cannot be examined: \(error.message)", isNotable: true))
            }
        }
        return (regular, skipped)
    }

    /// Runs the check of the listed files with hashes on and describes each.
    func examine(files paths: [String], baseName: String?) throws(CheckError) -> ([BackupManifest.Entry], StorageGroupReport) {
        let (files, skipped) = Self.listed(paths)
        var databases: [Listed] = [], logSet: [Listed] = [], others: [Listed] = []
        for file in files {
            let base = String(file.name.split(separator: "/").last ?? "")
            if LogFileName(base) != nil { logSet.append(file) } else if Self.isDatabase(file.path, name: base) { databases.append(file) } else { others.append(file) }
        }
        let directories = Set(logSet.map { Self.parent(of: $0.name) })
        guard directories.count <= 1 else {
            throw CheckError(.invalidUse, path: directories.sorted().joined(separator: ", "), expected: "the log-set files in one directory",
                             found: "\(directories.count) directories", message: "a manifest of files checks one log set: give its files from one directory")
        }
        let logDirectory = directories.first ?? (databases.isEmpty ? "." : nil)
        let (listing, prepared) = logDirectory.map { checkLogSet(logSet, in: $0, baseName: baseName) } ?? (nil, nil)
        let session = CheckSession(databases: databases.map { .file($0.path) }, logDirectory: logDirectory, baseName: baseName,
                                   backupType: backupType, options: hashingOptions, probes: [:], preparedLogs: prepared)
        var report = SessionFeeder(options: hashingOptions).run(session, checkLogs: logDirectory != nil)
        if let listing { StorageGroupChecker.note(StorageGroupChecker.unchecked(listing), in: &report) }
        StorageGroupChecker.note(skipped + others.map { .init(path: $0.name, reason: "not a database or log-set file", isNotable: false) },
                                 in: &report)
        var databaseIndex: [[UInt8]: Int] = [:], logIndex: [String: LogFileReport] = [:]
        for (index, file) in databases.enumerated() { databaseIndex[PathEncoding.bytes(of: file.path)] = index }
        for log in report.logs?.report?.files ?? [] { logIndex[log.name.fileName] = log }
        let byPath = databaseIndex, byName = logIndex, logPaths = Set(logSet.map(\.path))
        let entries = describe(files, report: report, session: session, database: { byPath[PathEncoding.bytes(of: $0.path)] }, log: { file in
            logPaths.contains(file.path) ? byName[String(file.name.split(separator: "/").last ?? "")] : nil
        })
        return (entries, report)
    }

    /// The log set of the listed log-set files in `directory` (`LogDirectory.select` over
    /// their names alone: other files of the directory are not part of it), examined.
    func checkLogSet(_ files: [Listed], in directory: String, baseName: String?) -> (LogDirectory?, LogSetReport) {
        let names = files.map { String($0.name.split(separator: "/").last ?? "") }.sorted()
        do {
            let listing = try LogDirectory.select(names, in: directory, baseName: baseName)
            return (listing, LogSetChecker(options: hashingOptions).check(listing))
        } catch {
            var report = LogSetReport(directory: directory, baseName: baseName ?? "")
            report.errors.append(error)
            return (nil, report)
        }
    }

    /// Whether a listed file is checked as a database: a database extension, or the first
    /// bytes of a database (`StorageGroupChecker.looksLikeDatabase`); never a file with a
    /// log-set extension.
    static func isDatabase(_ path: String, name: String) -> Bool {
        let ext = DirectoryDiscovery.fileExtension(name)
        if DirectoryDiscovery.databaseExtensions.contains(ext) { return true }
        if DirectoryDiscovery.logSetFileExtensions.contains(ext) { return false }
        guard let file = try? ReadOnlyFile(path: path), let prefix = try? file.readBytes(at: 0, count: DatabaseOpening.headerProbeBytes) else {
            return false
        }
        return StorageGroupChecker.looksLikeDatabase(prefix)
    }

    /// The directory part of a manifest name (`.` for a bare name).
    static func parent(of name: String) -> String {
        guard let slash = name.lastIndex(of: "/") else { return "." }
        return slash == name.startIndex ? "/" : String(name[..<slash])
    }
}
