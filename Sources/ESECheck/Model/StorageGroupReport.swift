import ESEFormat

/// The final report of a storage-group check. CHKSGFILES: `ErrTerm`'s verdict, itemised.
public struct StorageGroupReport: Hashable, Sendable {
    /// Each database, in the order given.
    public var databases: [DatabaseVerdict]
    /// The log check, when logs were checked.
    public var logs: LogCheck?
    /// Problems across databases.
    public var problems: [VerdictReason]
    /// The worst database verdict.
    public var verdict: Verdict
    /// What CHKSGFILES would have returned for the whole check (0 when restorable).
    public var jetError: JetError
    /// Files of a checked directory that were neither databases nor log-set files.
    public var skippedFiles: [String] = []
    /// The backup type verified.
    public var backupType = BackupType.full
    /// After this backup succeeds, log generations below this one may be deleted: the lowest
    /// generation the checkpoint or any database still needs. Nil when the verdict does not
    /// allow truncation, or the backup type never truncates (copy, differential).
    public var truncateBelow: Int32?

    /// What the check verified across every database, and what it did not.
    public var scope: CheckScope { CheckScope.merged(databases.map(\.report.scope)) }

    /// Whether every database can be restored and the files belong together.
    public var isRestorable: Bool { verdict.isRestorable && jetError == .success }

    /// What soft recovery would replay, when logs were judged.
    public var replayPlan: ReplayPlan? { logs?.recovery?.plan }

    /// Changes to the files that would make recovery succeed (recovery.md §4).
    public var remedies: [Remedy] { logs?.recovery?.remedies ?? [] }
}
