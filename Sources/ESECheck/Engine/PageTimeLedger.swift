import ESEFormat
import Synchronization

/// One database's side of redo's database-time check during the page pass. Pages arrive in
/// any order from many threads, and the logs may be judged before, during or after them:
///
/// - once the expectations are known (`resolve`), each page a replayed record changes is
///   compared as it arrives — per batch, a binary search in the sorted references and a walk
///   of those in the batch's page range, and nothing at all when the database has none
///   (`isIdle`, one atomic load per batch);
/// - before that, each page's database time is recorded (8 bytes per data page that arrives
///   early, in `PagedValues` chunks) and compared when the expectations arrive, then freed.
///
/// A resubmitted page replaces its earlier comparison.
final class PageTimeLedger: Sendable {
    private struct State: Sendable {
        var expectations: PageTimeExpectations?
        /// Per data page while the expectations are unknown: 0 not usable, `UInt64.max` all zero,
        /// else the page's time + 1.
        var recorded: PagedValues<UInt64>?
        var mismatches: [UInt32: PageTimeMismatch] = [:]
        /// The pages compared, one bit each, page `p` at bit `p % 64` of word `p / 64` (a set of
        /// pages cost a hash per page: issue 19 point 6; chunks, so a page near a declared end
        /// costs one chunk).
        var compared: PagedValues<UInt64>
        /// How many bits `compared` holds.
        var comparedCount = 0

        init(pageCount: Int) { compared = PagedValues(count: pageCount / 64 + 1) }

        /// Marks `page` compared or not, keeping the count.
        mutating func setCompared(_ page: UInt32, _ member: Bool) {
            let word = Int(page / 64), bit: UInt64 = 1 << UInt64(page % 64)
            guard compared.indices.contains(word) else { return }
            let was = compared[word] & bit != 0
            guard was != member else { return }
            compared[word] ^= bit
            comparedCount += member ? 1 : -1
        }
    }

    /// Data pages of the database.
    let pageCount: Int
    private let idle = Atomic<Bool>(false)
    private let state: Locked<State>

    /// A ledger for a database of `pageCount` data pages, expectations unknown.
    init(pageCount: Int) {
        self.pageCount = pageCount
        state = Locked(State(pageCount: pageCount))
    }

    /// Whether no page needs comparing (no expectations, or none for this database).
    var isIdle: Bool { idle.load(ordering: .acquiring) }

    /// Records or compares checked pages: (logical page number, state; nil for a page redo's
    /// comparison does not apply to).
    func observe(_ pages: [(page: UInt32, state: PageTimeState?)]) {
        guard !pages.isEmpty, !isIdle else { return }
        state.withLock { state in
            for (page, pageState) in pages { Self.observe(page, pageState, &state, count: pageCount) }
        }
    }

    /// What a batch hands over per page (`code(_:)`): 0 not usable, `UInt64.max` all zero,
    /// `skipped` not a data page (or not checkable), else the page's time + 1 — 8 bytes per page,
    /// so a batch costs a copy of its checks to no one.
    static let skipped = UInt64.max - 1

    /// A checked data page's code.
    @inline(__always)
    static func code(_ check: PageCheck) -> UInt64 { encoded(PageTimeState(check)) }

    /// Records or compares a batch of consecutive physical pages from `firstPhysical`, one code
    /// each: one lock, and once the expectations are known, only the pages they reference (a
    /// walk of the sorted references over the batch's page range).
    func observe(firstPhysical: Int, codes: [UInt64]) {
        guard !codes.isEmpty, !isIdle else { return }
        let count = pageCount
        let firstPage = firstPhysical - 1   // the logical page of codes[0]
        state.withLock { state in
            guard let expectations = state.expectations else {
                Self.record(firstPage: firstPage, codes: codes, &state, count: count)
                return
            }
            let references = expectations.references
            let lastPage = firstPage + codes.count - 1
            guard lastPage >= 1, firstPage <= Int(UInt32.max) else { return }
            var index = expectations.firstIndex(atOrAfter: UInt32(max(firstPage, 1)))
            while index < references.count, Int(references[index].pageNumber) <= lastPage {
                let page = references[index].pageNumber
                let code = codes[Int(page) - firstPage]
                if code != Self.skipped { Self.compare(page, at: index, Self.decoded(code), expectations, &state) }
                index += 1
                while index < references.count, references[index].pageNumber == page { index += 1 }
            }
        }
    }

    /// Records a batch's codes while the expectations are unknown: one uniqueness check per
    /// batch, not per page.
    private static func record(firstPage: Int, codes: [UInt64], _ state: inout State, count: Int) {
        guard count > 0 else { return }
        var recorded = state.recorded.take() ?? PagedValues(count: count)
        for (offset, code) in codes.enumerated() where code != skipped {
            let page = firstPage + offset
            if page >= 1, page <= count { recorded[page - 1] = code }
        }
        state.recorded = recorded
    }

    /// A page state in `State.recorded`'s encoding (the batch codes' too).
    @inline(__always)
    private static func encoded(_ pageState: PageTimeState?) -> UInt64 {
        switch pageState {
        case .time(let time)?: time + 1
        case .uninitialized?: .max
        case nil: 0
        }
    }

    /// The page state a code stands for (not `skipped`).
    @inline(__always)
    private static func decoded(_ code: UInt64) -> PageTimeState? {
        switch code {
        case 0: nil
        case .max: .uninitialized
        default: .time(code - 1)
        }
    }

    private static func observe(_ page: UInt32, _ pageState: PageTimeState?, _ state: inout State, count: Int) {
        if let expectations = state.expectations {
            compare(page, pageState, expectations, &state)
            return
        }
        guard page >= 1, Int(page) <= count else { return }
        var recorded = state.recorded.take() ?? PagedValues(count: count)
        recorded[Int(page) - 1] = encoded(pageState)
        state.recorded = recorded
    }

    /// Records or compares a run of all-zero pages (holes of a sparse file), logical numbers.
    func observeZeros(_ pages: ClosedRange<UInt32>) {
        guard !isIdle else { return }
        let count = pageCount
        state.withLock { state in
            if let expectations = state.expectations {
                var index = expectations.firstIndex(atOrAfter: pages.lowerBound)
                while index < expectations.references.count, expectations.references[index].pageNumber <= pages.upperBound {
                    let page = expectations.references[index].pageNumber
                    Self.compare(page, at: index, .uninitialized, expectations, &state)
                    while index < expectations.references.count, expectations.references[index].pageNumber == page { index += 1 }
                }
                return
            }
            guard count > 0, pages.lowerBound >= 1, Int(pages.lowerBound) <= count else { return }
            var recorded = state.recorded.take() ?? PagedValues(count: count)
            recorded.fill(Int(pages.lowerBound) - 1..<min(Int(pages.upperBound), count), with: .max)
            state.recorded = recorded
        }
    }

    /// The pages the expectations reference, sorted, each once; nil while they are unknown.
    /// A resumed run reads these again among the pages it took from its state file.
    func referencedPages() -> [UInt32]? {
        state.withLock { state in
            guard let expectations = state.expectations else { return nil }
            var pages: [UInt32] = []
            for reference in expectations.references where reference.pageNumber != pages.last { pages.append(reference.pageNumber) }
            return pages
        }
    }

    /// Sets the expectations and compares every page recorded before them.
    func resolve(_ expectations: PageTimeExpectations) {
        state.withLock { state in
            guard state.expectations == nil else { return }
            state.expectations = expectations
            if let recorded = state.recorded.take() { Self.compare(recorded: recorded, expectations, &state) }
            if expectations.isEmpty && expectations.notChecked == nil { idle.store(true, ordering: .releasing) }
        }
    }

    /// Takes the page times `other` recorded before its expectations were known — a tar
    /// stream's per-database session, whose pages this ledger's session adopts — as if those
    /// pages had arrived here (compared at once when the expectations are known). Nothing when
    /// this ledger is idle or `other` recorded nothing.
    func adopt(_ other: PageTimeLedger) {
        guard other !== self, !isIdle else { return }
        guard let theirs = other.state.withLock({ $0.recorded }) else { return }
        state.withLock { state in
            if let expectations = state.expectations {
                Self.compare(recorded: theirs, expectations, &state)
            } else if var recorded = state.recorded.take() {
                recorded.overlay(theirs, skipping: 0)
                state.recorded = recorded
            } else {
                state.recorded = theirs
            }
        }
    }

    /// Compares the recorded page times (`State.recorded`'s encoding) of every page the
    /// expectations reference.
    private static func compare(recorded: PagedValues<UInt64>, _ expectations: PageTimeExpectations, _ state: inout State) {
        let references = expectations.references
        var index = 0
        while index < references.count {
            let page = references[index].pageNumber
            let slot = Int(page) - 1
            if slot >= 0, slot < recorded.count, recorded[slot] != 0 {
                compare(page, at: index, decoded(recorded[slot]), expectations, &state)
            }
            index += 1
            while index < references.count, references[index].pageNumber == page { index += 1 }
        }
    }

    private static func compare(_ page: UInt32, _ pageState: PageTimeState?, _ expectations: PageTimeExpectations, _ state: inout State) {
        compare(page, at: expectations.firstIndex(of: page), pageState, expectations, &state)
    }

    /// Compares `page`, whose first reference is at `first` (nil: none), with its state.
    private static func compare(_ page: UInt32, at first: Int?, _ pageState: PageTimeState?, _ expectations: PageTimeExpectations,
                                _ state: inout State) {
        guard let pageState, let first else {
            state.setCompared(page, false)
            if !state.mismatches.isEmpty { state.mismatches[page] = nil }
            return
        }
        state.setCompared(page, true)
        let mismatch = expectations.mismatch(from: first, page: page, state: pageState)
        if mismatch != nil || !state.mismatches.isEmpty { state.mismatches[page] = mismatch }
    }

    /// The result, or nil when the expectations never arrived or nothing was expected.
    func result(limit: Int) -> PageTimeCheck? {
        state.withLock { state in
            guard let expectations = state.expectations, !expectations.isEmpty || expectations.notChecked != nil else { return nil }
            var check = PageTimeCheck()
            check.pagesReferenced = expectations.pageCount
            check.pagesCompared = state.comparedCount
            check.mismatchCount = state.mismatches.count
            check.mismatches = Array(state.mismatches.values.sorted { $0.pageNumber < $1.pageNumber }.prefix(max(1, limit)))
            check.notChecked = expectations.notChecked
            check.first = PageTimeCheck.firstMet(state.mismatches.values)
            return check
        }
    }
}
