import ESEFormat

/// What `checkDatabaseHeaders()` found. ESE/CHKSGFILES: `ErrCheckDbHeaders`.
public struct HeaderCheck: Hashable, Sendable {
    /// The databases' common page size (nil when no header is valid). CHKSGFILES: `pcbDbPageSize`.
    public var pageSize: Int?
    /// Pages at the start of each file that are not data pages (header and shadow). CHKSGFILES: `pcHeaderPagesPerDb`.
    public var headerPages = PageLayout.reservedPages
    /// The log generations the databases need: lowest `lGenMinRequired` to highest
    /// `lGenMaxRequired` over the dirty databases; nil when none needs logs.
    public var requiredGenerations: ClosedRange<Int32>?
    /// Per database: the header-level report (header choice, state, errors).
    public var databases: [DatabaseReport]
    /// Problems across databases (different page sizes or log signatures).
    public var problems: [VerdictReason]
    /// What CHKSGFILES' `ErrCheckDbHeaders` would return: success or the first error.
    public var jetError: JetError
    /// The first database whose header failed. CHKSGFILES: `piDbErrorEncountered`.
    public var firstFailedDatabase: Int?
}

/// What one `checkPages` call found. The shape of CHKSGFILES' `PAGE_INFO` array, with all four
/// checksums of large pages (as `JET_PAGEINFO2`).
public struct PageBatchResult: Hashable, Sendable {
    /// One check per data page in the batch, in order.
    public var pages: [PageCheck]
    /// Checks of header pages the batch included (file offsets 0 and one page).
    public var headerPages: [HeaderPageCheck]
    /// Success, or what the final verdict will hold against these pages: −1018 when a data
    /// page is bad, −535 for a bad trailer page, −1021 when a page conflicts with a copy
    /// checked before, −4001 for a partial last page. CHKSGFILES: `ErrCheckDbPages`' result.
    public var jetError: JetError
    /// The trailer (patch) page, when the batch holds the last page and it is header-type.
    public var trailer: TrailerCheck?
    /// File offsets of pages of the batch whose copy disagrees with one checked before
    /// (header pages: with the copy the header check read). They are not verified until
    /// resubmitted.
    public var conflictingOffsets: [UInt64] = []
    /// Bytes of a partial page the batch ended with (the file is not a whole number of
    /// pages); 0 when none. The partial page is not checked and is reported (`partialPage`).
    public var partialPageBytes = 0
    /// Where that partial page starts.
    public var partialPageOffset: UInt64?

    /// Creates a result.
    public init(pages: [PageCheck], headerPages: [HeaderPageCheck], jetError: JetError) {
        self.pages = pages
        self.headerPages = headerPages
        self.jetError = jetError
    }
}

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

    /// Whether every database can be restored and the files belong together.
    public var isRestorable: Bool { verdict.isRestorable && jetError == .success }

    /// What soft recovery would replay, when logs were judged.
    public var replayPlan: ReplayPlan? { logs?.recovery?.plan }

    /// Changes to the files that would make recovery succeed (recovery.md §4).
    public var remedies: [Remedy] { logs?.recovery?.remedies ?? [] }
}
