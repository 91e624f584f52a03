import ESEFormat

/// The remedies of recovery.md §4: changes to the copied files that make recovery succeed.
/// Each file-changing remedy is proven by evaluating the model again on the changed files.
enum RecoveryRemedies {
    /// Cut points tried for "remove the low logs"; bounds the cost on huge log sets.
    static let maximumCutPoints = 64

    static func find(for input: RecoveryInput, result: RecoveryResult) -> [Remedy] {
        let failure = result.plan.failure
        guard failure != nil || result.decisions.contains(where: { $0.outcome == .notRecoverable || $0.outcome == .recoverableWithLoss })
        else { return [] }
        var remedies: [Remedy] = []
        let checkpointUsed: Bool = if case .used = result.plan.checkpoint { true } else { false }
        if checkpointUsed, let checkpoint = input.checkpoint {
            var changed = input
            changed.checkpoint = nil
            if recovers(changed) {
                remedies.append(Remedy("deleteCheckpoint",
                    "delete \(checkpoint.fileName): replay then starts at the lowest archived log, and recovery succeeds",
                    files: [checkpoint.fileName]))
            }
        }
        if remedies.isEmpty, let removal = lowLogRemoval(input, dropCheckpoint: checkpointUsed) {
            remedies.append(removal)
        }
        if let removal = conflictingArchiveRemoval(input, result: result) { remedies.append(removal) }
        if let failure, failure.code == .foreignLog, let file = failure.file, let generation = failure.generation, generation != result.plan.start {
            remedies.append(Remedy("replaceLog",
                "replace \(file) with generation 0x\(String(generation, radix: 16)) of this log sequence (signature \(result.plan.signature?.random ?? 0))",
                files: [file]))
        }
        if let lost = result.decisions.compactMap(\.lostGenerations).first ?? failure?.lostGenerations {
            remedies.append(Remedy("recoverWithLoss",
                "eseutil /r /a recovers the databases by discarding the transactions in generations 0x\(String(lost.lowerBound, radix: 16))-0x\(String(lost.upperBound, radix: 16))"))
        }
        let deferred = input.databases.indices.filter { result.decisions[$0].reasons.contains { $0.code == .databaseDeferred } }
        if failure?.code == .listedDatabaseAbsent || !deferred.isEmpty {
            remedies.append(Remedy("ignoreMissingDatabases",
                "eseutil /r /i recovers the other databases and leaves the missing or mismatched ones unrecovered",
                files: deferred.map { input.databases[$0].path } + (failure?.code == .listedDatabaseAbsent ? [failure?.file].compactMap { $0 } : [])))
        }
        if result.decisions.contains(where: { $0.reasons.contains { $0.code == .softRecoveryOnBackup } }) {
            remedies.append(Remedy("hardRestore",
                "the database is part of a backup set being restored: finish the restore (hard recovery with the backup set's logs) instead of soft recovery"))
        }
        return remedies
    }

    /// An archived copy of the current log's generation (`A(cur)` beside `E`): replay takes the
    /// archive and then meets `E` again, -515 (recovery.md §4). Removing the copy recovers
    /// without loss when the model says so.
    static func conflictingArchiveRemoval(_ input: RecoveryInput, result: RecoveryResult) -> Remedy? {
        guard result.plan.failure?.code == .logSequenceBroken, let current = result.plan.currentGeneration,
              let copy = input.logs.first(where: { $0.nameGeneration == current }) else { return nil }
        var changed = input
        changed.logs.removeAll { $0.nameGeneration == current }
        guard recovers(changed) else { return nil }
        return Remedy("removeConflictingLog",
            "remove \(copy.fileName): it is an archived copy of the current log's generation 0x\(String(current, radix: 16)), and replay then ends at the current log without loss",
            files: [copy.fileName])
    }

    /// Whether recovery of `input` succeeds for every database it assesses.
    static func recovers(_ input: RecoveryInput) -> Bool {
        let result = RecoveryModel.evaluateAsIs(input)
        return result.plan.failure == nil && result.decisions.allSatisfy {
            $0.outcome == .consistent || $0.outcome == .recoverable || $0.outcome == .notAssessed
        }
    }

    /// The fewest low archived logs (and, when it is in the way, the checkpoint) whose removal
    /// makes recovery succeed: foreign, older or gapped logs below what the databases need.
    static func lowLogRemoval(_ input: RecoveryInput, dropCheckpoint: Bool) -> Remedy? {
        let archived = input.logs.filter { !$0.isCurrent }.compactMap { log in log.nameGeneration.map { ($0, log) } }.sorted { $0.0 < $1.0 }
        guard archived.count > 1 else { return nil }
        let needed = input.databases.compactMap(\.header).filter { $0.state.needsLogReplay && $0.minimumRequiredGeneration > 0 }
            .map(\.minimumRequiredGeneration).min() ?? Int32.max
        let cuts = Array(Set(archived.dropFirst().map(\.0)).filter { $0 <= needed }.sorted().prefix(maximumCutPoints))
        for cut in cuts {
            var changed = input
            changed.logs = input.logs.filter { log in log.nameGeneration.map { $0 >= cut } ?? true }
            if dropCheckpoint { changed.checkpoint = nil }
            guard recovers(changed) else { continue }
            let removed = archived.filter { $0.0 < cut }.map(\.1.fileName)
            let checkpoint = dropCheckpoint ? input.checkpoint.map { [$0.fileName] } ?? [] : []
            return Remedy("removeLowLogs",
                "remove the archived logs below generation 0x\(String(cut, radix: 16))" + (checkpoint.isEmpty ? "" : " and the checkpoint")
                    + ": they are not of the chain the databases need, and replay then starts at 0x\(String(cut, radix: 16))",
                files: removed + checkpoint)
        }
        return nil
    }
}

/// The one table from a recovery error to a verdict for the files as they are.
enum RecoveryVerdicts {
    static func verdict(for failure: RecoveryFailure) -> Verdict {
        switch failure.code {
        case .logMissing, .startLogMissing, .currentLogMissing: return .missingLogs
        case .logSequenceBroken: return .logsDamaged
        default: return verdict(for: failure.jetError)
        }
    }

    static func verdict(for error: JetError) -> Verdict {
        switch error {
        case .missingLogFile, .missingPreviousLogFile, .invalidLogSequence, .requiredLogFilesMissing, .committedLogFilesMissing:
            .missingLogs
        case .logFileCorrupt, .committedLogFileCorrupt, .logSequenceChecksumMismatch, .logFileSizeMismatch, .badLogVersion, .fileInvalidType:
            .logsDamaged
        case .badLogSignature:
            .signatureMismatch
        case .diskIO:
            .unreadable
        case .databaseIncompleteIncrementalReseed, .databaseIncompleteRevert, .databaseCorrupted:
            .unusableState
        default:
            .notRecoverable
        }
    }
}
