import Dispatch
import ESEFormat

/// The storage-group check of a tar stream, read once, front to back, with nothing extracted:
/// members are classified as the directory check classifies files; each database is streamed
/// into a session page batch by page batch as it passes (on all cores, at most `concurrency`
/// windows in memory); the log set's files (logs, checkpoint, reserve logs) are held in
/// memory, at most `logBufferLimit` bytes, because the set is checked as a whole once its
/// last member has passed. The verdict is the one the extracted directory gets.
public struct TarChecker: Sendable {
    /// How to check (window size and threads for the page batches).
    public var options: CheckOptions
    /// The backup type checked.
    public var backupType: BackupType
    /// The most bytes of log-set files kept in memory (default 2 GiB: over 2000 generations of
    /// 1 MiB). A set that needs more is not checked: the report says so and is never restorable.
    public var logBufferLimit: Int = 2 << 30

    /// Creates a checker.
    public init(options: CheckOptions = CheckOptions(), backupType: BackupType = .full) {
        self.options = options
        self.backupType = backupType
    }

    /// What has been read of the archive so far.
    struct Gathered {
        var databases: [(source: DatabaseSource, session: CheckSession)] = []
        var logFiles: [String: [UInt8]] = [:]
        /// Flush maps (`<db>.jfm`) by member base name, handed to their databases at the end.
        var flushMaps: [String: [UInt8]] = [:]
        var logBytes = 0
        var skipped: [DirectoryDiscovery.SkippedEntry] = []
        var problems: [VerdictReason] = []
        var names: Set<String> = []
        /// Base names of the members the check used (databases, log-set files, flush maps).
        var used: Set<String> = []
        /// Later members named like a member the check used: extraction keeps the later one
        /// (tar writes members in order, a later one over an earlier of the same path).
        var repeated: [String] = []
        /// Members named like a database or log-set file that are not regular files (links, GNU
        /// sparse files, devices): what extraction leaves under that name was not checked.
        var notRegular: [String] = []
        /// With `hashing`, every regular member as a manifest entry (its path in the archive,
        /// size and whole-file hash computed while it streamed past).
        var members: [BackupManifest.Entry]?
        var hashing: Bool { members != nil }
    }

    /// Checks the storage group in the archive `reader` reads; `name` names the archive in
    /// reports (databases are named `name/member`).
    public func check(_ reader: inout TarReader, name: String, baseName: String? = nil) -> StorageGroupReport {
        var gathered = Gathered()
        return judge(read(&reader, archive: name, into: &gathered), archive: name, baseName: baseName)
    }

    /// Checks the archive `reader` reads against `manifest` in the same single read: every
    /// regular member is hashed as it streams past (databases by the page batches, on all
    /// cores) and compared by size and hash with the manifest entry it is
    /// (`manifestNames`); the storage group is checked as `check` checks it, and the verdict
    /// combined with the comparison as `ManifestBuilder.verify` combines it. Members are
    /// known only as they pass, so `listing` holds the missing, extra and resized files found
    /// from the member headers (no hash) and `comparison` the whole comparison.
    public func verify(_ manifest: BackupManifest, _ reader: inout TarReader, name: String, baseName: String? = nil) -> ManifestVerification {
        var gathered = Gathered(members: [])
        let checked = judge(read(&reader, archive: name, into: &gathered), archive: name, baseName: baseName)
        let found = Self.manifestNames(gathered.members ?? [], manifest: manifest)
        let comparison = ManifestComparison.compare(manifest, found: found)
        return ManifestVerification(manifest: manifest, listing: ManifestComparison.compare(manifest, found: found, comparingHashes: false),
                                    comparison: comparison, report: ManifestBuilder.judged(checked, comparison: comparison))
    }

    /// Each member entry named as the manifest names the file it is: the longest trailing
    /// part of its path (whole components, `./` and leading `/` dropped) that the manifest
    /// records — `E00/mailbox.edb` in an archive of the directory `E00` is `mailbox.edb` of a
    /// manifest of `E00`, `db/mailbox.edb` of a manifest of a file list stays
    /// `db/mailbox.edb`. A member no name fits, or a second member for a name already taken,
    /// keeps its path (an extra file).
    static func manifestNames(_ members: [BackupManifest.Entry], manifest: BackupManifest) -> [BackupManifest.Entry] {
        // Bytes, not `String`s: names differing only in Unicode normalisation are two files.
        let recorded = Set(manifest.entries.map { PathEncoding.bytes(of: $0.name) })
        var taken: Set<[UInt8]> = []
        return members.map { member in
            var entry = member
            let parts = member.name.split(separator: "/").filter { $0 != "." }
            entry.name = parts.joined(separator: "/")
            for start in parts.indices {
                let candidate = parts[start...].joined(separator: "/")
                let bytes = PathEncoding.bytes(of: candidate)
                guard recorded.contains(bytes) else { continue }
                if taken.insert(bytes).inserted { entry.name = candidate }
                break
            }
            return entry
        }
    }

    /// Reads every member; a stream that cannot be read to its end is a problem of the report.
    func read(_ reader: inout TarReader, archive: String, into gathered: inout Gathered) -> Gathered {
        do {
            while let entry = try reader.next() {
                try take(entry, from: &reader, archive: archive, into: &gathered)
            }
            if try reader.dataAfterEnd() {
                gathered.problems.append(VerdictReason(.archiveUnreadable, "the archive holds data after its end-of-archive block, which "
                    + "tar does not extract: a member header lost (zeroed), or archives joined without tar -A", jetError: .diskIO))
            }
            if !reader.endMarkerSeen {
                gathered.problems.append(VerdictReason(.archiveUnreadable, "the archive ends without its end-of-archive blocks: it may "
                    + "be cut where a member starts, and members after the cut would be missing", jetError: .diskIO))
            }
        } catch {
            gathered.problems.append(VerdictReason(.archiveUnreadable, "the archive cannot be read to its end: \(error)", jetError: .diskIO))
        }
        return gathered
    }

    /// Reads one member (`classify`) and, when hashing, what is left of it, and records it as
    /// a manifest entry with its hash: from the page batches of a database streamed into its
    /// session, else from every byte as it passed.
    func take(_ entry: TarReader.Entry, from reader: inout TarReader, archive: String, into gathered: inout Gathered) throws {
        // Any later member of a used name — a file, a link, a device — is what extraction leaves.
        if entry.kind != .directory, gathered.used.contains(entry.baseName) { gathered.repeated.append(archive + "/" + entry.path) }
        guard entry.kind == .file else {
            let ext = DirectoryDiscovery.fileExtension(entry.baseName)
            if entry.kind != .directory, DirectoryDiscovery.databaseExtensions.contains(ext) || LogFileName(entry.baseName) != nil {
                gathered.notRegular.append(archive + "/" + entry.path)
            }
            if entry.kind != .directory {
                gathered.skipped.append(.init(path: archive + "/" + entry.path, reason: "not a regular file", isNotable: true))
            }
            return
        }
        var hash: StreamHash? = gathered.hashing ? StreamHash() : nil
        let kind = try classify(entry, from: &reader, archive: archive, into: &gathered, hash: &hash)
        if kind != .other || gathered.flushMaps[entry.baseName] != nil { gathered.used.insert(entry.baseName) }
        guard var hash else { return }
        var value: UInt64?
        if kind == .database, let session = gathered.databases.last?.session, session.pageSize(database: 0) != nil {
            value = session.fileHashPieces(database: 0)?.whole(fileSize: entry.size)
        } else {
            while let piece = try reader.content(upTo: 1 << 20) { hash.append(piece) }
            value = hash.value(expectedSize: entry.size)
        }
        gathered.members?.append(BackupManifest.Entry(name: entry.path, kind: kind, size: entry.size, hash: value))
    }

    /// Reads one member as the check needs it: a database streamed into its own session, a
    /// log-set file buffered, anything else skipped. Bytes read are added to `hash`.
    func classify(_ entry: TarReader.Entry, from reader: inout TarReader, archive: String, into gathered: inout Gathered,
                  hash: inout StreamHash?) throws -> BackupManifest.Kind {
        let member = archive + "/" + entry.path
        let base = entry.baseName
        guard gathered.names.insert(base).inserted else {
            gathered.skipped.append(.init(path: member, reason: "another member has the same name \(base); the first was checked", isNotable: true))
            return .other
        }
        if LogFileName(base) != nil {
            var bytes: [UInt8] = []
            while let piece = try reader.content(upTo: 1 << 20) {
                hash?.append(piece)
                gathered.logBytes += piece.count
                if gathered.logBytes <= logBufferLimit { bytes += piece }
            }
            if gathered.logBytes > logBufferLimit {
                gathered.problems.append(VerdictReason(.archiveUnreadable,
                    "the log-set files exceed the buffer of \(logBufferLimit) bytes: \(member) and later ones were not checked", jetError: .outOfMemory))
            } else {
                gathered.logFiles[base] = bytes
            }
            return .log
        }
        let ext = DirectoryDiscovery.fileExtension(base)
        if ext == "jfm" {
            try keepFlushMap(base, member: member, from: &reader, into: &gathered, hash: &hash)
            return .other
        }
        if DirectoryDiscovery.logSetFileExtensions.contains(ext) {
            gathered.skipped.append(.init(path: member, reason: "named like a log-set file, but not checked", isNotable: LogDirectory.logSetExtensions.contains(ext)))
            return .other
        }
        var leading: [UInt8] = []
        while leading.count < DatabaseOpening.headerProbeBytes, let piece = try reader.content(upTo: DatabaseOpening.headerProbeBytes - leading.count) {
            leading += piece
        }
        hash?.append(leading)
        guard DirectoryDiscovery.databaseExtensions.contains(ext) || StorageGroupChecker.looksLikeDatabase(leading) else {
            gathered.skipped.append(.init(path: member, reason: "not a database or log-set file", isNotable: false))
            return .other
        }
        let source = DatabaseSource.stream(name: member, fileSize: entry.size, leadingBytes: leading)
        var sessionOptions = options
        sessionOptions.hashFiles = gathered.hashing
        // Keeps its pages' database times (8 bytes a page) for the set's session to compare.
        let session = CheckSession(databases: [source], logDirectory: nil, baseName: nil, backupType: .full,
                                   options: sessionOptions, probes: [:], keepsPageTimes: true)
        try stream(leading, rest: &reader, into: session)
        gathered.databases.append((source, session))
        return .database
    }

    /// Feeds a database's bytes to its session in page-aligned windows, on all cores.
    func stream(_ leading: [UInt8], rest reader: inout TarReader, into session: CheckSession) throws {
        guard (try? session.checkDatabaseHeaders()) != nil, let pageSize = session.pageSize(database: 0) else { return }
        let window = max(pageSize, options.windowBytes / pageSize * pageSize)
        let slots = DispatchSemaphore(value: max(1, options.concurrency))
        let group = DispatchGroup()
        defer { group.wait() }
        var pending = leading, offset: UInt64 = 0
        func flush(_ count: Int) {
            let batch = Array(pending[0..<count]), at = offset
            pending.removeFirst(count)
            offset += UInt64(count)
            slots.wait()
            DispatchQueue.global().async(group: group) {
                defer { slots.signal() }
                _ = try? session.checkPages(database: 0, fileOffset: at, bytes: batch.span.bytes)
            }
        }
        while true {
            while pending.count >= window { flush(window) }
            guard let piece = try reader.content(upTo: window) else { break }
            pending += piece
        }
        if !pending.isEmpty { flush(pending.count) }
    }

    /// One session over every database and the buffered log set, each database's pages taken
    /// from its streaming session: the verdict as `StorageGroupChecker` gives it.
    func judge(_ gathered: Gathered, archive: String, baseName: String?) -> StorageGroupReport {
        let hasLogs = !LogDirectory.baseNames(in: Array(gathered.logFiles.keys)).isEmpty
        let logDirectory = hasLogs || gathered.databases.isEmpty ? archive : nil
        // The buffered logs are examined by `checkLogs`, walked once, keeping the page references
        // redo's database-time check compares with the adopted pages' recorded times.
        let session = CheckSession(databases: gathered.databases.map(\.source), logDirectory: logDirectory, baseName: baseName,
                                   backupType: backupType, options: options, probes: [:],
                                   preparedLogFiles: logDirectory == nil ? nil : gathered.logFiles)
        var report: StorageGroupReport
        if (try? session.checkDatabaseHeaders()) != nil {
            for (index, database) in gathered.databases.enumerated() {
                session.adoptPages(database: index, from: database.session)
                handFlushMap(of: database.source.name, index: index, from: gathered, to: session)
            }
            if logDirectory != nil { _ = try? session.checkLogs() }
            report = (try? session.finish()) ?? StorageGroupReport(databases: [], logs: nil, problems: [], verdict: .unreadable, jetError: .invalidParameter)
        } else {
            report = StorageGroupReport(databases: [], logs: nil, problems: [], verdict: .unreadable, jetError: .invalidParameter)
        }
        StorageGroupChecker.note(gathered.skipped, in: &report)
        if !gathered.repeated.isEmpty {
            let names = gathered.repeated.prefix(5).map(PathEncoding.displayed).joined(separator: ", ")
            Self.cap(&report, VerdictReason(.duplicateMember, "the archive holds a later member named like one the check used, which "
                + "extraction keeps instead of the one checked: " + names + (gathered.repeated.count > 5 ? ", …" : ""),
                jetError: .diskReadVerificationFailure), at: .incomplete)
        }
        if !gathered.notRegular.isEmpty {
            let names = gathered.notRegular.prefix(5).map(PathEncoding.displayed).joined(separator: ", ")
            Self.cap(&report, VerdictReason(.memberNotChecked, "the archive holds a member named like a database or log file that is "
                + "not a regular file (a link, a GNU sparse file, a device), so what extraction leaves was not checked: " + names
                + (gathered.notRegular.count > 5 ? ", …" : ""), jetError: .diskReadVerificationFailure), at: .incomplete)
        }
        if !gathered.problems.isEmpty {
            report.problems += gathered.problems
            report.verdict = .unreadable
            report.jetError = gathered.problems[0].jetError ?? .diskIO
            // Each database says so too: the per-database results (C API) of an archive not read
            // whole are never restorable.
            Self.cap(&report, nil, at: .incomplete)
        }
        return report
    }

    /// Adds `reason` to the group's problems and to every database whose verdict is restorable,
    /// which becomes `verdict` (with the reason's JET error); the group's verdict likewise.
    /// With no reason, only the databases' restorable verdicts change, with the group's first problem.
    static func cap(_ report: inout StorageGroupReport, _ reason: VerdictReason?, at verdict: Verdict) {
        if let reason { report.problems.append(reason) }
        guard let cause = reason ?? report.problems.first(where: { !$0.isWarning }) else { return }
        for index in report.databases.indices where report.databases[index].verdict.isRestorable {
            report.databases[index].verdict = verdict
            report.databases[index].jetError = cause.jetError ?? .diskIO
            report.databases[index].reasons.append(cause)
        }
        guard reason != nil, report.verdict.isRestorable else { return }
        report.verdict = verdict
        report.jetError = cause.jetError ?? .diskIO
    }

    /// Buffers a flush map member (counted against `logBufferLimit`, like the log-set files).
    func keepFlushMap(_ base: String, member: String, from reader: inout TarReader, into gathered: inout Gathered,
                      hash: inout StreamHash?) throws {
        var bytes: [UInt8] = []
        while let piece = try reader.content(upTo: 1 << 20) {
            hash?.append(piece)
            gathered.logBytes += piece.count
            if gathered.logBytes <= logBufferLimit { bytes += piece }
        }
        if gathered.logBytes > logBufferLimit {
            gathered.skipped.append(.init(path: member, reason: "a flush map beyond the buffer of \(logBufferLimit) bytes, not compared", isNotable: true))
        } else {
            gathered.flushMaps[base] = bytes
        }
    }

    /// Hands a database its flush map, when the archive held `<db>.jfm` (same base name).
    func handFlushMap(of member: String, index: Int, from gathered: Gathered, to session: CheckSession) {
        let base = member.split(separator: "/").last.map(String.init) ?? member
        let name = DatabaseSlot.flushMapPath(forDatabase: base)
        guard let bytes = gathered.flushMaps[name] else { return }
        let path = member.dropLast(base.count) + name
        try? session.provideFlushMap(database: index, name: String(path), bytes: bytes.span.bytes)
    }
}
