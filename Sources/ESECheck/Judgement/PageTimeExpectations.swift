import ESEFormat

/// What redo will compare on one database's pages: every page the replayed records change,
/// with the record's database times, in log order per page. Built from the replay span
/// (`PageTimeExpectations.build`), checked against each page as it is read.
///
/// The rule is `FLGNeedRedoCheckDbtimeBefore` (logredo.cxx:336-442) after
/// `ErrLGIAccessPage` (logredo.cxx:592-775): redo is needed when the record's time is newer
/// than the page's; the page must then carry the record's before-time, else −566 (older),
/// −567 (between). A record redo does not need whose log lies past the database's
/// `lGenMaxRequired` is −625: the page holds a change the header says it cannot hold
/// (logredo.cxx:423-438; `FContainsDataFromFutureLogs`, 6342-6349, 11686-11749). Inside the
/// required range an older page is parked in the redo map and raised when replay leaves the
/// range (−566; 364-389, 13480-13560) unless a shrink or trim record clears it
/// (11150-11158, 11446-11454). A page that must exist but is all zero fails −1019 the same
/// two ways (640-705). Only the first record that redo applies to a page is compared with
/// the page as copied: after it the page carries the log's own times.
struct PageTimeExpectations: Hashable, Sendable {
    /// One page a replayed record changes.
    struct Reference: Hashable, Sendable {
        /// The page. ESE: `pgno`.
        var pageNumber: UInt32
        /// The record's rank in the span's log order.
        var order: UInt32
        /// The before-time, or `newPage` for a page redo formats anew.
        var timeBefore: UInt64
        /// The record's time. ESE: `dbtime`.
        var timeAfter: UInt64
        /// Whether the record lies at or below the database's `lGenMaxRequired` (or the database is
        /// dirty-and-patched): ESE's `FRedoMapNeeded` (log.cxx:4156-4162).
        var inRequiredRange: Bool
        /// The record's position.
        var position: LogPosition
        /// The record's type.
        var recordType: LogRecordType
    }

    /// The before-time of a new page (never a real time: daedef.hxx:1110).
    static let newPage = UInt64.max

    /// The references, sorted by page, then log order.
    private(set) var references: [Reference]
    /// Whether the span holds shrink or trim records, which may clear a mismatch parked inside
    /// the required range: such mismatches are then not reported.
    var spaceRecordsInSpan = false
    /// Why the pages were not compared, when the span holds records whose page changes are not
    /// modelled (a root page move, logredo.cxx:10680-10800).
    var notChecked: String?

    /// Nothing to compare: the database needs no replay, or nothing in the span changes it.
    static let none = PageTimeExpectations(references: [])

    /// Distinct pages referenced.
    private(set) var pageCount = 0

    /// Expectations from references in log order (any page order).
    init(references: [Reference], spaceRecordsInSpan: Bool = false, notChecked: String? = nil) {
        if notChecked == nil {
            // Sorted by page, then log order: a counting sort when they arrive in log order (as the
            // span's walk hands them) over pages near their count, else an index sort by one packed
            // key (page, rank) per reference.
            let highest = references.lazy.map(\.pageNumber).max() ?? 0
            let inLogOrder = zip(references, references.dropFirst()).allSatisfy { $0.order < $1.order }
            if inLogOrder, Int(highest) <= 4 * references.count + 65536 {
                self.references = Self.countingSort(references, highestPage: Int(highest))
            } else {
                let keys = references.indices.map { UInt64(references[$0].pageNumber) << 32 | UInt64(references[$0].order) }
                let order = keys.indices.sorted { keys[$0] < keys[$1] }
                self.references = order.map { references[$0] }
            }
            var previous: UInt32?
            for reference in self.references where reference.pageNumber != previous {
                pageCount += 1
                previous = reference.pageNumber
            }
        } else {
            self.references = []
        }
        self.spaceRecordsInSpan = spaceRecordsInSpan
        self.notChecked = notChecked
    }

    /// `references` (in log order) grouped by page, log order kept within a page: a counting
    /// sort, linear in the references and the highest page.
    private static func countingSort(_ references: [Reference], highestPage: Int) -> [Reference] {
        guard let first = references.first else { return [] }
        var starts = [Int](repeating: 0, count: highestPage + 2)
        for reference in references { starts[Int(reference.pageNumber) + 1] += 1 }
        for page in 0...highestPage { starts[page + 1] += starts[page] }
        var sorted = [Reference](repeating: first, count: references.count)
        for reference in references {
            let page = Int(reference.pageNumber)
            sorted[starts[page]] = reference
            starts[page] += 1
        }
        return sorted
    }

    /// Whether no page is compared.
    var isEmpty: Bool { references.isEmpty }

    /// The first reference to `page` (binary search), or nil.
    func firstIndex(of page: UInt32) -> Int? {
        let low = firstIndex(atOrAfter: page)
        return low < references.count && references[low].pageNumber == page ? low : nil
    }

    /// The index of the first reference to `page` or a later page (`references.count` if none).
    func firstIndex(atOrAfter page: UInt32) -> Int {
        var low = 0, high = references.count
        while low < high {
            let middle = (low + high) / 2
            if references[middle].pageNumber < page { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// What redo finds on `page`, whose copy is in `state`: nil when redo passes it (or does not
    /// touch it), else the mismatch ESE reports.
    func mismatch(page: UInt32, state: PageTimeState) -> PageTimeMismatch? {
        guard let index = firstIndex(of: page) else { return nil }
        return mismatch(from: index, page: page, state: state)
    }

    /// `mismatch(page:state:)` when the first reference to `page` is known to be at `first`
    /// (one binary search per page, not two).
    func mismatch(from first: Int, page: UInt32, state: PageTimeState) -> PageTimeMismatch? {
        var index = first
        while index < references.count, references[index].pageNumber == page {
            let reference = references[index]
            index += 1
            switch state {
            case .uninitialized:
                // A new page is formatted; a page that must exist is missing (logredo.cxx:640-705).
                guard reference.timeBefore != Self.newPage else { return nil }
                return found(.pageNotInitialized, reference, page: page, time: nil)
            case .time(let time):
                if reference.timeBefore == Self.newPage {
                    // Inside the required range a newer page is kept (logredo.cxx:897-934); otherwise
                    // the page is formatted anew and its later records chain on the log's own times.
                    if reference.inRequiredRange, time >= reference.timeAfter { continue }
                    return nil
                }
                if reference.timeAfter > time {
                    // Redo is needed: the page must carry the before-time (logredo.cxx:351-407).
                    if time == reference.timeBefore { return nil }
                    return found(time < reference.timeBefore ? .dbTimeTooOld : .dbTimeTooNew, reference, page: page, time: time)
                }
                // Not needed: fine inside the required range, −625 past it (logredo.cxx:423-438).
                if !reference.inRequiredRange { return found(.dbTimeBeyondMaxRequired, reference, page: page, time: time) }
            }
        }
        return nil
    }

    /// The mismatch of `error` at `reference`; parked when ESE parks it (inside the required
    /// range, −566 and −1019 only), and nil when a shrink or trim in the span may clear it.
    private func found(_ error: JetError, _ reference: Reference, page: UInt32, time: UInt64?) -> PageTimeMismatch? {
        let parked = reference.inRequiredRange && (error == .dbTimeTooOld || error == .pageNotInitialized)
        if parked, spaceRecordsInSpan { return nil }
        return PageTimeMismatch(pageNumber: page, pageTime: time,
                                timeBefore: reference.timeBefore == Self.newPage ? nil : reference.timeBefore,
                                timeAfter: reference.timeAfter, position: reference.position, recordType: reference.recordType,
                                jetError: error, deferred: parked, order: reference.order)
    }
}

/// A page's database time as copied, for the redo comparison.
enum PageTimeState: Hashable, Sendable {
    /// A good (or corrected) page with this time. ESE: `dbtimeDirtied`.
    case time(UInt64)
    /// An all-zero page.
    case uninitialized

    /// The state of a checked page, or nil when redo's comparison does not apply: a bad page
    /// (reported as such), or a page carrying one of ESE's reserved times (shrunk, reverted).
    /// A correctable page's time is read with its flipped bit corrected, as ESE reads it.
    init?(_ check: PageCheck) {
        switch check.outcome {
        case .uninitialized:
            self = .uninitialized
        case .ok:
            self.init(time: check.databaseTime)
        case .correctable(let bit):
            let field = PageHeader.Offset.databaseTime * 8
            let time = (field..<field + 64).contains(bit) ? check.databaseTime ^ (1 << UInt64(bit - field)) : check.databaseTime
            self.init(time: time)
        default:
            return nil
        }
    }

    private init?(time: UInt64) {
        guard time < LogPageReference.reservedTimes else { return nil }
        self = .time(time)
    }
}
