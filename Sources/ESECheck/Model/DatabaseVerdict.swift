import ESEFormat

/// A database's final answer: its report, coverage, verdict and reasons.
public struct DatabaseVerdict: Hashable, Sendable {
    /// Pages, headers and findings.
    public var report: DatabaseReport
    /// Which pages were checked.
    public var coverage: CoverageMap
    /// The verdict.
    public var verdict: Verdict
    /// Why (and warnings beside it).
    public var reasons: [VerdictReason]
    /// The JET error CHKSGFILES would return for this database (success when restorable).
    public var jetError: JetError
    /// How soft recovery treats the database (nil for logs-only backups).
    public var recovery: RecoveryDecision?
    /// Redo's database-time check of the pages the replayed logs change (nil when the database
    /// needs no replay, the logs were not judged, or no replayed record changes it).
    public var pageTimes: PageTimeCheck?
}
