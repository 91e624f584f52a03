import ESEFormat

/// The one-word answer for a database: can the copy be used, and how.
public enum Verdict: String, Hashable, Sendable, CaseIterable {
    /// Clean shutdown and every page good: usable as is.
    case consistent
    /// Dirty shutdown, and every required log is present, undamaged and of the same sequence:
    /// soft recovery will make it consistent.
    case recoverable
    /// Dirty shutdown and required logs are missing (the reasons name the range).
    case missingLogs
    /// Required logs, or logs newer than the earliest required, are damaged or broken.
    case logsDamaged
    /// Bad pages (listed in the findings).
    case corrupt
    /// The database and the logs belong to different log sequences.
    case signatureMismatch
    /// The database could not be read (no valid header, I/O errors).
    case unreadable
    /// Not every page was checked (the coverage names the pages never seen), or the logs
    /// were not checked.
    case incomplete
    /// A state ESE will not attach: just created, being converted, incremental reseed or revert in progress.
    case unusableState
    /// The requested backup type cannot be taken: an incremental or differential with circular
    /// logging on, or without a recorded full backup to build on.
    case unsupportedBackup
    /// The file is shorter than the database it holds (its root's space, or page links, name
    /// pages past the end; or it holds only header pages). ESE: −4001 on the first read there.
    case truncated
    /// Recoverable only by discarding committed transactions: `eseutil /r /a` drops the logs
    /// from the failing generation on (the reasons name them). Not restorable as copied.
    case recoverableWithLoss
    /// Soft recovery of the files as copied fails for a reason none of the other verdicts
    /// names: an older copy of the database (−551, −1216), a page size that differs from the
    /// logs' (−1213), a database outside the log set's attach list (−550), a database from a
    /// backup set (−544), or a failure of another file of the set. Remedies, when any, are
    /// reported beside it.
    case notRecoverable
    /// Pages failed their checksum and then read differently on another read of the same
    /// file: the file was changing while it was read (the copy of a live database). Not
    /// proven corrupt, not verified: copy it again from a snapshot or a dismounted database.
    case unstable

    /// Ordering from best to worst, used to combine verdicts.
    var severity: Int {
        switch self {
        case .consistent: 0
        case .recoverable: 1
        case .recoverableWithLoss: 2
        case .logsDamaged: 3
        case .missingLogs: 4
        case .signatureMismatch: 5
        case .notRecoverable: 5
        case .unusableState: 6
        case .unsupportedBackup: 6
        case .incomplete: 7
        case .unstable: 8
        case .corrupt: 9
        case .truncated: 9
        case .unreadable: 10
        }
    }

    /// Whether a backup holding this database can be restored and used.
    public var isRestorable: Bool { self == .consistent || self == .recoverable }

    /// The worse of two verdicts.
    public static func worst(_ a: Verdict, _ b: Verdict) -> Verdict { a.severity >= b.severity ? a : b }
}

/// One reason behind a verdict (or a warning beside it).
public struct VerdictReason: Hashable, Sendable {
    /// A stable machine name (`badPages`, `requiredLogsMissing`, `pagesNotChecked`, …).
    public var code: Code
    /// A one-line explanation.
    public var message: String
    /// The JET error CHKSGFILES or ESE would return for it.
    public var jetError: JetError?
    /// Whether this is only a warning (the verdict does not depend on it).
    public var isWarning: Bool

    /// Creates a reason.
    public init(_ code: Code, _ message: String, jetError: JetError? = nil, isWarning: Bool = false) {
        self.code = code
        self.message = message
        self.jetError = jetError
        self.isWarning = isWarning
    }
}
