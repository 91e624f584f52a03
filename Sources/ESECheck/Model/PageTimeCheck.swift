import ESEFormat

/// A page whose database time redo would reject: the copy is older (or newer) than the
/// replayed logs expect. ESE reports it in event `DBTIME_MISMATCH_ID` (logredo.cxx:268-333)
/// or `RECOVERY_DATABASE_PAGE_DATA_MISSING_ID` (−1019) and recovery fails with its error.
public struct PageTimeMismatch: Hashable, Sendable {
    /// The page. ESE: `pgno`.
    public var pageNumber: UInt32
    /// The page's database time as copied; nil for an all-zero page. ESE: `dbtimeDirtied`.
    public var pageTime: UInt64?
    /// The time the record expects on the page. ESE: `dbtimeBefore`.
    public var timeBefore: UInt64?
    /// The record's time. ESE: `dbtime` (`dbtimeAfter`).
    public var timeAfter: UInt64
    /// Where the record is.
    public var position: LogPosition
    /// The record's type.
    public var recordType: LogRecordType
    /// The error recovery fails with: −566 (the page is older than the record expects: a lost
    /// flush), −567 (between the record's before and after times), −625 (the page already holds
    /// a change from past the database's required range) or −1019 (the page is all zero).
    public var jetError: JetError
    /// Whether ESE parks the mismatch in its redo map and raises it when replay leaves the
    /// database's required range, rather than at the record (logredo.cxx:364-389).
    public var deferred: Bool
    /// The record's rank in the span (which ESE meets first).
    var order: UInt32 = 0

    /// The stable reason code of the error: `dbtimeTooOld`, `dbtimeTooNew`,
    /// `dbtimeBeyondMaxRequired` or `pageDataMissing`.
    public var code: VerdictReason.Code {
        switch jetError {
        case .dbTimeTooOld: .dbtimeTooOld
        case .dbTimeTooNew: .dbtimeTooNew
        case .dbTimeBeyondMaxRequired: .dbtimeBeyondMaxRequired
        default: .pageDataMissing
        }
    }

    /// One line: the page, its time, the record's times and position.
    public var text: String {
        let page = pageTime.map { "0x" + String($0, radix: 16) } ?? "all zero"
        let before = timeBefore.map { "0x" + String($0, radix: 16) } ?? "none (new page)"
        return "page \(pageNumber): dbtime \(page), the \(recordType.name) record at \(position) expects \(before) "
            + "and writes 0x\(String(timeAfter, radix: 16)) (\(jetError.code))"
    }
}

/// Redo's database-time check of one database (issue 19 point 3): how many pages the
/// replayed records change, how many of them were compared, and the mismatches.
public struct PageTimeCheck: Hashable, Sendable {
    /// Distinct pages the replayed records change.
    public var pagesReferenced = 0
    /// Pages compared with the records (read, and neither bad nor past the end of the file).
    public var pagesCompared = 0
    /// Every mismatch counted.
    public var mismatchCount = 0
    /// The mismatches of the lowest pages, at most the session's finding limit, sorted by page.
    public var mismatches: [PageTimeMismatch] = []
    /// Why the pages were not compared, when they were not.
    public var notChecked: String?

    /// Creates an empty result.
    public init() {}

    /// The mismatch ESE meets first, the one recovery fails with: the first raised at its
    /// record, else the first parked one.
    public var first: PageTimeMismatch?

    /// The mismatch ESE meets first among `all`.
    static func firstMet(_ all: some Collection<PageTimeMismatch>) -> PageTimeMismatch? {
        all.filter { !$0.deferred }.min { $0.order < $1.order } ?? all.min { $0.order < $1.order }
    }
}

extension VerdictReason.Code {
    /// `dbtimeTooOld`: a page is older than the replayed logs expect (a lost flush, −566).
    public static let dbtimeTooOld: Self = "dbtimeTooOld"
    /// `dbtimeTooNew`: a page's time lies between a record's before and after times (−567).
    public static let dbtimeTooNew: Self = "dbtimeTooNew"
    /// `dbtimeBeyondMaxRequired`: a page holds a change from past the database's required logs (−625).
    public static let dbtimeBeyondMaxRequired: Self = "dbtimeBeyondMaxRequired"
    /// `pageDataMissing`: a page a replayed record changes is all zero (−1019).
    public static let pageDataMissing: Self = "pageDataMissing"
    /// `pageTimesNotChecked`: the replayed records' page times could not be compared.
    public static let pageTimesNotChecked: Self = "pageTimesNotChecked"
}
