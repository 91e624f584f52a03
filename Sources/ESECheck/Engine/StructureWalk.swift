import ESEFormat

/// The finish-time decision of the structure walk: from the database root (pgno 1) and the
/// catalog (pgno 4), every tree the catalog names and every space tree a root's `SPACE_HEADER`
/// names, level by level, over the compact evidence of `StructureState`
/// (docs/structure-format.md §5 lists the rules and their codes).
///
/// Roots come from the catalog, not from scanning page headers for `fPageRoot`: a zeroed or
/// overwritten root keeps no header, and ESE itself finds trees only through the catalog, so
/// only the catalog can say that a tree's root is missing. Pages no tree reaches are free
/// (ESE leaves freed pages as they were), never findings.
struct StructureWalk {
    /// Where a page sits in its tree, as the page above it says.
    enum Role { case root, leaf, `internal` }

    /// Which tree is walked: a data tree (with a `SPACE_HEADER`) or one of its space trees.
    enum Kind { case data, ownExtent, availExtent }

    /// A tree to walk.
    struct Tree {
        var root: UInt32
        var objectID: UInt32
        /// The parent FDP its `SPACE_HEADER` must name (nil: not known).
        var parent: UInt32?
        var kind: Kind
    }

    /// A page of a level: its number and role (nil: a gap below an unreadable parent).
    struct Slot {
        var page: UInt32
        var role: Role
    }

    let state: StructureState
    let pageCount: Int
    let findingLimit: Int
    /// Reads a page again to say exactly what disagrees (when a file is available).
    let reread: ((UInt32) -> TreePage?)?

    private(set) var report = StructureReport(scope: .walked)
    private var visited: PagedValues<UInt64>
    private var catalogLeaves: [UInt32] = []
    private var walkedRoots: [UInt32: UInt32] = [:]

    init(state: StructureState, pageCount: Int, findingLimit: Int, reread: ((UInt32) -> TreePage?)?) {
        self.state = state
        self.pageCount = pageCount
        self.findingLimit = findingLimit
        self.reread = reread
        visited = PagedValues(count: (pageCount + 64) / 64)
    }

    /// The catalog's root. ESE: `pgnoFDPMSO` (cat.hxx:159).
    static let catalogRoot: UInt32 = 4
    /// The database root. ESE: `pgnoSystemRoot`, `objidSystemRoot` (daeconst.hxx:4-5).
    static let databaseRoot: UInt32 = 1

    /// Walks every tree, or says why the trees cannot be found.
    static func run(_ state: StructureState, pageCount: Int, findingLimit: Int,
                    reread: ((UInt32) -> TreePage?)?) -> StructureReport {
        guard !state.overBudget else { return StructureReport(scope: .stateLimit) }
        if let zeroed = zeroedFixedRoots(state, pageCount: pageCount) { return zeroed }
        guard discoverable(state, pageCount: pageCount) else { return StructureReport(scope: .treesNotDiscoverable) }
        var walk = StructureWalk(state: state, pageCount: pageCount, findingLimit: findingLimit, reread: reread)
        walk.walkAll()
        return walk.report
    }

    /// Every ESE database has its root at pgno 1 and the catalog's at pgno 4 (daeconst.hxx:4-5,
    /// cat.hxx:159): when the database root was read all zero, or the catalog root was and the
    /// database root cannot lead the walk to it, no tree can be found — and ESE cannot attach
    /// the database (−1019 on the first read of the root). That is a finding, never a walk
    /// quietly not run. Nil when neither fixed root was read as zero.
    static func zeroedFixedRoots(_ state: StructureState, pageCount: Int) -> StructureReport? {
        guard pageCount >= 1 else { return nil }
        var zeroed: [(page: UInt32, objectID: UInt32, name: String)] = []
        if state.state(databaseRoot) == .zero { zeroed.append((databaseRoot, 1, "database root")) }
        if pageCount >= Int(catalogRoot), state.state(catalogRoot) == .zero, !zeroed.isEmpty || !discoverable(state, pageCount: pageCount) {
            zeroed.append((catalogRoot, TreePage.catalogObjectID, "catalog (MSysObjects) root"))
        }
        guard !zeroed.isEmpty else { return nil }
        var report = StructureReport(scope: .walked)
        report.findings = zeroed.map {
            StructureReport.Finding(page: $0.page, tree: $0.objectID, jetError: .pageNotInitialized,
                                    message: "the \($0.name) (pgno \($0.page)) is all zero (uninitialized): no tree can be found, "
                                        + "and ESE cannot attach the database")
        }
        return report
    }

    /// The gate: pgno 1 is a good root of objid 1 whose `SPACE_HEADER` names no parent, and
    /// pgno 4 a good root of objid 2 whose `SPACE_HEADER` names pgno 1 — or pgno 4 is all zero
    /// while pgno 1 has its space trees (ESE creates every database root with OwnExt and
    /// AvailExt, pgno 2 and 3), and the zeroed catalog root is then the finding.
    static func discoverable(_ state: StructureState, pageCount: Int) -> Bool {
        guard pageCount >= Int(catalogRoot) else { return false }
        func isRoot(_ page: UInt32, objectID: UInt32, parent: UInt32) -> Bool {
            let word = state.words[Int(page) - 1]
            return state.state(page) == .good && word & StructureState.Info.root != 0
                && word & StructureState.Info.spaceTree == 0
                && word & StructureState.Info.fingerprintMask == StructureState.fingerprint(objectID: objectID, previous: 0, next: 0)
                && state.spaceHeaders[page]?.parentPage == parent
        }
        guard isRoot(databaseRoot, objectID: 1, parent: 0) else { return false }
        if state.state(catalogRoot) == .zero { return state.spaceHeaders[databaseRoot]?.hasMultipleExtents ?? false }
        return isRoot(catalogRoot, objectID: TreePage.catalogObjectID, parent: databaseRoot)
    }

    /// The database root, the catalog, then every tree the catalog names.
    mutating func walkAll() {
        walk(Tree(root: Self.databaseRoot, objectID: 1, parent: 0, kind: .data))
        walk(Tree(root: Self.catalogRoot, objectID: TreePage.catalogObjectID, parent: Self.databaseRoot, kind: .data))
        let entries = catalogLeaves.flatMap { state.catalog[$0] ?? [] }
        var tableRoots: [UInt32: UInt32] = [:]
        for entry in entries where entry.kind == .table { tableRoots[entry.objectID] = entry.rootPage }
        for entry in entries {
            switch entry.kind {
            case .table:
                walk(Tree(root: entry.rootPage, objectID: entry.objectID, parent: Self.databaseRoot, kind: .data))
            case .index, .longValue:
                let table = tableRoots[entry.tableID]
                // The primary index is the table's own tree (same pgnoFDP): nothing more to walk.
                if entry.rootPage == table { continue }
                walk(Tree(root: entry.rootPage, objectID: entry.objectID, parent: table, kind: .data))
            }
        }
        if let last = report.lastOwnedPage, Int(last) < pageCount { report.trailingPages = pageCount - Int(last) }
    }

    /// Walks one tree level by level.
    mutating func walk(_ tree: Tree) {
        if let objectID = walkedRoots[tree.root], objectID == tree.objectID { return }
        walkedRoots[tree.root] = tree.objectID
        report.trees += 1
        var level: [Slot?] = [Slot(page: tree.root, role: .root)]
        while !level.isEmpty {
            var below: [Slot?] = []
            for (index, slot) in level.enumerated() {
                guard let slot else {
                    below.append(nil)
                    continue
                }
                let previous: UInt32? = index == 0 ? 0 : level[index - 1]?.page
                let next: UInt32? = index == level.count - 1 ? 0 : level[index + 1]?.page
                guard let children = visit(slot, tree: tree, previous: previous, next: next) else {
                    below.append(nil)
                    continue
                }
                below += children
            }
            // A level of gaps only ends the walk.
            level = below.contains { $0 != nil } ? below : []
        }
    }

    /// Checks one page; returns its children (empty for a leaf), or nil when the walk cannot
    /// go below it.
    mutating func visit(_ slot: Slot, tree: Tree, previous: UInt32?, next: UInt32?) -> [Slot?]? {
        let page = slot.page
        guard page != 0 else {
            find(page, tree, .databaseCorrupted, "a tree node names page 0")
            return nil
        }
        guard Int(page) <= pageCount else {
            report.highestReferencedPage = max(report.highestReferencedPage, page)
            return nil
        }
        guard markVisited(page) else {
            find(page, tree, .databaseCorrupted, "the page is reached twice (again from tree objidFDP \(tree.objectID)): a page in two places")
            return nil
        }
        switch state.state(page) {
        case .notSeen:
            report.pagesNotSupplied += 1
            return nil
        case .zero:
            find(page, tree, .pageNotInitialized, "the page is all zero (uninitialized), but tree objidFDP \(tree.objectID) references it")
            return nil
        case .unusable:
            return nil
        case .good:
            report.pagesInUse += 1
            return checkGood(slot, tree: tree, previous: previous, next: next)
        }
    }

    /// The checks of a page that passed its own: level, owner, links, root facts, nodes.
    mutating func checkGood(_ slot: Slot, tree: Tree, previous: UInt32?, next: UInt32?) -> [Slot?]? {
        let page = slot.page
        let word = state.words[Int(page) - 1]
        let isLeaf = word & StructureState.Info.leaf != 0
        let isRoot = word & StructureState.Info.root != 0
        let isSpace = word & StructureState.Info.spaceTree != 0
        if let wrong = levelProblem(slot.role, isLeaf: isLeaf, isRoot: isRoot, isSpace: isSpace, kind: tree.kind) {
            find(page, tree, .databaseCorrupted, wrong)
            return nil
        }
        let expectedPrevious = slot.role == .root ? 0 : previous, expectedNext = slot.role == .root ? 0 : next
        if let expectedPrevious, let expectedNext {
            let expected = StructureState.fingerprint(objectID: tree.objectID, previous: isLeaf ? expectedPrevious : 0,
                                                      next: isLeaf ? expectedNext : 0)
            if word & StructureState.Info.fingerprintMask != expected {
                find(page, tree, .databaseCorrupted,
                     ownerOrLinkProblem(page, objectID: tree.objectID, isLeaf: isLeaf, previous: expectedPrevious, next: expectedNext))
                return nil
            }
        }
        if word & StructureState.Info.problem != 0 {
            find(page, tree, .databaseCorrupted, state.problems[page] ?? "a node cannot be read")
            return nil
        }
        if slot.role == .root, tree.kind == .data { checkRoot(page, tree: tree) }
        if isLeaf {
            leaf(page, tree: tree)
            return []
        }
        let role: Role = word & StructureState.Info.parentOfLeaf != 0 ? .leaf : .internal
        return state.children(page).map { Slot(page: $0, role: role) }
    }

    /// Whether the page's flags fit where the tree has it.
    func levelProblem(_ role: Role, isLeaf: Bool, isRoot: Bool, isSpace: Bool, kind: Kind) -> String? {
        if isRoot != (role == .root) {
            return isRoot ? "a tree root (fPageRoot) where a child page belongs" : "the tree's root page is not flagged fPageRoot"
        }
        if isSpace != (kind != .data) {
            return isSpace ? "a space-tree page (fPageSpaceTree) in a data tree" : "a page of a space tree without fPageSpaceTree"
        }
        switch role {
        case .leaf where !isLeaf: return "the page above is a parent of leaves (fPageParentOfLeaf), but this page is not a leaf"
        case .internal where isLeaf: return "the page above is an internal page above the parents of leaves, but this page is a leaf"
        default: return nil
        }
    }

    /// What disagrees: exactly, when the page can be read again; else the expectation.
    func ownerOrLinkProblem(_ page: UInt32, objectID: UInt32, isLeaf: Bool, previous: UInt32, next: UInt32) -> String {
        let expected = isLeaf ? "objidFDP \(objectID), pgnoPrev \(previous), pgnoNext \(next)" : "objidFDP \(objectID)"
        guard let actual = reread?(page) else {
            return "the page's owner or sibling links disagree with its tree (expected \(expected))"
        }
        var parts: [String] = []
        if actual.objectID != objectID { parts.append("objidFDP \(actual.objectID), expected \(objectID) (the page belongs to another tree)") }
        if isLeaf, actual.previousPage != previous { parts.append("pgnoPrev \(actual.previousPage), expected \(previous)") }
        if isLeaf, actual.nextPage != next { parts.append("pgnoNext \(actual.nextPage), expected \(next)") }
        return parts.isEmpty ? "the page's owner or sibling links disagree with its tree (expected \(expected))"
            : "sibling chain or owner broken: " + parts.joined(separator: "; ")
    }

    /// A data tree's root: its `SPACE_HEADER` names the right parent; its space trees.
    mutating func checkRoot(_ page: UInt32, tree: Tree) {
        guard let header = state.spaceHeaders[page] else { return }
        if let parent = tree.parent, header.parentPage != parent {
            find(page, tree, .databaseCorrupted, "the root's SPACE_HEADER names parent page \(header.parentPage), but the catalog says \(parent)")
        }
        guard header.hasMultipleExtents else {
            if tree.objectID == 1, header.isVersion1, header.primaryPages > 0 { report.lastOwnedPage = header.primaryPages }
            return
        }
        walk(Tree(root: header.ownExtentRoot, objectID: tree.objectID, parent: nil, kind: .ownExtent))
        walk(Tree(root: header.ownExtentRoot &+ 1, objectID: tree.objectID, parent: nil, kind: .availExtent))
    }

    /// A leaf: its extents (space trees) or catalog entries.
    mutating func leaf(_ page: UInt32, tree: Tree) {
        switch tree.kind {
        case .availExtent:
            for extent in state.extents[page] ?? [] { report.pagesFree += UInt64(extent.pageCount) }
        case .ownExtent where tree.objectID == 1:
            for extent in state.extents[page] ?? [] { report.lastOwnedPage = max(report.lastOwnedPage ?? 0, extent.lastPage) }
        case .data where tree.objectID == TreePage.catalogObjectID:
            catalogLeaves.append(page)
        default: break
        }
    }

    /// Marks a page reached; false when it was reached before.
    mutating func markVisited(_ page: UInt32) -> Bool {
        let word = Int(page) / 64, bit = UInt64(1) << (UInt64(page) % 64)
        if visited[word] & bit != 0 { return false }
        visited[word] |= bit
        return true
    }

    /// Records a finding, within the limit.
    mutating func find(_ page: UInt32, _ tree: Tree, _ error: JetError, _ message: String) {
        if report.findings.count < findingLimit {
            report.findings.append(StructureReport.Finding(page: page, tree: tree.objectID, jetError: error, message: message))
        } else {
            report.findingsOmitted += 1
        }
    }
}
