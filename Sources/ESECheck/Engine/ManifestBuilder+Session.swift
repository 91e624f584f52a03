import ESEFormat

/// The manifest writer fed by a session (issue 18: "a manifest writer fed by the session"):
/// a caller that streams its own pages into a `CheckSession` created with
/// `CheckOptions.hashFiles` records, once the session is finished, the manifest of what it
/// checked — named as a manifest of files names them (`manifestName`).
extension ManifestBuilder {
    /// The manifest of the files a finished session checked: each database (a file by its
    /// path; a stream by its name, with the hash of the bytes fed to the session, which must
    /// then be every byte of it, header pages included — else it has no hash) and every file
    /// of the log set its log check examined (logs, reserve and temporary logs, the
    /// checkpoint), read once more to hash them. Without `hashFiles` databases that are files
    /// are hashed by reading them whole; streams have no hash.
    public func manifest(of session: CheckSession, report: StorageGroupReport) -> BackupManifest {
        var files: [Listed] = [], databaseIndex: [[UInt8]: Int] = [:]  // by bytes: `String` == is canonical equivalence
        var streamed: [BackupManifest.Entry] = []
        for (index, source) in session.databases.enumerated() where report.databases.indices.contains(index) {
            switch source {
            case .file(let path):
                guard let listed = Self.listed([path]).regular.first else { continue }
                databaseIndex[PathEncoding.bytes(of: listed.path)] = index
                files.append(listed)
            case .stream(let name, let size, _):
                let pieces = session.fileHashPieces(database: index) ?? FileHashPieces()
                streamed.append(Self.databaseEntry(Self.manifestName(name), size: size, hash: pieces.whole(fileSize: size),
                                                   verdict: report.databases[index]))
            }
        }
        let logSet = report.logs?.report
        var logIndex: [String: LogFileReport] = [:]
        for log in logSet?.files ?? [] { logIndex[Self.manifestName(log.path)] = log }
        let logPaths = (logSet?.files.map(\.path) ?? []) + (logSet?.auxiliary.map(\.path) ?? []) + (logSet?.checkpoint.map { [$0.path] } ?? [])
        files += Self.listed(logPaths).regular
        let byPath = databaseIndex, logs = logIndex
        let entries = describe(files, report: report, session: session, database: { byPath[PathEncoding.bytes(of: $0.path)] }, log: { logs[$0.name] })
        return BackupManifest(entries: entries + streamed, verdict: report.verdict)
    }
}
