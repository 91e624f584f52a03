import ESEFormat

/// What the structure walk needs from one database's pages, gathered compactly while the pages
/// arrive — in any order, from any thread (the slot's lock is held while recording) — and
/// walked once in `finish()` (`StructureWalk`).
///
/// Memory bound: 4 bytes per data page supplied (`words`, held in `PagedValues` chunks, so a
/// declared size or a sparse file's holes cost nothing until pages arrive: the page's state, level flags and a 24-bit
/// fingerprint of its owner and sibling links), plus what pages that name other pages carry
/// (internal pages' child lists, roots' space headers, space-tree extents, catalog entries,
/// node problems), capped at another 4 bytes per data page (`budget`). Past the cap the walk
/// is not attempted and the report says so (`StructureReport.Scope.stateLimit`): at most 8 bytes
/// per database page are ever held. A consistent database stays far below the cap: every page
/// is the child of at most one internal page.
struct StructureState: Sendable {
    /// A page's state in the top two bits of its word's info byte.
    enum PageState: UInt32 {
        /// Not supplied (yet).
        case notSeen = 0
        /// All zero: uninitialized (ESE `FPageIsInitialized` false).
        case zero = 1
        /// Passed its checksum and ESE's page checks.
        case good = 2
        /// Failed a check (reported as a bad page) or was corrected: not walked through.
        case unusable = 3
    }

    /// Info bits (the top 8 bits of a word).
    enum Info {
        static let leaf: UInt32 = 1 << 26
        static let parentOfLeaf: UInt32 = 1 << 27
        static let root: UInt32 = 1 << 28
        static let spaceTree: UInt32 = 1 << 29
        static let problem: UInt32 = 1 << 30
        static let stateShift: UInt32 = 24
        static let fingerprintMask: UInt32 = 0x00FF_FFFF
    }

    /// Where an internal page's children lie in `childStore`.
    struct ChildRange: Sendable {
        var start: UInt32
        var count: UInt32
    }

    /// One word per data page (index pgno − 1).
    var words: PagedValues<UInt32>
    var childRanges: [UInt32: ChildRange] = [:]
    var childStore: [UInt32] = []
    var spaceHeaders: [UInt32: DatabaseSpace.SpaceHeader] = [:]
    var extents: [UInt32: [SpaceExtent]] = [:]
    var catalog: [UInt32: [CatalogEntry]] = [:]
    var problems: [UInt32: String] = [:]
    /// Bytes held beyond `words`, and the most that may be.
    private(set) var extraBytes = 0
    let budget: Int
    /// Whether the evidence outgrew the budget (the walk is then not attempted).
    private(set) var overBudget = false

    init(pageCount: Int) {
        words = PagedValues(count: pageCount)
        budget = 4 * pageCount + (1 << 20)
    }

    /// The 24-bit fingerprint of a page's owner and links: links count only on leaves (ESE
    /// keeps sibling links on the leaf level; docs/structure-format.md §2).
    static func fingerprint(objectID: UInt32, previous: UInt32, next: UInt32) -> UInt32 {
        var x = UInt64(objectID) &* 0x9E37_79B9_7F4A_7C15 ^ (UInt64(previous) << 32 | UInt64(next))
        x ^= x >> 31
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        x = x &* 0x94D0_49BB_1331_11EB
        x ^= x >> 32
        return UInt32(truncatingIfNeeded: x) & Info.fingerprintMask
    }

    /// A batch's evidence, gathered outside the lock: each page's word packed with its number
    /// (plain integers, so a batch of thousands of pages costs no per-element bookkeeping), and
    /// the parsed details of the few pages that name other pages.
    struct EvidenceBatch {
        /// `pgno << 32 | word` per page.
        var words: [UInt64] = []
        /// The pages whose details the walk keeps.
        var details: [(page: UInt32, tree: TreePage)] = []

        /// Adds page `pgno`'s evidence.
        mutating func append(_ evidence: Evidence, page pgno: UInt32) {
            let word: UInt32
            switch evidence {
            case .zero: word = PageState.zero.rawValue << Info.stateShift
            case .unusable: word = PageState.unusable.rawValue << Info.stateShift
            case .good(let good, let tree):
                word = good
                if let tree { details.append((pgno, tree)) }
            }
            words.append(UInt64(pgno) << 32 | UInt64(word))
        }
    }

    /// One page's evidence, computed outside the lock.
    enum Evidence: Sendable {
        case zero
        case unusable
        case good(word: UInt32, details: TreePage?)

        /// The evidence of a page whose check ended in `outcome`.
        init(page: RawSpan, layout: PageLayout, outcome: PageOutcome) {
            switch outcome {
            case .uninitialized: self = .zero
            case .ok:
                guard let links = PageHeader.siblingLinks(page) else {
                    self = .unusable
                    return
                }
                let flags = PageFlags(rawValue: page.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: PageHeader.Offset.flags, as: UInt32.self) }.littleEndian)
                let objectID = page.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: PageHeader.Offset.objectID, as: UInt32.self) }.littleEndian
                let leaf = flags.contains(.leaf)
                var word = StructureState.fingerprint(objectID: objectID, previous: leaf ? links.previous : 0, next: leaf ? links.next : 0)
                word |= PageState.good.rawValue << Info.stateShift
                if leaf { word |= Info.leaf }
                if flags.contains(.parentOfLeaf) { word |= Info.parentOfLeaf }
                if flags.contains(.root) { word |= Info.root }
                if flags.contains(.spaceTree) { word |= Info.spaceTree }
                // Most pages are plain leaves: nothing more to read. The rest name other pages.
                let names = !leaf || flags.contains(.root) || flags.contains(.spaceTree) || objectID == TreePage.catalogObjectID
                guard names else {
                    self = .good(word: word, details: nil)
                    return
                }
                let tree = TreePage(parsing: page, layout: layout)
                if tree.problem != nil { word |= Info.problem }
                let keep = !tree.children.isEmpty || tree.spaceHeader != nil || !tree.extents.isEmpty
                    || !tree.catalogEntries.isEmpty || tree.problem != nil
                self = .good(word: word, details: keep ? tree : nil)
            default: self = .unusable
            }
        }
    }

    /// Records a batch's evidence gathered by `EvidenceBatch` (later copies replace earlier ones).
    mutating func record(_ batch: EvidenceBatch) {
        for packed in batch.words {
            let index = Int(packed >> 32) - 1
            if words.indices.contains(index) { words[index] = UInt32(truncatingIfNeeded: packed) }
        }
        for (page, tree) in batch.details { keep(tree, page: page) }
    }

    /// Records page `pgno`'s evidence (a later copy replaces an earlier one).
    mutating func record(_ evidence: Evidence, page pgno: UInt32) {
        let index = Int(pgno) - 1
        guard words.indices.contains(index) else { return }
        switch evidence {
        case .zero: words[index] = PageState.zero.rawValue << Info.stateShift
        case .unusable: words[index] = PageState.unusable.rawValue << Info.stateShift
        case .good(let word, let details):
            words[index] = word
            if let details { keep(details, page: pgno) }
        }
    }

    /// Forgets what page `pgno` showed: its bytes turned out not to be the file's (a mapped
    /// window the file shrank under), so the walk treats it as never seen.
    mutating func forget(page pgno: UInt32) {
        let index = Int(pgno) - 1
        guard words.indices.contains(index) else { return }
        words[index] = PageState.notSeen.rawValue << Info.stateShift
        childRanges[pgno] = nil; spaceHeaders[pgno] = nil; extents[pgno] = nil; catalog[pgno] = nil; problems[pgno] = nil
    }

    /// Marks a range of pages (pgno) all zero: holes of a sparse file.
    mutating func recordZero(_ pages: ClosedRange<Int>) {
        words.fill(pages.lowerBound - 1..<pages.upperBound, with: PageState.zero.rawValue << Info.stateShift)
    }

    private mutating func keep(_ tree: TreePage, page: UInt32) {
        guard !overBudget else { return }
        var bytes = 0
        if !tree.children.isEmpty {
            childRanges[page] = ChildRange(start: UInt32(childStore.count), count: UInt32(tree.children.count))
            childStore += tree.children
            bytes += 16 + 4 * tree.children.count
        }
        if let header = tree.spaceHeader { spaceHeaders[page] = header; bytes += 32 }
        if !tree.extents.isEmpty { extents[page] = tree.extents; bytes += 16 + 12 * tree.extents.count }
        if !tree.catalogEntries.isEmpty { catalog[page] = tree.catalogEntries; bytes += 16 + 16 * tree.catalogEntries.count }
        if let problem = tree.problem { problems[page] = problem; bytes += 32 + problem.utf8.count }
        extraBytes += bytes
        if extraBytes > budget {
            // Drop the details: the walk will not run, and nothing more is kept.
            overBudget = true
            childRanges = [:]; childStore = []; spaceHeaders = [:]; extents = [:]; catalog = [:]; problems = [:]
        }
    }

    /// The state of page `pgno` (1-based).
    func state(_ pgno: UInt32) -> PageState {
        PageState(rawValue: (words[Int(pgno) - 1] >> Info.stateShift) & 0x3)!
    }

    /// The children of internal page `pgno`, in node order.
    func children(_ pgno: UInt32) -> ArraySlice<UInt32> {
        guard let range = childRanges[pgno] else { return [] }
        return childStore[Int(range.start)..<Int(range.start + range.count)]
    }
}
