import ESEFormat
import Synchronization

/// One database's side of redo's database-time check during the page pass. Pages arrive in
/// any order from many threads, and the logs may be judged before, during or after them:
///
/// - once the expectations are known (`resolve`), each page a replayed record changes is
///   compared as it arrives — a binary search in the sorted references, and nothing at all
///   when the database has none (`isIdle`, one atomic load per batch);
/// - before that, each page's database time is recorded (8 bytes per data page, allocated on
///   the first page that arrives early) and compared when the expectations arrive, then freed.
///
/// A resubmitted page replaces its earlier comparison.
final class PageTimeLedger: Sendable {
    private struct State: Sendable {
        var expectations: PageTimeExpectations?
        /// Per data page while the expectations are unknown: 0 not usable, `UInt64.max` all zero,
        /// else the page's time + 1.
        var recorded: [UInt64] = []
        var mismatches: [UInt32: PageTimeMismatch] = [:]
        /// The pages compared, one bit each (a set of pages cost a hash per page: issue 19 point 6).
        var compared = PageBits()
        /// How many bits `compared` holds.
        var comparedCount = 0
        /// The pages the expectations reference, one bit each.
        var referenced = PageBits()
    }

    /// A set of page numbers as bits.
    struct PageBits: Sendable {
        private var words: [UInt64] = []

        init() {}

        /// The pages of `expectations` below `limit`.
        init(_ expectations: PageTimeExpectations, limit: Int) {
            words = [UInt64](repeating: 0, count: limit / 64 + 1)
            for reference in expectations.references where Int(reference.pageNumber) <= limit {
                words[Int(reference.pageNumber) / 64] |= 1 << UInt64(reference.pageNumber % 64)
            }
        }

        /// Whether `page` is in the set.
        func contains(_ page: UInt32) -> Bool {
            let word = Int(page / 64)
            return word < words.count && words[word] & (1 << UInt64(page % 64)) != 0
        }

        /// Adds or removes `page`; returns whether the set changed.
        mutating func set(_ page: UInt32, _ member: Bool) -> Bool {
            let word = Int(page / 64), bit: UInt64 = 1 << UInt64(page % 64)
            if word >= words.count {
                guard member else { return false }
                words += [UInt64](repeating: 0, count: word - words.count + 1)
            }
            let was = words[word] & bit != 0
            if member { words[word] |= bit } else { words[word] &= ~bit }
            return was != member
        }
    }

    /// Data pages of the database.
    let pageCount: Int
    private let idle = Atomic<Bool>(false)
    private let state = Locked(State())

    /// A ledger for a database of `pageCount` data pages, expectations unknown.
    init(pageCount: Int) { self.pageCount = pageCount }

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

    /// Records or compares the data pages of a batch: one lock, and per page a bit test once
    /// the expectations are known (pages no replayed record changes cost nothing more).
    func observe(_ entries: [(physical: Int, entry: DatabaseSlot.Entry)]) {
        guard !entries.isEmpty, !isIdle else { return }
        state.withLock { state in
            let known = state.expectations != nil
            for (_, entry) in entries {
                guard case .page(let check) = entry else { continue }
                if known, !state.referenced.contains(check.pageNumber) { continue }
                Self.observe(check.pageNumber, PageTimeState(check), &state, count: pageCount)
            }
        }
    }

    private static func observe(_ page: UInt32, _ pageState: PageTimeState?, _ state: inout State, count: Int) {
        if let expectations = state.expectations {
            compare(page, pageState, expectations, &state)
            return
        }
        guard page >= 1, Int(page) <= count else { return }
        if state.recorded.isEmpty { state.recorded = [UInt64](repeating: 0, count: count) }
        switch pageState {
        case .time(let time)?: state.recorded[Int(page) - 1] = time + 1
        case .uninitialized?: state.recorded[Int(page) - 1] = .max
        case nil: state.recorded[Int(page) - 1] = 0
        }
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
                    Self.compare(page, .uninitialized, expectations, &state)
                    while index < expectations.references.count, expectations.references[index].pageNumber == page { index += 1 }
                }
                return
            }
            guard count > 0, pages.lowerBound >= 1, Int(pages.lowerBound) <= count else { return }
            if state.recorded.isEmpty { state.recorded = [UInt64](repeating: 0, count: count) }
            for page in Int(pages.lowerBound)...min(Int(pages.upperBound), count) { state.recorded[page - 1] = .max }
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
            state.referenced = PageBits(expectations, limit: pageCount)
            let recorded = state.recorded
            state.recorded = []
            Self.compare(recorded: recorded, expectations, &state)
            if expectations.isEmpty && expectations.notChecked == nil { idle.store(true, ordering: .releasing) }
        }
    }

    /// Takes the page times `other` recorded before its expectations were known — a tar
    /// stream's per-database session, whose pages this ledger's session adopts — as if those
    /// pages had arrived here (compared at once when the expectations are known). Nothing when
    /// this ledger is idle or `other` recorded nothing.
    func adopt(_ other: PageTimeLedger) {
        guard other !== self, !isIdle else { return }
        let theirs = other.state.withLock { $0.recorded }
        guard !theirs.isEmpty else { return }
        state.withLock { state in
            if let expectations = state.expectations {
                Self.compare(recorded: theirs, expectations, &state)
            } else if state.recorded.isEmpty {
                state.recorded = theirs
            } else {
                for index in theirs.indices where index < state.recorded.count && theirs[index] != 0 { state.recorded[index] = theirs[index] }
            }
        }
    }

    /// Compares the recorded page times (`State.recorded`'s encoding) of every page the
    /// expectations reference.
    private static func compare(recorded: [UInt64], _ expectations: PageTimeExpectations, _ state: inout State) {
        guard !recorded.isEmpty else { return }
        var previous: UInt32?
        for reference in expectations.references where reference.pageNumber != previous {
            previous = reference.pageNumber
            let index = Int(reference.pageNumber) - 1
            guard index >= 0, index < recorded.count, recorded[index] != 0 else { continue }
            let value = recorded[index]
            compare(reference.pageNumber, value == .max ? .uninitialized : .time(value - 1), expectations, &state)
        }
    }

    private static func compare(_ page: UInt32, _ pageState: PageTimeState?, _ expectations: PageTimeExpectations, _ state: inout State) {
        guard let pageState, expectations.firstIndex(of: page) != nil else {
            if state.compared.set(page, false) { state.comparedCount -= 1 }
            if !state.mismatches.isEmpty { state.mismatches[page] = nil }
            return
        }
        if state.compared.set(page, true) { state.comparedCount += 1 }
        let mismatch = expectations.mismatch(page: page, state: pageState)
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
