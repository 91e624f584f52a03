import ESEFormat

/// Turns what a session found into one verdict per database, with reasons, and the JET
/// error CHKSGFILES would return.
enum VerdictRules {
    static func hex(_ range: ClosedRange<Int32>) -> String {
        "\(range.lowerBound)-\(range.upperBound) (0x\(String(range.lowerBound, radix: 16))-0x\(String(range.upperBound, radix: 16)))"
    }

    /// The first ten runs of pages, and how many pages there are in all when not all are listed.
    static func rangeList(_ ranges: [FindingRange], total: Int) -> String {
        let listed = ranges.prefix(10)
        let text = listed.map(\.text).joined(separator: ", ")
        return listed.reduce(0) { $0 + $1.count } < total ? text + ", … (\(total) in all)" : text
    }

    /// What every database is judged against.
    struct Context {
        var logs: LogCheck?
        var logsExpected: Bool
        var logsChecked: Bool
        var backupType: BackupType
        /// The recovery model's answer for the whole set.
        var recovery: RecoveryResult?
    }

    static func judge(_ report: DatabaseReport, index: Int, coverage: CoverageMap, context: Context) -> DatabaseVerdict {
        var reasons: [VerdictReason] = []
        var verdict = Verdict.consistent
        func add(_ candidate: Verdict, _ reason: VerdictReason) {
            verdict = Verdict.worst(verdict, candidate)
            reasons.append(reason)
        }
        func warn(_ code: VerdictReason.Code, _ message: String) { reasons.append(VerdictReason(code, message, isWarning: true)) }

        guard let header = report.header else {
            let error = report.errors.first
            add(.unreadable, VerdictReason(error.map { VerdictReason.Code(rawValue: $0.code.name) } ?? .noValidHeader, error?.message ?? "no valid header",
                                           jetError: error?.jetError ?? .readVerifyFailure))
            return DatabaseVerdict(report: report, coverage: coverage, verdict: verdict, reasons: reasons, jetError: reasons[0].jetError!)
        }
        if context.backupType.isLogOnly {
            judgeLogOnly(header, context: context, add: add, warn: warn)
            if verdict == .consistent { verdict = .recoverable }
            // The scope says the pages were not read; the backup holds none, so it is no finding.
            var report = report
            report.scope.skip(logOnlyPages(context.backupType))
            warn(.partialScope, "not verified (pages): " + logOnlyPages(context.backupType).reason)
            return finished(report, coverage: coverage, verdict: verdict, reasons: reasons)
        }
        if let circular = context.logs?.report?.circularLogging, circular.isOn {
            warn("circularLogging", "circular logging is on: ESE reuses log files, so only full backups are possible")
        }
        judgeFiles(report, coverage: coverage, add: add, warn: warn)

        switch header.state {
        case .cleanShutdown, .dirtyShutdown, .dirtyAndPatchedShutdown:
            if context.logsExpected && !context.logsChecked {
                add(.incomplete, VerdictReason("logsNotChecked", header.state.needsLogReplay
                    ? "the logs were not checked; the database needs generations \(header.requiredGenerationsText)"
                    : "the logs were given but never checked", jetError: .taskDropped))
            } else if let decision = context.recovery?.decisions[safe: index], decision.outcome != .notAssessed {
                for reason in decision.reasons {
                    if reason.isWarning { reasons.append(reason) } else { add(decision.verdict, reason) }
                }
                if decision.outcome == .recoverable, verdict == .consistent { verdict = .recoverable }
            }
        default:
            // A state recovery will not attach. When the log set lists the database, recovery's own
            // error stands (logredo.cxx:5205-5692: -1226, -1935, -1206, or -1216 for a deferred
            // new database); otherwise the error attaching it would give (db.cxx:2785-2849).
            let recovered = context.recovery?.decisions[safe: index]?.reasons.first { !$0.isWarning }
            add(.unusableState, unusableState(header.state, recovery: recovered))
        }
        if verdict == .consistent, header.state.needsLogReplay { verdict = .recoverable }
        if let logs = context.logs, logs.onlyUnnecessaryLogsCorrupt {
            warn("onlyUnnecessaryLogsCorrupt", "logs below what recovery replays are damaged (not needed)")
        }
        var result = finished(report, coverage: coverage, verdict: verdict, reasons: reasons)
        result.recovery = context.recovery?.decisions[safe: index]
        return result
    }

    /// Why a database in a state other than clean or dirty cannot be used: recovery's reason
    /// when recovery judged it, else the state's own.
    static func unusableState(_ state: DatabaseState, recovery: VerdictReason?) -> VerdictReason {
        let own: VerdictReason = switch state {
        case .justCreated: VerdictReason(.justCreated, "the database was created and never attached", jetError: .databaseCorrupted)
        case .beingConverted: VerdictReason(.beingConverted, "a format conversion did not finish", jetError: .databaseIncompleteUpgrade)
        case .incrementalReseedInProgress:
            VerdictReason(.incrementalReseedInProgress, "an incremental reseed did not finish", jetError: .databaseIncompleteIncrementalReseed)
        case .revertInProgress: VerdictReason(.revertInProgress, "a revert did not finish", jetError: .databaseIncompleteRevert)
        default: VerdictReason(.illegalState, "state \(state.rawValue) cannot be attached", jetError: .databaseCorrupted)
        }
        guard let recovery, recovery.jetError != nil else { return own }
        return VerdictReason(own.code, own.message + "; recovery: " + recovery.message, jetError: recovery.jetError)
    }

    /// The verdict with its JET error: the first non-warning reason's, and success exactly
    /// when the verdict is restorable — so "consistent" never stands beside an error.
    static func finished(_ report: DatabaseReport, coverage: CoverageMap, verdict: Verdict, reasons: [VerdictReason]) -> DatabaseVerdict {
        let failing = reasons.first { !$0.isWarning && $0.jetError != nil && $0.jetError != .success }
        let jetError = verdict.isRestorable ? .success : (failing?.jetError ?? .invalidParameter)
        return DatabaseVerdict(report: report, coverage: coverage, verdict: verdict, reasons: reasons, jetError: jetError)
    }

    /// What reading the file found: read failures, examination errors, bad pages, pages never
    /// checked or checked twice, header warnings.
    static func judgeFiles(_ report: DatabaseReport, coverage: CoverageMap,
                           add: (Verdict, VerdictReason) -> Void, warn: (VerdictReason.Code, String) -> Void) {
        for failure in report.readFailures {
            add(.unreadable, VerdictReason("readFailed", "bytes \(failure.offset)..<\(failure.offset + failure.length) could not be read: "
                                           + (failure.cause?.description ?? "the file ended early"), jetError: .diskIO))
        }
        for error in report.errors {
            switch error.code {
            case .partialPage: add(.corrupt, VerdictReason("partialPage", error.message, jetError: error.jetError))
            case .fileChanged: add(.incomplete, VerdictReason("fileChanged", error.message, jetError: .taskDropped))
            default: add(.unreadable, VerdictReason(VerdictReason.Code(rawValue: error.code.name), error.message, jetError: error.jetError ?? .diskIO))
            }
        }
        if let why = report.truncation {
            add(.truncated, VerdictReason("truncated", why, jetError: .fileIOBeyondEOF))
        }
        let bad = report.pages.bad
        if bad > 0 {
            add(.corrupt, VerdictReason("badPages", "\(bad) bad page\(bad == 1 ? "" : "s"): "
                                        + rangeList(report.tally.findingRanges.filter { $0.kind != .correctable }, total: bad),
                                        jetError: .readVerifyFailure))
        }
        if let trailer = report.trailer, !trailer.checksum.isValid {
            add(.corrupt, VerdictReason("badPatchPage", "the trailer (patch) page \(trailer.physicalPage) fails its checksum",
                                        jetError: .badPatchPage))
        }
        // The lost-flush check precedes the structure checks on a read (cpage.cxx:4256-4384).
        judgeFlushMap(report, add: add, warn: warn)
        judgeStructure(report, add: add, warn: warn)
        judgeScope(report, add: add)
        if report.pages.correctable > 0 {
            warn("correctablePages", "\(report.pages.correctable) page(s) with a single-bit error ESE corrects: "
                 + rangeList(report.tally.findingRanges.filter { $0.kind == .correctable }, total: report.pages.correctable))
        }
        let missingPages = coverage.missing
        if !missingPages.isEmpty {
            let count = missingPages.reduce(0) { $0 + $1.count }
            let list = missingPages.prefix(8).map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            add(.incomplete, VerdictReason("pagesNotChecked", "\(count) of \(coverage.pageCount) pages were never checked: "
                                           + list.joined(separator: ", ") + (missingPages.count > 8 ? ", …" : ""), jetError: .taskDropped))
        }
        if coverage.hasConflicts {
            let ranges = coverage.conflicting
            let count = ranges.reduce(0) { $0 + $1.count }
            let list = coverage.conflictingHeaderPages.map { "header page \($0)" }
                + ranges.prefix(8).map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            add(.incomplete, VerdictReason("conflictingCopies", "\(count + coverage.conflictingHeaderPages.count) page(s) were checked "
                                           + "more than once with different contents and never resubmitted, so which copy is right is unknown: "
                                           + list.joined(separator: ", ") + (ranges.count > 8 ? ", …" : ""),
                                           jetError: .diskReadVerificationFailure))
        }
        let duplicated = coverage.duplicated
        if !duplicated.isEmpty {
            let list = duplicated.prefix(8).map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            warn("pagesCheckedTwice", "pages checked more than once: " + list.joined(separator: ", "))
        }
        for warning in report.warnings { warn("header", warning) }
    }

    /// The structure walk: damaged trees make the database corrupt (−1019 for a zeroed page a
    /// tree references, else −1206); a walk skipped on request is a warning, never silence.
    /// In a database recovery has yet to replay (dirty shutdown: an online snapshot), the trees
    /// on disk are mid-flight — a split whose new page was never flushed looks exactly like a
    /// zeroed page — and ESE reads them only after redo, so damage there is a warning
    /// (`treeDamagedBeforeReplay`), not a verdict.
    static func judgeStructure(_ report: DatabaseReport, add: (Verdict, VerdictReason) -> Void,
                               warn: (VerdictReason.Code, String) -> Void) {
        guard let structure = report.structure else { return }
        if structure.isDamaged {
            let count = structure.findings.count + structure.findingsOmitted
            let list = structure.findings.prefix(4).map { "page \($0.page): \($0.message)" }.joined(separator: "; ")
            let message = "\(count) place\(count == 1 ? "" : "s") where a B-tree is damaged: \(list)" + (count > 4 ? "; …" : "")
            if report.structureDamageIsFinal {
                add(.corrupt, VerdictReason(.treeDamaged, message, jetError: structure.jetError ?? .databaseCorrupted))
            } else {
                warn(.treeDamagedBeforeReplay, message + " (before recovery replays the logs, which may repair it)")
            }
        }
        if structure.trailingPages > 0, let last = structure.lastOwnedPage {
            warn(.trailingSpace, "\(structure.trailingPages) page\(structure.trailingPages == 1 ? "" : "s") past the space the database "
                 + "root owns (it ends at page \(last)): ESE extends files ahead of allocation, so this is not damage")
        }
        if structure.scope == .treesNotDiscoverable || structure.scope == .stateLimit {
            warn(.structureNotVerified, "the B-tree and space-tree structure was not verified: "
                 + (structure.scope == .stateLimit ? "the pages that point to other pages needed more memory than the walk may hold"
                                                   : "the database root (pgno 1) or the catalog root (pgno 4) is not a tree root it can read"))
        }
        if structure.scope == .skipped {
            warn(.structureNotVerified, "the B-tree and space-tree structure was not verified (--no-structure): "
                 + "a zeroed or unlinked page that holds data would not be found")
        }
    }

    /// Incremental and differential backups (recovery.md §7, backup.cxx:3741-3795): circular
    /// logging on now (−526), a previous full backup of snapshot type (−560), the lowest log on
    /// disk at most one past the last backup (−569), then the logs since the last recorded
    /// backup present, whole and of the database's sequence.
    static func judgeLogOnly(_ header: DatabaseHeader, context: Context,
                             add: (Verdict, VerdictReason) -> Void, warn: (VerdictReason.Code, String) -> Void) {
        let type = context.backupType.rawValue
        if let circular = context.logs?.report?.circularLogging {
            if circular.isOn {
                // backup.cxx:3747-3750: only circular logging on *now* refuses.
                add(.unsupportedBackup, VerdictReason("circularLogging",
                    "circular logging is on: ESE reuses log files, so an \(type) backup cannot be taken; take a full backup",
                    jetError: .invalidBackup))
            } else if circular.wasEverOn {
                warn("circularLoggingInThePast", "circular logging was on earlier in this log sequence (not in use now)")
            }
        }
        // backup.cxx:802-841: the previous full backup must be an OS snapshot, as this one is.
        guard header.previousFullBackup.generationLow != 0,
              let start = header.firstGenerationAfterLastBackup(for: context.backupType) else {
            add(.unsupportedBackup, VerdictReason("noFullBackupRecorded",
                "no full backup is recorded in the header: an \(type) backup has nothing to build on; take a full backup",
                jetError: .missingFullBackup))
            return
        }
        // The header's type must equal OS snapshot exactly: ESE maps a surrogate only for the
        // type being taken, not for the recorded one (backup.cxx:802-841).
        if BackupKind(rawValue: header.previousFullBackupKind) != .osSnapshot {
            add(.unsupportedBackup, VerdictReason("fullBackupNotSnapshot",
                "the previous full backup was not an OS snapshot (kind \(header.previousFullBackupKind)): a snapshot \(type) backup cannot build on it",
                jetError: .missingFullBackup))
            return
        }
        guard let logs = context.logs, let set = logs.report else {
            add(.missingLogs, VerdictReason("requiredLogsMissing", "no logs were given; an \(type) backup needs generations from \(start) on",
                                            jetError: .requiredLogFilesMissing))
            return
        }
        // backup.cxx:844-895: the lowest log on disk must be at most max(FullPrev, IncPrev) genHigh + 1,
        // for incremental and differential alike.
        let lastBackedUp = max(header.previousFullBackup.generationHigh, header.previousIncrementalBackup.generationHigh)
        if let lowest = set.files.compactMap({ $0.sequencePosition }).min(), Int64(lowest) > Int64(lastBackedUp) + 1 {
            add(.missingLogs, VerdictReason("missingFileToBackup",
                "the lowest log on disk is generation \(lowest), but the last backup ended at \(lastBackedUp): generations up to \(Int64(lowest) - 1) are gone",
                jetError: .missingFileToBackup))
            return
        }
        if let signature = set.signature, signature != header.logSignature {
            add(.signatureMismatch, VerdictReason("logSignatureMismatch",
                "the logs belong to sequence \(signature.random), the database to \(header.logSignature.random)", jetError: .badLogSignature))
            return
        }
        if !logs.missingRequired.isEmpty {
            add(.missingLogs, VerdictReason("requiredLogsMissing", "generations missing since the last backup: "
                                            + logs.missingRequired.map(hex).joined(separator: ", "), jetError: .requiredLogFilesMissing))
        }
        let damaged = logs.damagedNeeded.filter { $0 >= start }
        let breaks = logs.breaksNeeded.filter { $0.kind != .gap && Int64($0.after) + 1 >= Int64(start) }
        if !damaged.isEmpty || !breaks.isEmpty {
            let parts = damaged.map { "damaged generation 0x\(String($0, radix: 16))" }
                + breaks.map { "\($0.kind.rawValue) after generation 0x\(String($0.after, radix: 16))" }
            add(.logsDamaged, VerdictReason("logsDamaged", "logs since the last backup are unusable: " + parts.joined(separator: "; "),
                                            jetError: breaks.first?.jetError ?? .logFileCorrupt))
        }
        if let range = logs.requiredGenerations {
            warn("backupRange", "the \(type) backup covers generations \(hex(range))")
        } else {
            warn("backupRange", "no log was written since the last backup (it ended at generation \(Int64(start) - 1))")
        }
    }

    /// Log generations that may be deleted after this backup succeeds (recovery.md §7,
    /// backup.cxx:3579-3599, 4756-4766): below the replay start and below every dirty
    /// database's lowest required generation. None for copy and differential backups, none
    /// with circular logging on, none unless every database the logs attach was checked.
    static func truncationPoint(_ report: StorageGroupReport) -> Int32? {
        guard report.isRestorable, report.backupType.truncatesLogs, let logs = report.logs, let set = logs.report else { return nil }
        if set.circularLogging.isOn { return nil }
        if logs.recovery?.plan.failure?.code == .listedDatabaseAbsent { return nil }
        var needs: [Int32] = []
        if let start = logs.recovery?.plan.start { needs.append(start) }
        if let checkpoint = set.checkpoint?.checkpoint, set.checkpoint?.isValid == true, checkpoint.generation > 0 {
            needs.append(checkpoint.generation)
        }
        for database in report.databases {
            guard let header = database.report.header else { return nil }
            if header.state.needsLogReplay {
                guard let required = header.requiredGenerations else { return nil }
                needs.append(required.lowerBound)
            }
        }
        return needs.min()
    }

    /// Soft recovery of the copied set fails although every database is usable as it is (for
    /// example a clean database still listed whose detach is not in the logs, §8.14): the
    /// databases keep their verdict, the set does not pass (-1216 and the like). Nil when a
    /// database already carries the failure, or for logs-only backups.
    static func setFailureNoDatabaseCarries(_ verdicts: [DatabaseVerdict], recovery: RecoveryResult?, backupType: BackupType) -> VerdictReason? {
        guard backupType.checksPages, let failure = recovery?.plan.failure, verdicts.allSatisfy(\.verdict.isRestorable) else { return nil }
        return VerdictReason(failure.code, "the databases are usable as they are, but soft recovery of the copied log set fails: "
                             + failure.message, jetError: failure.jetError)
    }

    /// The overall verdict: the worst of the databases' verdicts and the set's problems, or
    /// the logs' state for a logs-only check.
    static func overallVerdict(_ verdicts: [DatabaseVerdict], problems: [VerdictReason], logs: LogCheck?) -> Verdict {
        if verdicts.isEmpty {
            guard let logs else { return .consistent }
            if !logs.missingRequired.isEmpty { return .missingLogs }
            return logs.jetError == .success ? .consistent : .logsDamaged
        }
        let set = problems.filter { !$0.isWarning }.map { _ in Verdict.notRecoverable }
        return (verdicts.map(\.verdict) + set).reduce(.consistent, Verdict.worst)
    }

    /// The overall JET error: the worst database's (the first with the worst verdict), or the
    /// set problem's; success exactly when the overall verdict is restorable.
    static func overallError(_ verdict: Verdict, _ verdicts: [DatabaseVerdict], problems: [VerdictReason], logs: LogCheck?) -> JetError {
        guard !verdict.isRestorable else { return .success }
        if let worst = verdicts.first(where: { $0.verdict == verdict }) { return worst.jetError }
        if let problem = problems.first(where: { !$0.isWarning }), let error = problem.jetError { return error }
        return logs?.jetError ?? .invalidParameter
    }
}
