import ESEFormat

/// Judges a log set against what the databases need, as CHKSGFILES' `ErrCheckLogs` does:
/// a required generation missing ⇒ −543; damage at or after the earliest needed generation
/// (even beyond the highest required) ⇒ error; damage only in older logs ⇒ success with
/// "only unnecessary logs corrupt".
enum LogAssessment {
    /// For full and copy backups the databases' required range matters; for incremental and
    /// differential backups every generation from the one after the last recorded backup to the
    /// newest log is required.
    static func assess(_ report: LogSetReport?, headers: HeaderCheck?, backupType: BackupType) -> LogCheck {
        var required = headers?.requiredGenerations
        var backupStart: Int32?
        if backupType.isLogOnly {
            let starts = (headers?.databases ?? []).compactMap { $0.header?.firstGenerationAfterLastBackup(for: backupType) }
            backupStart = starts.min()
            // The generation after the last backup always exists: the backup that ended at genHigh
            // rolled the log, so genHigh + 1 was the current log then (backup.cxx:3725-3739,
            // 3779-3789), and only a later backup truncates it. A set whose logs all lie below it
            // (stale copies, the current log not copied) or that holds no log misses it.
            required = backupStart.map { start in start...max(start, report?.generations?.upperBound ?? start) }
        }
        var check = assess(report, required: required)
        check.backupStart = backupStart
        if backupType.isLogOnly, let start = backupStart {
            check.earliestNeeded = start
        }
        return check
    }

    static func assess(_ report: LogSetReport?, required: ClosedRange<Int32>?) -> LogCheck {
        var check = LogCheck(report: report, requiredGenerations: required, earliestNeeded: required?.lowerBound,
                             missingRequired: [], damagedNeeded: [], breaksNeeded: [], damagedUnnecessary: [],
                             backupStart: nil, onlyUnnecessaryLogsCorrupt: false, jetError: .success)
        guard let report else {
            if let required { check.missingRequired = [required] }
            check.jetError = required == nil ? .success : .requiredLogFilesMissing
            return check
        }
        if check.earliestNeeded == nil, let checkpoint = report.checkpoint?.checkpoint, checkpoint.generation > 0 {
            check.earliestNeeded = checkpoint.generation
        }
        if let required { check.missingRequired = report.missing(in: required) }
        for file in report.files where !file.isValid {
            guard let generation = file.sequencePosition else { continue }
            if let earliest = check.earliestNeeded, generation >= earliest || file.isCurrent {
                check.damagedNeeded.append(generation)
            } else {
                check.damagedUnnecessary.append(generation)
            }
        }
        for item in report.breaks {
            let involved = item.missing?.upperBound ?? (item.after &+ 1)
            if let earliest = check.earliestNeeded, involved >= earliest {
                // Missing required generations are already reported as missing.
                if item.kind == .gap, let missing = item.missing, let required, missing.clamped(to: required) == missing { continue }
                check.breaksNeeded.append(item)
            } else if item.kind != .gap {
                check.damagedUnnecessary.append(item.after &+ 1)
            }
        }
        if !check.missingRequired.isEmpty {
            check.jetError = .requiredLogFilesMissing
        } else if let generation = check.damagedNeeded.first,
                  let file = report.files.first(where: { $0.sequencePosition == generation }) {
            check.jetError = file.problems.first { $0.severity == .error }?.jetError ?? .logFileCorrupt
        } else if let item = check.breaksNeeded.first {
            check.jetError = item.jetError
        } else if !report.errors.isEmpty, required != nil {
            check.jetError = .requiredLogFilesMissing
        }
        check.onlyUnnecessaryLogsCorrupt = check.jetError == .success && !check.damagedUnnecessary.isEmpty
        return check
    }
}
