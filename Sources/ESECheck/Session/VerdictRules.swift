import ESEFormat

/// Turns what a session found into one verdict per database, with reasons, and the JET
/// error CHKSGFILES would return.
enum VerdictRules {
    static func hex(_ range: ClosedRange<Int32>) -> String {
        "\(range.lowerBound)-\(range.upperBound) (0x\(String(range.lowerBound, radix: 16))-0x\(String(range.upperBound, radix: 16)))"
    }

    static func pageList(_ findings: [PageFinding]) -> String {
        let pages = findings.prefix(10).map { String($0.pageNumber) }.joined(separator: ", ")
        return findings.count > 10 ? pages + ", … (\(findings.count) in all)" : pages
    }

    /// What every database is judged against.
    struct Context {
        var logs: LogCheck?
        var logsExpected: Bool
        var logsChecked: Bool
        var backupType: BackupType
    }

    static func judge(_ report: DatabaseReport, coverage: CoverageMap, context: Context) -> DatabaseVerdict {
        let logs = context.logs, logsExpected = context.logsExpected, logsChecked = context.logsChecked
        var reasons: [VerdictReason] = []
        var verdict = Verdict.consistent
        func add(_ candidate: Verdict, _ reason: VerdictReason) {
            verdict = Verdict.worst(verdict, candidate)
            reasons.append(reason)
        }
        func warn(_ code: String, _ message: String) { reasons.append(VerdictReason(code, message, isWarning: true)) }

        guard let header = report.header else {
            let error = report.errors.first
            add(.unreadable, VerdictReason(error?.code.name ?? "noValidHeader", error?.message ?? "no valid header",
                                           jetError: error?.jetError ?? .readVerifyFailure))
            return DatabaseVerdict(report: report, coverage: coverage, verdict: verdict, reasons: reasons, jetError: reasons[0].jetError!)
        }
        if context.backupType.isLogOnly {
            judgeLogOnly(header, context: context, add: add, warn: warn)
            if verdict == .consistent { verdict = .recoverable }
            let jetError = reasons.first { !$0.isWarning && $0.jetError != nil }?.jetError ?? .success
            return DatabaseVerdict(report: report, coverage: coverage, verdict: verdict, reasons: reasons, jetError: jetError)
        }
        if let circular = logs?.report?.circularLogging, circular.isOn {
            warn("circularLogging", "circular logging is on: ESE reuses log files, so only full backups are possible")
        }
        for failure in report.readFailures {
            add(.unreadable, VerdictReason("readFailed", "bytes \(failure.offset)..<\(failure.offset + failure.length) could not be read: "
                                           + (failure.cause?.description ?? "the file ended early"), jetError: .diskIO))
        }
        for error in report.errors {
            switch error.code {
            case .partialPage: add(.corrupt, VerdictReason("partialPage", error.message, jetError: error.jetError))
            case .fileChanged: add(.incomplete, VerdictReason("fileChanged", error.message, jetError: .taskDropped))
            default: add(.unreadable, VerdictReason(error.code.name, error.message, jetError: error.jetError ?? .diskIO))
            }
        }
        let bad = report.tally.sortedFindings.filter { $0.outcome.isBad }
        if !bad.isEmpty {
            add(.corrupt, VerdictReason("badPages", "\(bad.count) bad page\(bad.count == 1 ? "" : "s"): \(pageList(bad))",
                                        jetError: .readVerifyFailure))
        }
        if let trailer = report.trailer, !trailer.checksum.isValid {
            add(.corrupt, VerdictReason("badPatchPage", "the trailer (patch) page \(trailer.physicalPage) fails its checksum",
                                        jetError: .badPatchPage))
        }
        if report.pages.correctable > 0 {
            warn("correctablePages", "\(report.pages.correctable) page(s) with a single-bit error ESE corrects: "
                 + pageList(report.tally.sortedFindings.filter { $0.outcome.kind == "correctable" }))
        }
        let missingPages = coverage.missing
        if !missingPages.isEmpty {
            let count = missingPages.reduce(0) { $0 + $1.count }
            let list = missingPages.prefix(8).map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            add(.incomplete, VerdictReason("pagesNotChecked", "\(count) of \(coverage.pageCount) pages were never checked: "
                                           + list.joined(separator: ", ") + (missingPages.count > 8 ? ", …" : ""), jetError: .taskDropped))
        }
        let duplicated = coverage.duplicated
        if !duplicated.isEmpty {
            let list = duplicated.prefix(8).map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            warn("pagesCheckedTwice", "pages checked more than once: " + list.joined(separator: ", "))
        }
        for warning in report.warnings { warn("header", warning) }

        switch header.state {
        case .cleanShutdown:
            if let signature = logs?.report?.signature, signature != header.logSignature {
                warn("logsFromAnotherSequence", "the logs belong to another log sequence (not needed: the database is clean)")
            }
        case .dirtyShutdown, .dirtyAndPatchedShutdown:
            judgeDirty(header, logs: logs, logsExpected: logsExpected, logsChecked: logsChecked, add: add, warn: warn)
        case .justCreated:
            add(.unusableState, VerdictReason("justCreated", "the database was created and never attached", jetError: .databaseCorrupted))
        case .beingConverted:
            add(.unusableState, VerdictReason("beingConverted", "a format conversion did not finish", jetError: .databaseIncompleteUpgrade))
        case .incrementalReseedInProgress:
            add(.unusableState, VerdictReason("incrementalReseedInProgress", "an incremental reseed did not finish",
                                              jetError: .databaseIncompleteIncrementalReseed))
        case .revertInProgress:
            add(.unusableState, VerdictReason("revertInProgress", "a revert did not finish", jetError: .databaseIncompleteRevert))
        case .forceDetach, .illegal:
            add(.unusableState, VerdictReason("illegalState", "state \(header.state.rawValue) cannot be attached", jetError: .databaseCorrupted))
        }
        if verdict == .consistent, header.state.needsLogReplay { verdict = .recoverable }
        let jetError = reasons.first { !$0.isWarning && $0.jetError != nil }?.jetError ?? .success
        return DatabaseVerdict(report: report, coverage: coverage, verdict: verdict, reasons: reasons, jetError: jetError)
    }

    /// Incremental and differential backups: the logs since the last recorded backup must be
    /// present, whole and of the database's sequence, and circular logging must be off.
    static func judgeLogOnly(_ header: DatabaseHeader, context: Context,
                             add: (Verdict, VerdictReason) -> Void, warn: (String, String) -> Void) {
        let type = context.backupType.rawValue
        if let circular = context.logs?.report?.circularLogging, circular.isOn || circular.wasEverOn {
            add(.unsupportedBackup, VerdictReason("circularLogging",
                "circular logging is \(circular.isOn ? "on" : "recorded as having been on"): ESE reuses log files, so an \(type) backup cannot be taken; take a full backup",
                jetError: .invalidBackup))
        }
        guard let start = header.firstGenerationAfterLastBackup(for: context.backupType) else {
            add(.unsupportedBackup, VerdictReason("noFullBackupRecorded",
                "no full backup is recorded in the header: an \(type) backup has nothing to build on; take a full backup",
                jetError: .missingFullBackup))
            return
        }
        guard let logs = context.logs, let set = logs.report else {
            add(.missingLogs, VerdictReason("requiredLogsMissing", "no logs were given; an \(type) backup needs generations from \(start) on",
                                            jetError: .requiredLogFilesMissing))
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

    /// Log generations that may be deleted after this backup succeeds: everything below the
    /// lowest generation the checkpoint or any dirty database still needs. Only for restorable
    /// full and incremental backups.
    static func truncationPoint(_ report: StorageGroupReport) -> Int32? {
        guard report.isRestorable, report.backupType.truncatesLogs, let logs = report.logs, let set = logs.report else { return nil }
        var needs: [Int32] = []
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

    static func judgeDirty(_ header: DatabaseHeader, logs: LogCheck?, logsExpected: Bool, logsChecked: Bool,
                           add: (Verdict, VerdictReason) -> Void, warn: (String, String) -> Void) {
        if header.isFromBackupSet {
            warn("fromBackupSet", "the header records a restore from a backup set (soft recovery would return -544)")
        }
        guard let required = header.requiredGenerations else {
            add(.missingLogs, VerdictReason("noRequiredRange", "dirty, but the header names no required log generations",
                                            jetError: .requiredLogFilesMissing))
            return
        }
        if logsExpected && !logsChecked {
            add(.incomplete, VerdictReason("logsNotChecked", "the logs were not checked; the database needs generations \(hex(required))",
                                           jetError: .taskDropped))
            return
        }
        guard let logs else { return }
        if let signature = logs.report?.signature, signature != header.logSignature {
            add(.signatureMismatch, VerdictReason(
                "logSignatureMismatch",
                "the database was attached to log sequence \(header.logSignature.random) but the logs belong to \(signature.random)",
                jetError: .badLogSignature))
            return
        }
        let missing = logs.report.map { $0.missing(in: required) } ?? [required]
        if !missing.isEmpty {
            add(.missingLogs, VerdictReason("requiredLogsMissing", "required log generations missing: "
                                            + missing.map(hex).joined(separator: ", "), jetError: .requiredLogFilesMissing))
            return
        }
        let damaged = logs.damagedNeeded.filter { $0 >= required.lowerBound }
        let breaks = logs.breaksNeeded.filter { ($0.missing?.upperBound ?? $0.after &+ 1) >= required.lowerBound }
        if !damaged.isEmpty || !breaks.isEmpty {
            var parts: [String] = []
            if !damaged.isEmpty { parts.append("damaged generations " + damaged.map { "0x\(String($0, radix: 16))" }.joined(separator: ", ")) }
            for item in breaks { parts.append("\(item.kind.rawValue) after generation 0x\(String(item.after, radix: 16))") }
            let firstProblem = damaged.first.flatMap { generation in
                logs.report?.files.first { LogChain.position($0) == generation }?.problems.first { $0.severity == .error }?.jetError
            }
            add(.logsDamaged, VerdictReason("logsDamaged", "logs the database needs are unusable: " + parts.joined(separator: "; "),
                                            jetError: firstProblem ?? breaks.first?.jetError ?? .logFileCorrupt))
            return
        }
        // The highest required log must be the very file the database expects. ESE: REDO_HIGH_LOG_MISMATCH (−543).
        if !header.maximumRequiredGenerationCreateTime.isNull,
           let log = logs.report?.file(generation: required.upperBound)?.header,
           log.createTime != header.maximumRequiredGenerationCreateTime {
            add(.missingLogs, VerdictReason(
                "requiredLogMismatch",
                "generation 0x\(String(required.upperBound, radix: 16)) was created \(log.createTime), but the database needs the one created \(header.maximumRequiredGenerationCreateTime)",
                jetError: .requiredLogFilesMissing))
        }
        if logs.onlyUnnecessaryLogsCorrupt {
            warn("onlyUnnecessaryLogsCorrupt", "logs older than the earliest required generation are damaged (not needed)")
        }
    }

    /// The error CHKSGFILES would return, in the order its steps run: headers, pages, logs, term.
    static func overallError(_ verdicts: [DatabaseVerdict], headers: HeaderCheck, logs: LogCheck?) -> JetError {
        if headers.jetError != .success { return headers.jetError }
        if let unreadable = verdicts.first(where: { $0.verdict == .unreadable }) { return unreadable.jetError }
        if verdicts.contains(where: { $0.verdict == .corrupt }) { return .readVerifyFailure }
        if let logs, logs.jetError != .success { return logs.jetError }
        if let failed = verdicts.first(where: { !$0.verdict.isRestorable }) { return failed.jetError }
        return .success
    }

    /// The overall verdict: the worst database verdict, or the logs' state for a logs-only check.
    static func overallVerdict(_ verdicts: [DatabaseVerdict], logs: LogCheck?) -> Verdict {
        if verdicts.isEmpty {
            guard let logs else { return .consistent }
            if !logs.missingRequired.isEmpty { return .missingLogs }
            return logs.jetError == .success ? .consistent : .logsDamaged
        }
        return verdicts.map(\.verdict).reduce(.consistent, Verdict.worst)
    }
}
