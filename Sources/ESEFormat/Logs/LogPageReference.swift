/// A database page a log record changes, with the database times redo compares against the
/// page: the record's `dbtime` (the page's time after redo) and, for a page that must
/// already exist, its `dbtimeBefore` (log-records.md "dbtime checks").
///
/// Every page record starts with `LRPAGE_` {lrtyp@0, procid@1, dbid@3, pgno@4, dbtime@8,
/// dbtimeBefore@16, …} (32 bytes, logapi.hxx:376-423); split, merge and page-move records add
/// the other pages they change with their own before-times (logapi.hxx:872-909, 953-998,
/// 1097-1215), and some pages are new: redo formats them without comparing a before-time
/// (`ErrLGRIAccessNewPage`, logredo.cxx:876-939).
public struct LogPageReference: Hashable, Sendable {
    /// The database's attach slot. ESE: `dbid`.
    public var databaseID: UInt8
    /// The page. ESE: `pgno`.
    public var pageNumber: UInt32
    /// The page's database time before the change, or nil for a new page (redo does not
    /// compare it). ESE: `dbtimeBefore` (`le_dbtimeBefore`, `le_dbtimeRightBefore`, …).
    public var timeBefore: UInt64?
    /// The page's database time after the change. ESE: `dbtime` (`le_dbtime`, `dbtimeAfter`).
    public var timeAfter: UInt64
    /// The record's position (log-records.md "Record position").
    public var position: LogPosition
    /// The record's type.
    public var recordType: LogRecordType

    /// Creates a reference.
    public init(databaseID: UInt8, pageNumber: UInt32, timeBefore: UInt64?, timeAfter: UInt64,
                position: LogPosition, recordType: LogRecordType) {
        self.databaseID = databaseID
        self.pageNumber = pageNumber
        self.timeBefore = timeBefore
        self.timeAfter = timeAfter
        self.position = position
        self.recordType = recordType
    }

    /// The lowest database time that marks no real time: `dbtimeRevert` (…FC), `dbtimeShrunk`
    /// (…FD), `dbtimeInvalid` (…FE) and `dbtimeNil` (…FF) (daedef.hxx:1110-1113).
    public static let reservedTimes: UInt64 = 0xFFFF_FFFF_FFFF_FFFC

    /// Whether `type` changes pages whose references `collect` extracts.
    public static func isPageRecord(_ type: LogRecordType) -> Bool {
        switch type.rawValue {
        case 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 38, 39, 48, 58, 62, 63, 64, 65, 93, 95: true
        default: false
        }
    }

    /// Appends the pages the record of `type` at `offset` of `bytes` changes (`available`
    /// bytes of it present) to `references`. Records of other types, and records whose fixed
    /// part is not all present, add nothing. A sibling or parent slot that is empty
    /// (`pgnoNull`) or whose before-time is reserved is not a reference, nor is a page above
    /// `highestPage` (a caller that compares only the pages its files hold keeps no others).
    public static func collect(_ type: LogRecordType, _ bytes: RawSpan, at offset: Int, available: Int,
                               position: LogPosition, upTo highestPage: UInt32 = .max,
                               into references: inout [LogPageReference]) {
        guard isPageRecord(type), type.fixedPart > 0, available >= type.fixedPart else { return }
        let databaseID = bytes.uint8(at: offset + 3)
        // LRNEWPAGE keeps its time at @12 (logapi.hxx:1054-1095), every LRPAGE_ record at @8.
        let after = bytes.uint64(at: offset + (type.rawValue == 95 ? 12 : 8))
        guard after != 0, after < reservedTimes else { return }
        /// A page that must exist, whose before-time is at `beforeAt`.
        func existing(_ pageAt: Int, _ beforeAt: Int) {
            let page = bytes.uint32(at: offset + pageAt), before = bytes.uint64(at: offset + beforeAt)
            guard page != 0, page <= highestPage, before < reservedTimes else { return }
            references.append(LogPageReference(databaseID: databaseID, pageNumber: page, timeBefore: before,
                                               timeAfter: after, position: position, recordType: type))
        }
        /// A page redo formats anew.
        func new(_ pageAt: Int) {
            let page = bytes.uint32(at: offset + pageAt)
            guard page != 0, page <= highestPage else { return }
            references.append(LogPageReference(databaseID: databaseID, pageNumber: page, timeBefore: nil,
                                               timeAfter: after, position: position, recordType: type))
        }
        switch type.rawValue {
        case 27, 62:
            // LRSPLIT_ (logapi.hxx:872-909): the split page (logredo.cxx:7971), pgnoNew@32 new
            // (7838), pgnoRight@36 / dbtimeRightBefore@40 (10260), pgnoParent@48 / dbtimeParentBefore@52.
            existing(4, 16)
            new(32)
            existing(36, 40)
            existing(48, 52)
        case 28, 63:
            // LRMERGE_ (logapi.hxx:953-998): the merged page (logredo.cxx:8288), pgnoRight@32 /
            // before@36, pgnoLeft@44 / before@48 (9035-9069), pgnoParent@56 / before@60.
            existing(4, 16)
            existing(32, 36)
            existing(44, 48)
            existing(56, 60)
        case 65:
            // LRPAGEMOVE (logapi.hxx:1097-1215): source (pgno, dbtimeBefore), pgnoDest@32 new,
            // pgnoLeft@36 / before@48, pgnoRight@40 / before@56, pgnoParent@44 / before@64
            // (logredo.cxx:9162-9253).
            existing(4, 16)
            new(32)
            existing(36, 48)
            existing(40, 56)
            existing(44, 64)
        case 24:
            // LRCREATEMEFDP (logapi.hxx:1269-1283): the FDP, pgnoOE@36 and pgnoAE@40 are new pages.
            new(4)
            new(36)
            new(40)
        case 25:
            // LRCREATESEFDP (logapi.hxx:1285-1297): the FDP is a new page.
            new(4)
        case 26, 58:
            // LRCONVERTFDP (logapi.hxx:1299-1329): the root is checked (logredo.cxx:6772), pgnoOE@36
            // and pgnoAE@40 are new pages (6779-6800).
            existing(4, 16)
            new(36)
            new(40)
        case 95:
            // LRNEWPAGE (logapi.hxx:1054-1095): procid@1, dbid@3, pgno@4, objid@8, dbtimeAfter@12;
            // redone as a new page (logredo.cxx:7672-7676, `ErrLGRIRedoNewPage`).
            new(4)
        default:
            // LRNODE_ records and Scrub: one page, checked against dbtimeBefore (logredo.cxx:3112-3114, 3902).
            existing(4, 16)
        }
    }
}
