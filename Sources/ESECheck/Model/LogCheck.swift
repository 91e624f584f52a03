import ESEFormat

/// What `checkLogs()` found, judged against what the databases need. CHKSGFILES: `ErrCheckLogs`.
public struct LogCheck: Hashable, Sendable {
    /// The log set report (nil when the session has no log directory).
    public var report: LogSetReport?
    /// Generations the dirty databases require.
    public var requiredGenerations: ClosedRange<Int32>?
    /// The earliest generation that matters: the lowest required, else the checkpoint's.
    public var earliestNeeded: Int32?
    /// Required generations with no file.
    public var missingRequired: [ClosedRange<Int32>]
    /// Generations at or after the earliest needed that are damaged, broken or foreign.
    public var damagedNeeded: [Int32]
    /// Chain breaks at or after the earliest needed generation.
    public var breaksNeeded: [LogBreak]
    /// Generations older than the earliest needed that are damaged (harmless for restore).
    public var damagedUnnecessary: [Int32]
    /// For incremental and differential backups: the generation the backup starts at (just
    /// after the last recorded backup), when one is recorded.
    public var backupStart: Int32?
    /// Success with problems only in logs older than the earliest needed. CHKSGFILES: `pfOnlyUnnecessaryLogsCorrupt`.
    public var onlyUnnecessaryLogsCorrupt: Bool
    /// What CHKSGFILES' `ErrCheckLogs` would return: for full and copy backups, the first
    /// failure of soft recovery as the recovery model predicts it.
    public var jetError: JetError
    /// The recovery model's answer: the replay plan, one decision per database, remedies.
    public var recovery: RecoveryResult?
}
