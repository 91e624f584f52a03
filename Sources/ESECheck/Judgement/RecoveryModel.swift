import ESEFormat

/// ESE's soft recovery (`JetInit`, `eseutil /r`) as a pure function of the copied files'
/// headers: which logs it replays, whether they are there and sound, how it attaches each
/// database, and the error it ends with. No I/O: the facts come in as `RecoveryInput`.
///
/// The steps follow recovery.md §2 (S0–S7) at ESE commit 7030fe7; each rule cites ESE's
/// source. Record-dependent decisions (§5) use the header approximations the document gives
/// and say so in `ReplayPlan.approximations` and `RecoveryDecision.usedApproximation`.
public enum RecoveryModel {
    /// Evaluates recovery of the files as they are, and the remedies that would make it succeed.
    public static func evaluate(_ input: RecoveryInput) -> RecoveryResult {
        var result = evaluateAsIs(input)
        result.remedies = RecoveryRemedies.find(for: input, result: result)
        return result
    }

    /// Evaluates recovery of the files as they are, without looking for remedies.
    static func evaluateAsIs(_ input: RecoveryInput) -> RecoveryResult {
        var run = RecoveryRun(input)
        run.perform()
        return run.result()
    }

    /// Whether a database format records `logtimeGenMaxRequired`: (`le_ulVersion`,
    /// `le_ulDaeUpdateMajor`) ≥ (0x620, 150). ESE: fmp.cxx:691-721, sysver.cxx:79, 218-249.
    static func recordsRequiredLogTime(_ header: DatabaseHeader) -> Bool {
        (header.version, header.updateMajor) >= (0x620, 150)
    }

    /// Whether a log keeps the attach list in the checkpoint: 8.4000.4.3 or later.
    /// ESE: `FLGVersionAttachInfoInCheckpoint` (log.cxx:1243-1254, daedef.hxx:2577-2580).
    static func keepsAttachListInCheckpoint(_ header: LogFileHeader) -> Bool {
        (header.majorVersion, header.minorVersion, header.updateMajor, header.updateMinor) >= (8, 4000, 4, 3)
    }

    /// Whether recovery checks `checksumPrevLogAllSegments` of this log, also when it is zero:
    /// v8 with unified minor versions and update-minor ≥ 13.
    /// ESE: logredo.cxx:4441-4474, `FLogFormatUnifiedMinorUpdateVersion` (daedef.hxx:2749-2760).
    static func checksPreviousAccumulatedChecksum(_ header: LogFileHeader) -> Bool {
        (header.majorVersion, header.minorVersion) >= (8, 4000) && header.updateMinor >= 13
    }
}

/// One evaluation: the state S0–S7 build up.
struct RecoveryRun {
    struct DatabaseState {
        var attach = AttachStatus.notEvaluated
        var failures: [RecoveryFailure] = []
        var notes: [VerdictReason] = []
        var approximated = false
        /// Decided by the attach and detach records of the replayed logs.
        var decidedByRecords = false
        /// Deferred because its detach or attach lies later in the span (record-dependent).
        var deferral: Deferral?
        /// The attach slot the log set's list gives it. ESE: `dbid`.
        var listedID: UInt8?
    }

    enum Deferral {
        case missingOrOtherSequence(String)
        case attachFuture
        case consistentFuture
        case otherDatabase
        case justCreated
    }

    let input: RecoveryInput
    var plan = ReplayPlan()
    /// Set-level failures in the order ESE meets them; the first is the set's.
    var failures: [RecoveryFailure] = []
    var databases: [DatabaseState]
    var archives: [Int32: RecoveryLog] = [:]
    var current: RecoveryLog?
    /// The anchor's header and file size.
    var anchor: (header: LogFileHeader, fileSize: UInt64)?
    /// E absent, T absent, archives present: ESE refuses (−528) unless `eseutil /r /a`.
    var currentLogMissing = false

    init(_ input: RecoveryInput) {
        self.input = input
        databases = Array(repeating: DatabaseState(), count: input.databases.count)
        for log in input.logs {
            if let generation = log.nameGeneration {
                if archives[generation] == nil { archives[generation] = log }
            } else if current == nil {
                current = log
            }
        }
    }

    static func hex(_ value: Int32) -> String { "0x" + String(value, radix: 16) }

    // MARK: The procedure

    /// S2 applied: the current log ends with a clean shutdown at the checkpoint, so recovery
    /// replays nothing (logredo.cxx:15049-15085, 15367-15372).
    var cleanShortCut = false
    /// The span's records, gathered once before databases are attached (`spanRecords()`).
    var replayed: (databaseRecords: [DatabaseLogRecord], endsWithShutdown: Bool)?

    mutating func perform() {
        guard input.logsGiven else { return }
        guard let startLog = anchorAndStart() else { return }
        if takesCleanShortCut() {
            cleanShortCut = true
            plan.end = nil
            plan.notes.append(VerdictReason("cleanShutdownShortCut",
                "the current log ends with a clean shutdown at the checkpoint: recovery replays nothing", isWarning: true))
            return
        }
        replayed = spanRecords()
        attachDatabases(startLog: startLog)
        walk(from: startLog)
        endOfReplay()
    }

    /// S2: E's last valid records are Term/Term2/RecoveryQuit… and a checkpoint of this
    /// sequence points exactly at them (logread.cxx:1687-1728, logredo.cxx:15049-15085).
    func takesCleanShortCut() -> Bool {
        guard case .used = plan.checkpoint, let checkpoint = input.checkpoint?.header?.checkpoint,
              let end = current?.records?.cleanEnd else { return false }
        return end == checkpoint
    }

    /// The records of the span replay reads (start through the current log, or the highest
    /// archive), gathered once: the attach, create and detach records from the replay start on,
    /// and whether the last log ends with a shutdown. Nil when a log of the span was not
    /// record-walked (or is absent): the header approximations then apply.
    func spanRecords() -> (databaseRecords: [DatabaseLogRecord], endsWithShutdown: Bool)? {
        guard let span = intendedSpan, span.count <= 100_000 else { return nil }
        var walks: [LogRecordWalk] = []
        for generation in span {
            guard let log = archives[generation] ?? (plan.currentGeneration == generation ? current : nil),
                  let walk = log.records else { return nil }
            walks.append(walk)
        }
        let from = startPosition
        return (walks.flatMap(\.databaseRecords).filter { $0.position >= from }, walks.last?.endsWithShutDownMark == true)
    }

    /// Where replay starts: the checkpoint's position, or the start log's beginning.
    var startPosition: LogPosition {
        plan.startPosition ?? LogPosition(generation: plan.start ?? 0, sector: 0, byteOffset: 0)
    }

    /// Whether replay starts at the checkpoint's own position and attach list. ESE moves the
    /// checkpoint to the start of its log, with that log header's attach list, unless the
    /// checkpoint holds an attach list (`fVersion` bit 0x01), the log is 8.4000.4.3 or later and
    /// its header is of the checkpoint's generation (logredo.cxx:15158-15166, 14742-14755;
    /// log.cxx:1243-1254): v7 sets always replay their checkpoint's log from its beginning.
    func startsAtCheckpointPosition(_ startLog: RecoveryLog) -> Bool {
        guard case .used = plan.checkpoint, let checkpoint = input.checkpoint?.header,
              let header = startLog.usableHeader else { return false }
        return checkpoint.checkpoint.generation == header.generation && checkpoint.versionFlags & 0x01 != 0
            && RecoveryModel.keepsAttachListInCheckpoint(header)
    }

    /// Whether an AttachDB or CreateDB record of the database (its `signDb`) is replayed; nil
    /// when the records were not walked.
    func attachRecordReplayed(_ header: DatabaseHeader) -> Bool? {
        guard let records = replayed?.databaseRecords else { return nil }
        return records.contains { ($0.type == .attachDB || $0.type == .createDB) && $0.databaseSignature == header.databaseSignature }
    }

    /// Whether a deferred clean database's detach is replayed, or the logs end with a shutdown
    /// (logredo.cxx:2139-2182, 2468-2471); nil when the records were not walked.
    func detachReplayed(_ index: Int) -> Bool? {
        guard let replayed else { return nil }
        if replayed.endsWithShutdown { return true }
        let records = replayed.databaseRecords
        guard let id = databases[index].listedID else { return false }
        return records.contains { $0.type == .detachDB && $0.databaseID == id }
    }

    /// S1 and S3: the anchor, the checkpoint and the start log. Nil when recovery cannot begin.
    mutating func anchorAndStart() -> RecoveryLog? {
        if let current {
            plan.anchor = current.fileName
            guard let header = current.usableHeader else {
                fail(logProblem(current, generation: nil, code: "currentLogUnusable"))
                return nil
            }
            plan.currentGeneration = header.generation
            anchor = (header, current.fileSize)
            plan.signature = header.logSignature
            plan.logFileSize = current.fileSize
            // logstream.cxx:561-589: E's file size must equal le_csecLGFile × le_cbSec.
            if current.fileSize != UInt64(header.declaredFileSize) {
                fail(Self.declaredSizeMismatch(current, header, generation: header.generation))
                return nil
            }
        } else if archives.isEmpty {
            return nil
        } else if !input.temporaryLogPresent {
            // logredo.cxx:14939-14956: archives without E and without T fail −528; `eseutil /r /a`
            // replays to the highest archive. Evaluated to the end to tell L from N.
            currentLogMissing = true
        } else {
            plan.notes.append(VerdictReason("currentLogReplacedByTemporary",
                "the current log is absent but the temporary log exists: recovery replays to the highest archived log", isWarning: true))
        }
        chooseStart()
        guard let start = plan.start else { return nil }
        // logstream.cxx:1012-1080: the start log is opened archived-name first, E second.
        let startLog: RecoveryLog? = archives[start] ?? (plan.currentGeneration == start ? current : nil)
        guard let startLog else {
            let why = plan.startReason == .checkpoint
                ? "the checkpoint starts replay at generation \(Self.hex(start)), and no log of that generation is present"
                : "the log of generation \(Self.hex(start)) is missing"
            // logredo.cxx:15147-15154: the checkpoint's log must exist (-528).
            fail(RecoveryFailure(code: "startLogMissing", jetError: .missingLogFile, generation: start, file: nil, message: why))
            return nil
        }
        if let problem = openingProblem(startLog, generation: start) {
            fail(problem)
            return nil
        }
        if startsAtCheckpointPosition(startLog), let checkpoint = input.checkpoint?.header?.checkpoint {
            plan.startPosition = checkpoint
        }
        return startLog
    }

    /// S3: the checkpoint if usable, else the lowest archived log, else the current log.
    /// ESE ignores a missing (−542), corrupt (−533) or foreign (−532) checkpoint (logredo.cxx:15078-15084, 15140-15180).
    mutating func chooseStart() {
        var usable: CheckpointHeader?
        if let checkpoint = input.checkpoint {
            if let header = checkpoint.header {
                if let signature = plan.signature, header.logSignature != signature {
                    plan.checkpoint = .ignored(.badCheckpointSignature,
                        "\(checkpoint.fileName) belongs to another log sequence (signature \(header.logSignature.random), the current log's is \(signature.random))")
                } else if header.checkpoint.generation <= 0 {
                    // No generation to open: ErrLGOpenLogFile of generation 0 fails and recovery
                    // ignores the checkpoint like a corrupt one (logredo.cxx:15147-15154, 15178-15180).
                    plan.checkpoint = .ignored(.checkpointCorrupt, "\(checkpoint.fileName) holds no checkpoint position")
                } else {
                    usable = header
                }
            } else if checkpoint.isUnreadable {
                plan.checkpoint = .ignored(.checkpointFileNotFound, "\(checkpoint.fileName) could not be read")
            } else {
                plan.checkpoint = .ignored(.checkpointCorrupt, "neither copy of \(checkpoint.fileName) is valid")
            }
        }
        if let usable {
            plan.checkpoint = .used(generation: usable.checkpoint.generation)
            plan.start = usable.checkpoint.generation
            plan.startReason = .checkpoint
        } else {
            if case .ignored(let error, let message) = plan.checkpoint {
                plan.notes.append(VerdictReason("checkpointIgnored", "checkpoint ignored as ESE ignores it (\(error.code)): \(message)",
                                                jetError: error, isWarning: true))
            }
            if let lowest = archives.keys.min() {
                plan.start = lowest
                plan.startReason = .lowestArchivedLog
            } else if let generation = plan.currentGeneration {
                plan.start = generation
                plan.startReason = .currentLog
            }
        }
        if let start = plan.start {
            let low = archives.filter { $0.key < start }.sorted { $0.key < $1.key }.map(\.value)
            plan.unreadLowLogs = low.map(\.fileName)
            let foreign = low.filter { log in
                guard let signature = plan.signature, let header = log.usableHeader else { return false }
                return header.logSignature != signature
            }
            if !foreign.isEmpty {
                plan.notes.append(VerdictReason("foreignLowLogs",
                    "logs of another sequence below the replay start are never read by recovery (eseutil /ml reports them): "
                        + foreign.map(\.fileName).joined(separator: ", "), isWarning: true))
            }
        }
    }

    /// The header checks of S1 applied to one log against the anchor: usable header,
    /// signature, page size and file size. These fail directly, without the lost-log rule
    /// (logredo.cxx:4391, 15158).
    mutating func openingProblem(_ log: RecoveryLog, generation: Int32) -> RecoveryFailure? {
        guard let header = log.usableHeader else { return logProblem(log, generation: generation, code: "logUnusable") }
        if anchor == nil {
            // Without E the first log read anchors the set (logredo.cxx:14939-14956).
            anchor = (header, log.fileSize)
            plan.anchor = log.fileName
            plan.signature = header.logSignature
            plan.logFileSize = log.fileSize
            if log.fileSize != UInt64(header.declaredFileSize) {
                return Self.declaredSizeMismatch(log, header, generation: generation)
            }
        }
        guard let anchor else { return nil }
        if header.logSignature != anchor.header.logSignature {
            return RecoveryFailure(code: "foreignLog", jetError: .badLogSignature, generation: generation, file: log.fileName,
                message: "\(log.fileName) belongs to another log sequence (signature \(header.logSignature.random), the set's is \(anchor.header.logSignature.random))")
        }
        if header.pageSize != anchor.header.pageSize {
            return RecoveryFailure(code: "logPageSizeMismatch", jetError: .pageSizeMismatch, generation: generation, file: log.fileName,
                                   message: "\(log.fileName) records page size \(header.pageSize), the set \(anchor.header.pageSize)")
        }
        // ErrLGReadFileHdr (logstream.cxx:581-586) checks every log it opens, not only E: the file
        // size must equal le_csecLGFile × le_cbSec, else -541, before the compare with the set's size.
        if log.fileSize != UInt64(header.declaredFileSize) {
            return Self.declaredSizeMismatch(log, header, generation: generation)
        }
        if log.fileSize != anchor.fileSize {
            return RecoveryFailure(code: "logSizeMismatch", jetError: .logFileSizeMismatch, generation: generation, file: log.fileName,
                                   message: "\(log.fileName) is \(log.fileSize) bytes; every replayed log must be \(anchor.fileSize) bytes like \(plan.anchor ?? "the anchor")")
        }
        return nil
    }

    /// A log whose file size differs from `le_csecLGFile` × `le_cbSec` (logstream.cxx:561-589): −541.
    static func declaredSizeMismatch(_ log: RecoveryLog, _ header: LogFileHeader, generation: Int32) -> RecoveryFailure {
        RecoveryFailure(code: .logSizeMismatch, jetError: .logFileSizeMismatch, generation: generation, file: log.fileName,
                        message: "\(log.fileName) is \(log.fileSize) bytes but its header declares \(header.declaredFileSize)")
    }

    func logProblem(_ log: RecoveryLog, generation: Int32?, code: VerdictReason.Code) -> RecoveryFailure {
        let problem = log.headerProblem ?? RecoveryLogProblem(jetError: .logFileCorrupt, message: "the header is unusable")
        return RecoveryFailure(code: problem.isUnreadable ? .logUnreadable : code, jetError: problem.jetError, generation: generation,
                               file: log.fileName, message: "\(log.fileName): \(problem.message)")
    }

    mutating func fail(_ failure: RecoveryFailure) { failures.append(failure) }

    // MARK: S5 — attach

    /// The attach list recovery starts from: the checkpoint's when replay starts at its
    /// position (`startsAtCheckpointPosition`), else the start log's (log.cxx:1243-1254, logredo.cxx:15160-15173).
    func startAttachList(_ startLog: RecoveryLog) -> [AttachInfo] {
        guard let header = startLog.usableHeader else { return [] }
        if startsAtCheckpointPosition(startLog), let checkpoint = input.checkpoint?.header {
            return checkpoint.attachments
        }
        return header.attachments
    }

    /// The generations the approximation of recovery.md §5 treats as replayed: start through
    /// the current log (or the highest archive without it).
    var intendedSpan: ClosedRange<Int32>? {
        guard let start = plan.start else { return nil }
        let end = plan.currentGeneration ?? archives.keys.max() ?? start
        return start <= end ? start...end : nil
    }

    mutating func attachDatabases(startLog: RecoveryLog) {
        guard let anchor, let start = plan.start else { return }
        var matched = Set<Int>()
        for entry in startAttachList(startLog) {
            guard let index = match(entry, excluding: matched) else {
                guard input.databasesGiven else { continue }
                // A listed database that is absent is deferred and ends recovery with -1216
                // (logredo.cxx:5205-5232, 2139-2182).
                fail(RecoveryFailure(code: "listedDatabaseAbsent", jetError: .attachedDatabaseMismatch, generation: nil, file: entry.path,
                    message: "the log set attaches \(entry.path), which is not among the databases checked: recovery defers it and ends with -1216"))
                continue
            }
            matched.insert(index)
            databases[index].listedID = entry.databaseID
            attach(index, entry: entry, anchor: anchor.header, start: start)
        }
        for index in input.databases.indices where !matched.contains(index) {
            guard let header = input.databases[index].header else { continue }
            databases[index].attach = .notListed
            // S7: a dirty database in no attach list is attached only by a record in the span.
            guard header.state.needsLogReplay, header.logSignature == anchor.header.logSignature else { continue }
            _ = attachByRecord(index, header: header)
        }
        resolveDeferralsByRecords()
    }

    /// recovery.md §5, header approximation: a deferred database whose attach record (a dirty
    /// database attached again later) or clean detach (a clean one) lies inside the span meets
    /// that record during replay. ESE re-runs the S5 comparison at the record
    /// (logredo.cxx:12998-13030), where the positions then match.
    mutating func resolveDeferralsByRecords() {
        guard let span = intendedSpan, let anchor else { return }
        for index in databases.indices where databases[index].attach == .deferred && databases[index].failures.isEmpty {
            guard let header = input.databases[index].header, header.logSignature == anchor.header.logSignature else { continue }
            let future: Bool = switch databases[index].deferral {
            case .attachFuture?: true
            case .consistentFuture?: header.state.needsLogReplay
            default: false
            }
            switch databases[index].deferral {
            case _ where future:
                if attachByRecord(index, header: header) { databases[index].deferral = nil }
            case .consistentFuture?:
                let byRecord = detachReplayed(index)
                guard byRecord ?? span.contains(header.consistentPosition.generation) else { continue }
                if byRecord == nil { databases[index].approximated = true } else { databases[index].decidedByRecords = true }
                databases[index].deferral = nil
                databases[index].notes.append(VerdictReason("detachReplayed", byRecord == nil
                    ? "the logs still list the database, but its clean detach at \(header.consistentPosition) lies inside the replayed logs (header approximation)"
                    : "the logs still list the database, but its detach (or the logs' clean shutdown) is among the replayed records",
                    isWarning: true))
            default:
                continue
            }
        }
    }

    /// Attaches a database when replay meets its AttachDB/CreateDB record (logredo.cxx:12998-13030):
    /// from the walked records, else the header approximation of recovery.md §5 (its attach
    /// position lies in the span). True when it is attached.
    mutating func attachByRecord(_ index: Int, header: DatabaseHeader) -> Bool {
        let byRecord = attachRecordReplayed(header)
        if byRecord == true, let anchor, let attached = attachByLoggedPositions(index, header: header, anchor: anchor.header) {
            return attached
        }
        guard byRecord ?? intendedSpan.map({ $0.contains(header.attachPosition.generation) }) ?? false else { return false }
        databases[index].attach = .attachedDuringReplay
        if byRecord == nil { databases[index].approximated = true } else { databases[index].decidedByRecords = true }
        attachChecks(index, header: header, replayingGeneration: header.attachPosition.generation)
        return true
    }

    /// The S5 table at the replayed AttachDB records of the database, in order: ESE builds the
    /// attach entry from the record — `lgposAttach` its position, `lgposConsistent` the logged
    /// one unless that is not before the record (logredo.cxx:13013-13048) — and compares the
    /// header with it (`ErrLGRICheckAttachedDb`, logredo.cxx:5695, 13064-13088): an older copy
    /// fails -551 or -1216 there. Nil when the first such record is a CreateDB or its positions
    /// were not read (the caller then attaches at the record).
    mutating func attachByLoggedPositions(_ index: Int, header: DatabaseHeader, anchor: LogFileHeader) -> Bool? {
        let records = (replayed?.databaseRecords ?? []).filter {
            ($0.type == .attachDB || $0.type == .createDB) && $0.databaseSignature == header.databaseSignature
        }
        guard let first = records.first, first.type == .attachDB, first.consistentPosition != nil else { return nil }
        databases[index].decidedByRecords = true
        for record in records where record.type == .attachDB {
            guard let logged = record.consistentPosition else { continue }
            let entry = AttachInfo(databaseID: record.databaseID, flags: 0, databaseTime: 0, lastObjectID: 0,
                                   maximumPages: record.maximumPages ?? 0, attachPosition: record.position,
                                   consistentPosition: logged < record.position ? logged : .zero,
                                   databaseSignature: header.databaseSignature, path: record.path ?? input.databases[index].path)
            attach(index, entry: entry, anchor: anchor, start: record.position.generation, attachedState: .attachedDuringReplay)
            if databases[index].attach == .attachedDuringReplay { return true }
            if !databases[index].failures.isEmpty { return false }
        }
        return false
    }

    /// The listed database among the inputs: same `signDb` first — of those, the one with the
    /// entry's file name, as ESE opens the listed path or the alternate recovery path plus its
    /// file name (fmp.cxx:1054-1069): a copy beside the original never stands in for it —
    /// else the same file name.
    func match(_ entry: AttachInfo, excluding: Set<Int>) -> Int? {
        let candidates = input.databases.indices.filter { !excluding.contains($0) }
        let name = RecoveryDatabase.lastComponent(entry.path)
        let signed = candidates.filter { input.databases[$0].header?.databaseSignature == entry.databaseSignature }
        if let index = signed.first(where: { input.databases[$0].fileName == name }) ?? signed.first {
            return index
        }
        return candidates.first { input.databases[$0].fileName == name }
    }

    /// The S5 table (logredo.cxx:5205-5692) for one listed database.
    mutating func attach(_ index: Int, entry: AttachInfo, anchor: LogFileHeader, start: Int32,
                         attachedState: AttachStatus = .attached) {
        guard let header = input.databases[index].header else { return }
        func dbFail(_ code: VerdictReason.Code, _ error: JetError, _ message: String) {
            databases[index].attach = .deferred
            databases[index].failures.append(RecoveryFailure(code: code, jetError: error, generation: start, file: input.databases[index].path,
                                                             message: message, database: index))
        }
        if header.pageSize != anchor.pageSize {
            // fileu.cxx:567-574
            return dbFail("databasePageSizeMismatch", .pageSizeMismatch,
                          "the database has \(header.pageSize)-byte pages, the logs \(anchor.pageSize)-byte pages")
        }
        switch header.state {
        case .incrementalReseedInProgress:
            return dbFail("incrementalReseedInProgress", .databaseIncompleteIncrementalReseed, "an incremental reseed did not finish")
        case .revertInProgress:
            return dbFail("revertInProgress", .databaseIncompleteRevert, "a revert did not finish")
        case .justCreated:
            databases[index].attach = .deferred
            databases[index].deferral = .justCreated
            return
        case .dirtyShutdown, .cleanShutdown, .dirtyAndPatchedShutdown:
            break
        default:
            return dbFail("illegalState", .databaseCorrupted, "state \(header.state.rawValue) cannot be attached by recovery")
        }
        if header.logSignature != anchor.logSignature {
            databases[index].attach = .deferred
            databases[index].deferral = .missingOrOtherSequence(
                "the database was last attached to log sequence \(header.logSignature.random), the logs are \(anchor.logSignature.random)")
            return
        }
        let consistent = header.consistentPosition, listed = entry.consistentPosition
        if consistent == listed || consistent.isZero {
            if header.databaseSignature != entry.databaseSignature {
                databases[index].attach = .deferred
                databases[index].deferral = .otherDatabase
            } else if header.attachPosition == entry.attachPosition {
                databases[index].attach = attachedState
                attachChecks(index, header: header, replayingGeneration: start)
            } else if header.attachPosition < entry.attachPosition {
                dbFail("attachPositionOlder", .attachedDatabaseMismatch,
                       "the database was attached at \(header.attachPosition), before the attachment the logs record (\(entry.attachPosition)): it is an older copy")
            } else {
                databases[index].attach = .deferred
                databases[index].deferral = .attachFuture
            }
        } else if consistent > listed {
            databases[index].attach = .deferred
            databases[index].deferral = .consistentFuture
        } else if header.databaseSignature == entry.databaseSignature {
            dbFail("consistentTimeMismatch", .consistentTimeMismatch,
                   "the database was last consistent at \(consistent), before the position the logs record (\(listed)): it is older than the logs expect")
        } else {
            databases[index].attach = .deferred
            databases[index].deferral = .otherDatabase
        }
    }

    /// Checks at attach (logredo.cxx:5940-6008): the start is past what the database needs
    /// (−543), or the database comes from a backup set (−544, tm.cxx:591-602).
    mutating func attachChecks(_ index: Int, header: DatabaseHeader, replayingGeneration: Int32) {
        let path = input.databases[index].path
        if header.minimumRequiredGeneration != 0, header.state != .dirtyAndPatchedShutdown,
           header.minimumRequiredGeneration < replayingGeneration {
            let what = plan.startReason == .checkpoint && replayingGeneration == plan.start ? "the checkpoint starts replay" : "replay attaches it"
            databases[index].failures.append(RecoveryFailure(
                code: "startAfterRequired", jetError: .requiredLogFilesMissing, generation: replayingGeneration, file: path,
                message: "the database needs generations from \(Self.hex(header.minimumRequiredGeneration)) but \(what) at \(Self.hex(replayingGeneration))",
                database: index))
        } else if header.currentFullBackup.generationLow != 0, header.currentFullBackup.generationHigh == 0 {
            databases[index].failures.append(RecoveryFailure(
                code: "softRecoveryOnBackup", jetError: .softRecoveryOnBackupDatabase, generation: replayingGeneration, file: path,
                message: "the header records a restore from a backup set in progress (bkinfoFullCur genLow \(header.currentFullBackup.generationLow), genHigh 0): soft recovery refuses it",
                database: index))
        }
    }

    /// Databases the lost-log rule and the log-time check consider: attached, not deferred,
    /// not failed at attach (logredo.cxx:13640-13687).
    var attachedIndices: [Int] {
        databases.indices.filter {
            (databases[$0].attach == .attached || databases[$0].attach == .attachedDuringReplay) && databases[$0].failures.isEmpty
        }
    }

    // MARK: S4 — the walk

    mutating func walk(from startLog: RecoveryLog) {
        guard let start = plan.start else { return }
        plan.end = start
        noteRepairs(startLog)
        if case .corrupt(let sector, let detail) = startLog.body {
            // logredo.cxx:11956-11967: corruption in the start log is not judged by the lost-log rule.
            fail(RecoveryFailure(code: "logCorrupt", jetError: .logFileCorrupt, generation: start, file: startLog.fileName,
                                 message: "\(startLog.fileName), where replay starts, is damaged (\(detail)): replay fails there"
                                    + (sector.map { " at sector \($0)" } ?? "")))
            return
        }
        if let invalid = startLog.records?.firstInvalid, invalid.position >= startPosition {
            // An invalid record at or after the start position fails replay there (logredo.cxx:11972-12010).
            fail(RecoveryFailure(code: .invalidRecord, jetError: .logFileCorrupt, generation: start, file: startLog.fileName,
                                 message: "\(startLog.fileName), where replay starts, holds an invalid record at \(invalid.position) (\(invalid.reason)): replay fails there"))
            return
        }
        var previous = startLog
        var usedCurrent = startLog.isCurrent
        var generation = start
        while !usedCurrent {
            guard generation < Int32.max else { break }
            generation += 1
            let candidate = archives[generation] ?? current
            guard let log = candidate else {
                // E absent: a higher archive means a gap (−528); else the end of the logs (logredo.cxx:4265-4334).
                if let higher = archives.keys.filter({ $0 > generation }).min() {
                    fail(RecoveryFailure(code: "logMissing", jetError: .missingLogFile, generation: generation, file: nil,
                        message: "generations \(Self.hex(generation))-\(Self.hex(higher - 1)) are missing and there is no current log"))
                }
                break
            }
            usedCurrent = log.isCurrent
            if let problem = openingProblem(log, generation: generation) {
                fail(problem)
                return
            }
            guard continuityAndBody(log, generation: generation, previous: previous) else { return }
            if !checkLogTimes(log, generation: generation) { return }
            plan.end = generation
            previous = log
        }
        if startLog.isCurrent, let generation = startLog.usableHeader?.generation {
            // The log-time check runs again at the end of E (logredo.cxx:4174-4184).
            _ = checkLogTimes(startLog, generation: generation)
        }
        if let currentGeneration = plan.currentGeneration, usedCurrent {
            plan.strayLogs = archives.filter { $0.key > currentGeneration }.sorted { $0.key < $1.key }.map(\.value.fileName)
            if !plan.strayLogs.isEmpty {
                plan.notes.append(VerdictReason("strayLogs",
                    "archived logs above the current generation \(Self.hex(currentGeneration)) are never opened by recovery: "
                        + plan.strayLogs.joined(separator: ", "), isWarning: true))
            }
        }
    }

    /// S4.4-S4.6 for one generation: its header names it and follows its predecessor (−515
    /// through the lost-log rule), the accumulated checksum (−590), its body and records (−501
    /// through the lost-log rule). False when replay fails here.
    mutating func continuityAndBody(_ log: RecoveryLog, generation: Int32, previous: RecoveryLog) -> Bool {
        guard let header = log.usableHeader, let before = previous.usableHeader else { return false }
        if header.generation != generation {
            let message: String
            if log.isCurrent, header.generation < generation {
                message = "\(log.fileName) is generation \(Self.hex(header.generation)) but archived logs reach \(Self.hex(generation - 1)): the current log is older than the archives (conflicting files: \(archives[header.generation]?.fileName ?? "none") and \(log.fileName))"
            } else if log.isCurrent {
                let highest = archives.keys.filter { $0 < generation }.max().map(Self.hex) ?? "none"
                message = "generation \(Self.hex(generation)) is missing (the archived logs end at \(highest), the current log is \(Self.hex(header.generation)))"
            } else {
                message = "\(log.fileName) holds generation \(Self.hex(header.generation)), not \(Self.hex(generation))"
            }
            let gap = log.isCurrent && header.generation > generation
            failLostLogRule(RecoveryFailure(code: gap ? .logMissing : .logSequenceBroken, jetError: .invalidLogSequence,
                                            generation: generation, file: log.fileName, message: message), corruption: false)
            return false
        }
        if header.previousGenerationTime != before.createTime {
            failLostLogRule(RecoveryFailure(code: "logSequenceBroken", jetError: .invalidLogSequence, generation: generation, file: log.fileName,
                message: "\(log.fileName) follows a generation created \(header.previousGenerationTime), but \(previous.fileName) was created \(before.createTime)"),
                            corruption: false)
            return false
        }
        if RecoveryModel.checksPreviousAccumulatedChecksum(header), let accumulated = previous.accumulatedChecksum,
           header.previousGenerationAccumulatedChecksum != accumulated {
            fail(RecoveryFailure(code: "accumulatedChecksumMismatch", jetError: .logSequenceChecksumMismatch, generation: generation,
                file: log.fileName,
                message: "\(log.fileName) records the previous generation's segment checksum as 0x\(String(header.previousGenerationAccumulatedChecksum, radix: 16)), but \(previous.fileName) accumulates 0x\(String(previous.accumulatedChecksum ?? 0, radix: 16))"))
            return false
        }
        noteRepairs(log)
        if case .notExamined = log.body, !plan.approximations.contains("bodyNotScanned") {
            plan.approximations.append("bodyNotScanned")
        }
        if case .corrupt(_, let detail) = log.body {
            failLostLogRule(RecoveryFailure(code: "logCorrupt", jetError: .logFileCorrupt, generation: generation, file: log.fileName,
                                            message: "\(log.fileName) is damaged (\(detail))"), corruption: true)
            return false
        }
        if let invalid = log.records?.firstInvalid {
            // A record ESE's reader rejects under a valid checksum: -501 (logread.cxx:3192-3423).
            failLostLogRule(RecoveryFailure(code: .invalidRecord, jetError: .logFileCorrupt, generation: generation, file: log.fileName,
                                            message: "\(log.fileName) holds an invalid record at \(invalid.position) (\(invalid.reason))"),
                            corruption: true)
            return false
        }
        return true
    }

    mutating func noteRepairs(_ log: RecoveryLog) {
        if case .tornWriteRepairable(let sector) = log.body {
            plan.notes.append(VerdictReason("tornWriteRepaired",
                "\(log.fileName): a torn write at sector \(sector) with a valid shadow copy; soft recovery repairs it"
                    + (log.isCurrent ? "" : " (a hard restore of a backup set would fail with -570/-571)"), isWarning: true))
        }
    }

    /// S4.7 (logredo.cxx:4556-4649): the log at a database's `lGenMaxRequired` must be the one
    /// it expects. False when the check failed.
    mutating func checkLogTimes(_ log: RecoveryLog, generation: Int32) -> Bool {
        guard let header = log.usableHeader else { return true }
        for index in attachedIndices {
            guard let database = input.databases[index].header, database.maximumRequiredGeneration == generation else { continue }
            var expected = RecoveryModel.recordsRequiredLogTime(database) ? database.maximumRequiredGenerationCreateTime : LogTime(rawValue: 0)
            if expected.isNull, database.maximumRequiredGeneration == database.maximumCommittedGeneration {
                expected = database.maximumCommittedGenerationCreateTime
            }
            if !expected.isNull, expected != header.createTime {
                let failure = RecoveryFailure(code: "requiredLogMismatch", jetError: .requiredLogFilesMissing, generation: generation,
                    file: log.fileName,
                    message: "\(log.fileName) was created \(header.createTime), but \(input.databases[index].path) needs the generation \(Self.hex(generation)) created \(expected)",
                    database: index)
                databases[index].failures.append(failure)
                fail(failure)
                return false
            }
        }
        return true
    }

    /// The lost-log rule (logredo.cxx:3932-4152) for error X at generation b.
    mutating func failLostLogRule(_ failure: RecoveryFailure, corruption: Bool) {
        var failure = failure
        guard let b = failure.generation else { return fail(failure) }
        // A database attached by a record counts only once that record is replayed.
        let attached = attachedIndices.filter { index in
            databases[index].attach == .attached || (input.databases[index].header?.attachPosition.generation ?? .max) < b
        }.compactMap { input.databases[$0].header }
        let highestPresent = max(archives.keys.max() ?? b, plan.currentGeneration ?? b)
        if attached.contains(where: { $0.maximumRequiredGeneration >= b }) {
            return fail(failure)
        }
        let committed = attached.map(\.maximumCommittedGeneration).max() ?? 0
        if committed >= b {
            failure.underlyingError = failure.jetError
            failure.jetError = corruption ? .committedLogFileCorrupt : .committedLogFilesMissing
        }
        // eseutil /r /a ends replay at b-1: that recovers only if no database of this sequence
        // still needs b or later (one attached later by a record may need it too).
        if lossRecovers(dropping: b) { failure.lostGenerations = b...max(b, highestPresent, committed) }
        fail(failure)
    }

    /// Whether `eseutil /r /a`, ending replay before generation `b`, recovers every database:
    /// no dirty database of this sequence still needs `b` or later (one attached later by a
    /// record may need it too), none is deferred or outside the attach list (it stays dirty,
    /// -1216/-550), and no listed database is absent.
    func lossRecovers(dropping b: Int32) -> Bool {
        if failures.contains(where: { $0.code == .listedDatabaseAbsent }) { return false }
        return !input.databases.indices.contains { index in
            guard let header = input.databases[index].header, header.state.needsLogReplay,
                  header.logSignature == anchor?.header.logSignature else { return false }
            let unattached = databases[index].attach == .deferred || databases[index].attach == .notListed
            return header.maximumRequiredGeneration >= b || unattached
        }
    }

    // MARK: S6 — end of replay

    mutating func endOfReplay() {
        guard failures.isEmpty, let end = plan.end else { return }
        if currentLogMissing {
            // ESE refuses at once (−528); only `eseutil /r /a` replays to the highest archive, and
            // with it a committed range beyond the end is a warning (585), a required one −543.
            let attached = attachedIndices.compactMap { input.databases[$0].header }
            let committed = attached.map(\.maximumCommittedGeneration).max() ?? end
            let recoverable = lossRecovers(dropping: end + 1)
            fail(RecoveryFailure(code: "currentLogMissing", jetError: .missingLogFile, generation: end + 1, file: nil,
                message: "the current log and the temporary log are both absent: recovery refuses to end at archived generation \(Self.hex(end))",
                lostGenerations: recoverable ? (end + 1)...max(end + 1, committed) : nil))
            return
        }
        // S6 (logredo.cxx:13614-13638): required beyond the end -543, committed beyond it -582.
        for index in attachedIndices {
            guard let header = input.databases[index].header else { continue }
            let path = input.databases[index].path
            if header.maximumRequiredGeneration > end {
                databases[index].failures.append(RecoveryFailure(
                    code: "requiredLogsMissing", jetError: .requiredLogFilesMissing, generation: end + 1, file: path,
                    message: "the database needs generations up to \(Self.hex(header.maximumRequiredGeneration)) but replay ends at \(Self.hex(end))",
                    database: index))
            } else if header.maximumCommittedGeneration > end {
                databases[index].failures.append(RecoveryFailure(
                    code: "committedLogsMissing", jetError: .committedLogFilesMissing, generation: end + 1, file: path,
                    message: "transactions committed up to generation \(Self.hex(header.maximumCommittedGeneration)) are in logs that are missing (replay ends at \(Self.hex(end)))",
                    lostGenerations: (end + 1)...header.maximumCommittedGeneration, database: index))
            }
        }
        resolveDeferred(end: end)
    }

    /// Deferred databases at the end (logredo.cxx:2139-2182): −1216 (the approximation of §5
    /// has already attached those whose record lies inside the span).
    mutating func resolveDeferred(end: Int32) {
        for index in databases.indices where databases[index].attach == .deferred && databases[index].failures.isEmpty {
            guard let header = input.databases[index].header, let deferral = databases[index].deferral else { continue }
            let path = input.databases[index].path
            let why: String
            switch deferral {
            case .missingOrOtherSequence(let text): why = text
            case .attachFuture: why = "it was attached again after the logs' start (\(header.attachPosition)), and that attachment is not in the replayed logs"
            case .consistentFuture: why = "it was detached at \(header.consistentPosition), after the logs' start, and that detach is not in the replayed logs"
            case .otherDatabase: why = "the log set's attach list names another database of the same name (signDb differs)"
            case .justCreated: why = "it was never attached"
            }
            databases[index].failures.append(RecoveryFailure(code: "databaseDeferred", jetError: .attachedDatabaseMismatch, generation: nil,
                file: path, message: "recovery defers the database and ends with -1216: " + why, database: index))
        }
    }

    // MARK: Result

    func result() -> RecoveryResult {
        var plan = self.plan
        // ESE's recovery is all or nothing: any database's failure fails the whole set.
        let setFailure = failures.first ?? databases.lazy.compactMap(\.failures.first).first
        plan.failure = setFailure
        if databases.contains(where: \.approximated) {
            plan.approximations.append("attachRecords")
        }
        if input.logsGiven, let current, current.records == nil {
            plan.approximations.append("cleanShutdownShortCut")
        }
        let decisions = input.databases.indices.map { decide($0, setFailure: setFailure) }
        return RecoveryResult(plan: plan, decisions: decisions, remedies: [])
    }

    /// Whether the database was last attached to another log sequence than the set's.
    func otherSequence(_ header: DatabaseHeader) -> Bool {
        plan.signature.map { $0 != header.logSignature } ?? false
    }

    func decide(_ index: Int, setFailure: RecoveryFailure?) -> RecoveryDecision {
        let state = databases[index]
        var decision = RecoveryDecision(outcome: .notAssessed, verdict: .unreadable, jetError: .readVerifyFailure, reasons: state.notes,
                                        attach: state.attach, usedApproximation: state.approximated, lostGenerations: nil,
                                        usedRecords: state.decidedByRecords)
        decision.databaseID = state.listedID
        guard let header = input.databases[index].header else { return decision }
        switch header.state {
        case .cleanShutdown:
            decision.outcome = .consistent
            decision.verdict = .consistent
            decision.jetError = .success
            for failure in state.failures + (setFailure.map { [$0] } ?? []) {
                decision.reasons.append(VerdictReason(failure.code,
                    "recovery of the log set as copied fails (\(failure.jetError.code)): \(failure.message); the database is clean and needs no log",
                    jetError: failure.jetError, isWarning: true))
            }
            return decision
        case .dirtyShutdown, .dirtyAndPatchedShutdown:
            break
        default:
            // Other states are judged by the state rules; the model adds its own failure (the
            // attach table's -1226/-1935/-1206, or -1216 for a deferred new database).
            guard let own = state.failures.first else {
                decision.outcome = .notRecoverable
                decision.verdict = .unusableState
                decision.jetError = .databaseCorrupted
                return decision
            }
            var failed = decision.failing(own, own: true)
            failed.outcome = .notRecoverable
            failed.verdict = .unusableState
            failed.lostGenerations = nil
            return failed
        }
        // No log at all: eseutil /r refuses with -528 (tm.cxx:521-535, eseutil.cxx:5543); JetInit
        // would start a new log stream and the attach would fail -550 (logredo.cxx:14963-14972).
        guard input.logsGiven else {
            return decision.failing(RecoveryFailure(code: .requiredLogsMissing, jetError: .missingLogFile, generation: nil, file: nil,
                message: "no logs were given; the database needs generations \(header.requiredGenerationsText)"), own: true)
        }
        if current == nil, archives.isEmpty {
            return decision.failing(RecoveryFailure(code: .requiredLogsMissing, jetError: .missingLogFile, generation: nil, file: nil,
                message: "the log directory holds no log of the set; the database needs generations \(header.requiredGenerationsText)"), own: true)
        }
        if cleanShortCut {
            // S2: nothing is replayed; the attach of a database that is not clean fails (db.cxx:2785-2849).
            let backupSet = header.currentFullBackup.generationLow != 0
            return decision.failing(RecoveryFailure(code: .cleanShutdownShortCut,
                jetError: backupSet ? .softRecoveryOnBackupDatabase : .databaseDirtyShutdown, generation: plan.start, file: nil,
                message: "the current log ends with a clean shutdown at the checkpoint, so recovery replays nothing and the dirty database fails to attach"
                    + (backupSet ? " (-544: it comes from a backup set)" : " (-550)")), own: true, otherSequence: otherSequence(header))
        }
        if let own = state.failures.first { return decision.failing(own, own: true, otherSequence: otherSequence(header)) }
        if var setFailure {
            // /r /a drops logs but still never attaches a deferred or unlisted database (-1216, -550).
            if state.attach == .notListed || state.attach == .deferred { setFailure.lostGenerations = nil }
            let own = (setFailure.database == nil || setFailure.database == index) && setFailure.code != .listedDatabaseAbsent
            if own { setFailure.message += "; the database needs generations \(header.requiredGenerationsText)" }
            return decision.failing(setFailure, own: own)
        }
        switch state.attach {
        case .notListed:
            // S7: recovery never opens it; the attach after recovery fails -550 (db.cxx:2821-2845).
            return decision.failing(RecoveryFailure(code: "notInAttachList", jetError: .databaseDirtyShutdown, generation: nil, file: nil,
                message: "the log set does not attach the database and no attach record lies in the replayed logs: recovery leaves it dirty (-550)"
                    + (otherSequence(header) ? "; the database was last attached to another log sequence (\(header.logSignature.random))" : "")),
                own: true, otherSequence: otherSequence(header))
        case .deferred, .notEvaluated:
            return decision.failing(RecoveryFailure(code: "databaseDeferred", jetError: .attachedDatabaseMismatch, generation: nil, file: nil,
                message: "recovery does not attach the database"), own: true, otherSequence: otherSequence(header))
        case .attached, .attachedDuringReplay:
            decision.outcome = .recoverable
            decision.verdict = .recoverable
            decision.jetError = .success
            if state.approximated {
                decision.reasons.append(VerdictReason("headerApproximation",
                    "decided from headers: the database's attach record is taken to lie in the replayed logs (log records not read)", isWarning: true))
            }
            return decision
        }
    }
}

extension RecoveryDecision {
    /// The decision for a database that recovery fails for (or, with `own` false, a database
    /// whose set fails because of another file).
    func failing(_ failure: RecoveryFailure, own: Bool, otherSequence: Bool = false) -> RecoveryDecision {
        var decision = self
        decision.jetError = failure.jetError
        decision.lostGenerations = failure.lostGenerations
        if let lost = failure.lostGenerations {
            decision.outcome = .recoverableWithLoss
            decision.verdict = .recoverableWithLoss
            decision.reasons.insert(VerdictReason(failure.code,
                failure.message + "; recoverable only by discarding the transactions in generations \(RecoveryRun.hex(lost.lowerBound))-\(RecoveryRun.hex(lost.upperBound)) (eseutil /r /a)",
                jetError: failure.jetError), at: 0)
            return decision
        }
        decision.outcome = .notRecoverable
        decision.verdict = otherSequence ? .signatureMismatch : own ? RecoveryVerdicts.verdict(for: failure) : .notRecoverable
        let message = own ? failure.message : "recovery of the log set fails: " + failure.message
        decision.reasons.insert(VerdictReason(own ? failure.code : .setNotRecoverable, message, jetError: failure.jetError), at: 0)
        return decision
    }
}

extension DatabaseHeader {
    /// `lGenMinRequired-lGenMaxRequired` in decimal and hexadecimal.
    var requiredGenerationsText: String {
        "\(minimumRequiredGeneration)-\(maximumRequiredGeneration) (0x\(String(minimumRequiredGeneration, radix: 16))-0x\(String(maximumRequiredGeneration, radix: 16)))"
    }
}
