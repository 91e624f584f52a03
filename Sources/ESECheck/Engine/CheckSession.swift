import ESEFormat
import Synchronization

/// A storage-group check with the CHKSGFILES flow, in Swift:
///
/// ```
/// let session = CheckSession(databases: [.file(path)], logDirectory: logs, baseName: "E00")
/// let headers = try session.checkDatabaseHeaders()        // page size, required generations
/// try session.checkPages(database: 0, fileOffset: offset, bytes: span)   // any order, any thread
/// let logs = try session.checkLogs()                     // once, may overlap page checks
/// let report = try session.finish()                      // one verdict per database
/// ```
///
/// Pages may be supplied in any order from many threads at once. The session records which
/// pages were checked, so `finish()` names pages never seen and pages seen twice.
/// Misuse (wrong order, unknown database, a batch that is not whole pages, finishing while
/// batches are in flight) throws `CheckError` with code `invalidUse` — never a trap.
/// CHKSGFILES: `CCheckSGFiles` (`ErrInit`, `ErrCheckDbHeaders`, `ErrCheckDbPages`,
/// `ErrCheckLogs`, `ErrTerm`).
public final class CheckSession: Sendable {
    /// The databases to check.
    public let databases: [DatabaseSource]
    /// The log directory, when logs are to be checked.
    public let logDirectory: String?
    /// The log base name (inferred from the directory when nil).
    public let baseName: String?
    /// Read and thread options for the parts the session reads itself (headers, logs).
    public let options: CheckOptions
    /// The backup being verified: full and copy check pages and logs; incremental and
    /// differential check the logs written since the last recorded backup.
    public let backupType: BackupType

    private enum Phase: Sendable { case created, headersChecked, finished }

    private struct State: Sendable {
        var phase = Phase.created
        var slots: [DatabaseSlot] = []
        var headerCheck: HeaderCheck?
        var logCheck: LogCheck?
        var logsStarted = false
    }

    private let state = Locked(State())
    /// Header bytes directory discovery already read, by path.
    let probes: [String: HeaderProbe]
    private let inFlight = Atomic<Int>(0)
    /// A log set the caller examined from bytes (a tar stream), used instead of reading
    /// `logDirectory`, which then only names it.
    let preparedLogs: LogSetReport?
    /// The log set's files the caller holds in memory (a tar stream), by file name: examined
    /// by `checkLogs` in place of `logDirectory` (which then only names them), so that their one
    /// walk keeps the page references redo's database-time check needs (`pageCollection`).
    let preparedLogFiles: [String: [UInt8]]?
    /// Whether the database times of replayed databases' pages are recorded although this
    /// session has no logs: a tar stream's per-database session, whose pages another session
    /// adopts (`adoptPages`) once the archive's logs are known.
    let keepsPageTimes: Bool

    /// Creates a session. CHKSGFILES: `ErrInit`.
    public convenience init(databases: [DatabaseSource], logDirectory: String? = nil, baseName: String? = nil,
                            backupType: BackupType = .full, options: CheckOptions = CheckOptions()) {
        self.init(databases: databases, logDirectory: logDirectory, baseName: baseName, backupType: backupType,
                  options: options, probes: [:])
    }

    init(databases: [DatabaseSource], logDirectory: String?, baseName: String?, backupType: BackupType,
         options: CheckOptions, probes: [String: HeaderProbe], preparedLogs: LogSetReport? = nil,
         preparedLogFiles: [String: [UInt8]]? = nil, keepsPageTimes: Bool = false) {
        self.probes = probes
        self.preparedLogs = preparedLogs
        self.preparedLogFiles = preparedLogFiles
        self.keepsPageTimes = keepsPageTimes
        self.databases = databases
        self.logDirectory = logDirectory
        self.baseName = baseName
        self.backupType = backupType
        self.options = options
    }

    /// Creates a session over database files.
    public convenience init(databasePaths: [String], logDirectory: String? = nil, baseName: String? = nil,
                            backupType: BackupType = .full, options: CheckOptions = CheckOptions()) {
        self.init(databases: databasePaths.map(DatabaseSource.file), logDirectory: logDirectory, baseName: baseName,
                  backupType: backupType, options: options)
    }

    /// The scope entry of a check run with the structure walk turned off (a warning).
    static let structureSkipped = CheckScope.Skipped(
        what: .structure, reason: "the B-tree and space-tree walk was turned off (--no-structure): a zeroed or unlinked page "
            + "that holds data would not be found", isWarning: true)

    static func misuse(_ message: String, path: String = "") -> CheckError {
        CheckError(.invalidUse, path: path, message: message, jetError: .invalidParameter)
    }

    // MARK: Headers

    /// Reads and validates every database header (primary and shadow), checks that all
    /// databases share one page size and one log signature, and returns the page size, the
    /// header-page count and the generations the databases require. Call once, first.
    /// - Throws: `CheckError.invalidUse` when called twice, or when there is nothing to check.
    public func checkDatabaseHeaders() throws(CheckError) -> HeaderCheck {
        try state.withLock { state throws(CheckError) in
            guard state.phase == .created, state.headerCheck == nil else {
                throw Self.misuse("checkDatabaseHeaders was already called")
            }
            guard !databases.isEmpty || logDirectory != nil else {
                throw Self.misuse("a session needs at least one database or a log directory")
            }
            if let baseName, !Self.isValidBaseName(baseName) {
                throw CheckError(.invalidUse, path: logDirectory ?? "", expected: "a 3-character log base name (E00, edb, SRU)",
                                 found: "'\(baseName)' (\(baseName.count) characters)", message: "the log base name must be 3 characters",
                                 jetError: .invalidParameter)
            }
            state.headerCheck = HeaderCheck(databases: [], problems: [], jetError: .success)
        }
        let sources = Array(databases.enumerated())
        let slots = ParallelWork.map(sources, width: options.concurrency, makeState: { () }) { item, _ in
            DatabaseSlot.open(item.element, index: item.offset, findingLimit: options.maxFindings, probe: probes[item.element.name],
                              verifyStructure: options.verifyStructure)
        }
        if options.hashFiles { for slot in slots { slot.progress.withLock { $0.hash = FileHashPieces() } } }
        let reports = slots.map { $0.progress.withLock { $0.report } }
        var check = HeaderCheck(databases: reports, problems: [], jetError: .success)
        let pageSizes = Set(reports.compactMap(\.pageSize))
        check.pageSize = pageSizes.count == 1 ? pageSizes.first : reports.compactMap(\.pageSize).first
        if pageSizes.count > 1 {
            check.problems.append(VerdictReason("pageSizeMismatch",
                "the databases use different page sizes (\(pageSizes.sorted().map(String.init).joined(separator: ", ")))",
                jetError: .pageSizeMismatch))
        }
        let signatures = Set(reports.compactMap { $0.header?.logSignature })
        if signatures.count > 1 {
            // No code in ESE raises −539 (recovery.md S7): a dirty database of another sequence is
            // deferred by recovery (−1216), a clean one needs no log. The recovery model judges both.
            check.problems.append(VerdictReason("logSignatureMismatch",
                "the databases were last attached to \(signatures.count) different log sequences", isWarning: true))
        }
        let dirty = reports.compactMap(\.header).filter { $0.state.needsLogReplay }
        if let low = dirty.map(\.minimumRequiredGeneration).filter({ $0 > 0 }).min(),
           let high = dirty.map(\.maximumRequiredGeneration).max(), low <= high {
            check.requiredGenerations = low...high
        }
        if let failed = reports.firstIndex(where: { $0.headers == nil }) {
            check.firstFailedDatabase = failed
            check.jetError = reports[failed].errors.first?.jetError ?? .readVerifyFailure
        } else if let problem = check.problems.first(where: { !$0.isWarning }) {
            check.jetError = problem.jetError ?? .invalidParameter
        }
        preparePageTimes(slots)
        state.withLock { state in
            state.slots = slots
            state.headerCheck = check
            state.phase = .headersChecked
        }
        return check
    }

    // MARK: Pages

    private func slot(_ database: Int) throws(CheckError) -> DatabaseSlot {
        try state.withLock { state throws(CheckError) in
            switch state.phase {
            case .created: throw Self.misuse("checkDatabaseHeaders must be called before pages are checked")
            case .finished: throw Self.misuse("the session is finished")
            case .headersChecked: break
            }
            guard state.slots.indices.contains(database) else {
                throw Self.misuse("there is no database \(database) (the session has \(state.slots.count))")
            }
            return state.slots[database]
        }
    }

    /// The logical page number at `fileOffset` of `database`, or nil for a header page, an
    /// offset off a page boundary, an offset at or past the end of the file's last whole
    /// page, or before headers are checked. CHKSGFILES: `PgnoFromFileOffset`.
    public func pageNumber(database: Int, fileOffset: UInt64) -> UInt32? {
        guard let slot = try? slot(database), let layout = slot.layout,
              fileOffset / UInt64(layout.pageSize) < UInt64(slot.physicalPages) else { return nil }
        return layout.pageNumber(fileOffset: fileOffset)
    }

    /// The page size of `database`, once its headers are checked and valid.
    public func pageSize(database: Int) -> Int? { (try? slot(database))?.layout?.pageSize }

    /// Whether `name` can be a log base name: 3 characters, none of them `/`, `.` or NUL.
    public static func isValidBaseName(_ name: String) -> Bool {
        name.count == LogFileName.baseNameLength && !name.contains { $0 == "/" || $0 == "." || $0 == "\0" }
    }

    /// Checks a batch of whole pages the caller read itself, starting at `fileOffset`.
    /// Safe to call from many threads at once, in any order. Header pages in the batch
    /// (offsets 0 and one page) are checked as headers. CHKSGFILES: `ErrCheckDbPages`.
    ///
    /// A page supplied twice is compared with the copy checked first: the same bytes are a
    /// repeat (a warning), other bytes a conflict that leaves the database `incomplete`
    /// (`conflictingCopies`) until the page is resubmitted with `resubmitPages`. A batch that
    /// ends at the end of a file whose size is not a whole number of pages may end with that
    /// partial page: it is reported (`partialPage`), not refused.
    /// - Returns: every page's check (stored and computed checksums, database time, verdict),
    ///   and −1018 when a data page is bad, −535 for a bad trailer page, −1021 when a page
    ///   conflicts with an earlier copy (whatever this copy's checksum: the report holds the
    ///   earlier one), −4001 for a partial last page, success otherwise.
    ///   Header pages agree with the final verdict: one found bad at the header check (the
    ///   shadow was used) is flagged but the batch succeeds.
    /// - Throws: `CheckError.invalidUse` for misuse: before headers, after finishing, an
    ///   unknown database, a database without a valid header, a batch not made of whole
    ///   pages, an offset off a page boundary, or pages beyond the end of the file.
    @discardableResult
    public func checkPages(database: Int, fileOffset: UInt64, bytes: RawSpan) throws(CheckError) -> PageBatchResult {
        try batch(database: database, fileOffset: fileOffset, bytes: bytes, replacing: false)
    }

    /// Checks pages the transport read again, replacing the copies checked before: their
    /// results (counts, findings) are taken back and replaced, not added, and conflicts
    /// between earlier copies are resolved by this one. Pages never checked before are
    /// simply checked. A header page still has to match the copy the header check read.
    /// CHKSGFILES has no such call (ESE retries failed reads itself).
    /// - Returns: as `checkPages`.
    /// - Throws: as `checkPages`.
    @discardableResult
    public func resubmitPages(database: Int, fileOffset: UInt64, bytes: RawSpan) throws(CheckError) -> PageBatchResult {
        try batch(database: database, fileOffset: fileOffset, bytes: bytes, replacing: true)
    }

    private func batch(database: Int, fileOffset: UInt64, bytes: RawSpan, replacing: Bool) throws(CheckError) -> PageBatchResult {
        var results: [PageCheck]? = []
        var record = DatabaseSlot.BatchRecord()
        let partial = try absorb(database: database, fileOffset: fileOffset, bytes: bytes, replacing: replacing,
                                 results: &results, record: &record)
        let pages = results ?? []
        let jetError: JetError
        // A conflicting copy is not what the report holds: it counts as a conflict, not as bad.
        let conflicts = Set(record.conflictingOffsets)
        let pageSize = UInt64(self.pageSize(database: database) ?? 1)
        if pages.contains(where: { $0.outcome.isBad && !conflicts.contains((UInt64($0.pageNumber) + 1) * pageSize) }) {
            jetError = .readVerifyFailure
        } else if let trailer = record.trailer, !trailer.isValid, !conflicts.contains(record.trailerOffset ?? 0) {
            jetError = .badPatchPage
        } else if !record.conflictingOffsets.isEmpty {
            jetError = .diskReadVerificationFailure
        } else if partial > 0 {
            jetError = .fileIOBeyondEOF
        } else {
            jetError = .success
        }
        var result = PageBatchResult(pages: pages, headerPages: record.headers, jetError: jetError)
        if let trailer = record.trailer, let offset = record.trailerOffset {
            result.trailer = TrailerCheck(physicalPage: Int(offset / pageSize), checksum: trailer)
        }
        result.conflictingOffsets = record.conflictingOffsets
        if partial > 0 {
            result.partialPageBytes = partial
            result.partialPageOffset = fileOffset + UInt64(bytes.byteCount - partial)
        }
        return result
    }

    /// `checkPages` without per-page results, for feeders that only need the final report.
    func absorb(database: Int, fileOffset: UInt64, bytes: RawSpan) throws(CheckError) {
        var results: [PageCheck]?
        var record = DatabaseSlot.BatchRecord()
        _ = try absorb(database: database, fileOffset: fileOffset, bytes: bytes, replacing: false, results: &results, record: &record)
    }

    /// Checks and records a batch; returns the bytes of a partial last page it ended with.
    private func absorb(database: Int, fileOffset: UInt64, bytes: RawSpan, replacing: Bool, results: inout [PageCheck]?,
                        record: inout DatabaseSlot.BatchRecord) throws(CheckError) -> Int {
        inFlight.add(1, ordering: .sequentiallyConsistent)
        defer { inFlight.subtract(1, ordering: .sequentiallyConsistent) }
        let slot = try slot(database)
        let name = slot.source.name
        guard let layout = slot.layout else {
            throw Self.misuse("database \(database) has no valid header; its pages cannot be checked", path: name)
        }
        let pageSize = UInt64(layout.pageSize)
        guard fileOffset % pageSize == 0 else {
            throw CheckError(.invalidUse, path: name, offset: fileOffset, expected: "an offset on a page boundary",
                             found: "\(fileOffset)", message: "a page batch must start on a page boundary", jetError: .invalidParameter)
        }
        let end = fileOffset.addingReportingOverflow(UInt64(bytes.byteCount))
        // Only the batch that ends exactly at the end of the file may end with its partial page.
        let tail = Int(slot.fileSize % pageSize)
        let partial = tail > 0 && !end.overflow && end.partialValue == slot.fileSize && bytes.byteCount % layout.pageSize == tail ? tail : 0
        guard bytes.byteCount > 0, (bytes.byteCount - partial) % layout.pageSize == 0 else {
            throw CheckError(.invalidUse, path: name, offset: fileOffset, expected: "a multiple of the page size \(pageSize)",
                             found: "\(bytes.byteCount) bytes", message: "a page batch must hold whole pages", jetError: .invalidParameter)
        }
        guard !end.overflow, end.partialValue - UInt64(partial) <= UInt64(slot.physicalPages) * pageSize else {
            throw CheckError(.invalidUse, path: name, offset: fileOffset, expected: "pages within the file (\(slot.physicalPages) pages)",
                             found: "\(bytes.byteCount / layout.pageSize) pages from offset \(fileOffset)",
                             message: "the batch runs beyond the end of the database", jetError: .invalidParameter)
        }
        // The whole-file hash (XXH3Tree): pages of 4 KiB or more hold whole leaves, hashed by the
        // slot page by page while each page is in cache; 2 KiB pages and a partial last page here.
        let fused = options.hashFiles && layout.pageSize >= XXH3Tree.leafBytes
        slot.absorb(bytes.extracting(0..<(bytes.byteCount - partial)), fileOffset: fileOffset, replacing: replacing,
                    hashing: fused, results: &results, record: &record)
        if options.hashFiles, !fused || partial > 0 {
            let start = fused ? bytes.byteCount - partial : 0
            // Outside the lock: the leaves of the whole-file hash, folded in order later.
            let run = FileHashPieces.Run(offset: fileOffset + UInt64(start), bytes: bytes.extracting(start...), fileSize: slot.fileSize)
            slot.progress.withLock { $0.hash?.record(run) }
        }
        options.progress?.advance(bytes: bytes.byteCount)
        return partial
    }

    /// Records that a range of `database` could not be read by the feeder (it then counts as
    /// unread, and the database as unreadable).
    public func recordReadFailure(database: Int, _ failure: ReadFailure) {
        guard let slot = try? slot(database) else { return }
        slot.progress.withLock { state in
            if let last = state.report.readFailures.last, last.offset + last.length == failure.offset,
               last.cause == failure.cause, last.sizeNow == failure.sizeNow {
                state.report.readFailures[state.report.readFailures.count - 1].length += failure.length
            } else {
                state.report.readFailures.append(failure)
                state.report.readFailures.sort { $0.offset < $1.offset }
            }
        }
    }

    /// The whole-file hash pieces (`XXH3Tree` leaves) of `database` the session has checked, when
    /// `CheckOptions.hashFiles` is on (nil otherwise, or for an unknown database). Combine them
    /// with `FileHashPieces.whole(fileSize:)` after reading its `gaps` (the header pages and
    /// a partial last page are not part of the page pass). Valid after `finish()` too.
    public func fileHashPieces(database: Int) -> FileHashPieces? {
        let slots = state.withLock { $0.slots }
        guard slots.indices.contains(database) else { return nil }
        return slots[database].progress.withLock { $0.hash }
    }

    /// Takes database `database`'s page results from database 0 of `other`, a session over
    /// the same stream source whose pages were checked while the rest of the set was still
    /// unknown (a tar stream). Both sessions must be past their header checks; `other` is not
    /// finished.
    func adoptPages(database: Int, from other: CheckSession) {
        guard let mine = try? slot(database), let theirs = try? other.slot(0) else { return }
        let progress = theirs.progress.withLock { $0 }
        mine.progress.withLock { $0 = progress }
        mine.flushTypes.adopt(theirs.flushTypes)
        mine.pageTimes.adopt(theirs.pageTimes)
    }

    /// The slots, for the library's own feeder (after the headers).
    func slotsForFeeding() -> [DatabaseSlot] { state.withLock { $0.slots } }

    // MARK: Logs

    /// Verifies the log set and judges it against the generations the databases require.
    /// Call once, after the headers; may run while pages are being checked. CHKSGFILES: `ErrCheckLogs`.
    /// - Throws: `CheckError.invalidUse` before the headers, after finishing, or when called twice.
    @discardableResult
    public func checkLogs() throws(CheckError) -> LogCheck {
        let headers: HeaderCheck? = try state.withLock { state throws(CheckError) in
            guard state.phase == .headersChecked else {
                throw Self.misuse(state.phase == .created ? "checkDatabaseHeaders must be called before checkLogs" : "the session is finished")
            }
            guard !state.logsStarted else { throw Self.misuse("checkLogs was already called") }
            state.logsStarted = true
            return state.headerCheck
        }
        inFlight.add(1, ordering: .sequentiallyConsistent)
        defer { inFlight.subtract(1, ordering: .sequentiallyConsistent) }
        var checker = LogSetChecker(options: options)
        checker.pageCollection = pageCollection()
        let report = logDirectory.map { directory in
            preparedLogs ?? preparedLogFiles.map { checker.check(files: $0, directory: directory, baseName: baseName) }
                ?? checker.check(directory: directory, baseName: baseName)
        }
        var check = judgeLogs(report, headers: headers)
        resolvePageTimes(&check)
        state.withLock { $0.logCheck = check }
        return check
    }

    /// The log set judged against the databases: the recovery model for the replay, and the
    /// per-generation assessment for incremental and differential backups.
    private func judgeLogs(_ report: LogSetReport?, headers: HeaderCheck?) -> LogCheck {
        var check = LogAssessment.assess(report, headers: headers, backupType: backupType)
        let input = RecoveryInput(logSet: report, logsGiven: logDirectory != nil && report?.errors.isEmpty != false,
                                  databases: headers?.databases ?? [], backupType: backupType)
        let recovery = RecoveryModel.evaluate(input)
        check.recovery = recovery
        if !backupType.isLogOnly {
            check.jetError = recovery.plan.failure?.jetError ?? .success
        }
        return check
    }

    // MARK: Finish

    /// Ends the session and returns one verdict per database. CHKSGFILES: `ErrTerm`.
    /// - Throws: `CheckError.invalidUse` before the headers, when called twice, or while
    ///   `checkPages`/`checkLogs` calls are still running (CHKSGFILES −1059).
    public func finish() throws(CheckError) -> StorageGroupReport {
        let snapshot: (slots: [DatabaseSlot], headers: HeaderCheck, logs: LogCheck?, logsStarted: Bool) =
            try state.withLock { state throws(CheckError) in
                switch state.phase {
                case .created: throw Self.misuse("checkDatabaseHeaders must be called before finish")
                case .finished: throw Self.misuse("finish was already called")
                case .headersChecked: break
                }
                guard inFlight.load(ordering: .sequentiallyConsistent) == 0 else {
                    throw CheckError(.invalidUse, path: "", message: "finish was called while page or log checks are still running",
                                     jetError: .tooManyActiveUsers)
                }
                if state.logsStarted, state.logCheck == nil {
                    throw CheckError(.invalidUse, path: "", message: "finish was called while checkLogs is still running",
                                     jetError: .tooManyActiveUsers)
                }
                state.phase = .finished
                return (state.slots, state.headerCheck!, state.logCheck, state.logsStarted)
            }
        var logs = snapshot.logs
        if logs == nil, logDirectory == nil {
            // No logs were given: a dirty database's required logs are missing.
            logs = judgeLogs(nil, headers: snapshot.headers)
        }
        let context = VerdictRules.Context(logs: logs, logsExpected: logDirectory != nil,
                                           logsChecked: snapshot.logsStarted, backupType: backupType, recovery: logs?.recovery)
        // Each database's structure walk is independent: walk them on the session's threads,
        // so a group of databases does not finish on one core while the others idle.
        let (limit, checksPages) = (options.maxFindings, backupType.checksPages)
        var verdicts = ParallelWork.map(Array(snapshot.slots.indices), width: options.concurrency, makeState: {}) { index, _ in
            let slot = snapshot.slots[index]
            var progress = slot.progress.withLock { $0 }
            progress.report.structure = slot.structureReport(progress, findingLimit: limit, pagesChecked: checksPages)
            if progress.report.structure?.scope == .skipped { progress.report.scope.skip(Self.structureSkipped) }
            if backupType.checksPages {
                progress.report.flushMap = slot.flushMapReport(header: progress.report.header, structure: progress.report.structure,
                                                               conflicting: progress.coverage.conflicting, findingLimit: options.maxFindings)
            }
            return VerdictRules.judge(progress.report, index: index, coverage: progress.coverage, context: context)
        }
        VerdictRules.applyPageTimes(&verdicts, snapshot.slots.map { $0.pageTimes.result(limit: options.maxFindings) })
        var problems = snapshot.headers.problems
        if let failure = VerdictRules.setFailureNoDatabaseCarries(verdicts, recovery: logs?.recovery, backupType: backupType) {
            problems.append(failure)
        }
        let verdict = VerdictRules.overallVerdict(verdicts, problems: problems, logs: logs)
        var report = StorageGroupReport(databases: verdicts, logs: logs, problems: problems, verdict: verdict,
                                        jetError: VerdictRules.overallError(verdict, verdicts, problems: problems, logs: logs))
        report.backupType = backupType
        report.truncateBelow = VerdictRules.truncationPoint(report)
        return report
    }
}
