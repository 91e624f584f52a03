import ESEFormat
import Foundation

/// An independent walk of a database file's B-trees and space trees, written for the tests
/// from ESE's formats alone (ESEFormat's `PageNodes`, `PageStructure`, `DatabaseSpace`) and
/// not from the generator's layout: it finds every tree from the pages' own headers, walks
/// each from its root, and lists every way the file breaks the rules below. The checker's
/// own structure walk is a separate implementation.
///
/// Rules (ESE: cpage.hxx flags, node.hxx nodes, space.hxx `SPACE_HEADER`, space.cxx OE/AE):
/// every initialized page passes its checksum and `PageStructure`; the database root (pgno 1,
/// objid 1) owns pages 1…N exactly (one v1 extent, or its OwnExt tree at `pgnoOE`); every
/// other tree root names a parent tree root and owns extents inside its parent's, disjoint
/// from its siblings' and from the parent's AvailExt; a tree's pages carry its objid, the root
/// flag only on the root, the right level flags (leaf, parent of leaf, internal); internal
/// nodes' data is a child pgno, their keys ascending separators (the last may be empty only
/// on the rightmost page of a level) bounding the keys below them; leaves are chained by
/// `pgnoPrev`/`pgnoNext` in key order, other pages have no sibling links; no page is in two
/// places; every page a tree uses is inside its owned space and not in its AvailExt; every
/// page not used by any tree is all zero.
struct TreeWalker {
    /// One parsed page.
    struct Page {
        var number: UInt32
        var objectID: UInt32
        var previous: UInt32
        var next: UInt32
        var flags: PageFlags
        var external: [UInt8]
        var nodes: [(key: [UInt8], data: [UInt8])]
    }

    /// What the walk found.
    struct Result {
        var problems: [String] = []
        /// Tree roots by objid.
        var roots: [UInt32: UInt32] = [:]
        /// Pages used by trees (roots, internal pages, leaves, space-tree roots).
        var usedPages = Set<UInt32>()
        /// Pages in some AvailExt or free bitmap.
        var freePages = Set<UInt32>()
        /// Leaves per objid, in chain order.
        var leaves: [UInt32: [UInt32]] = [:]
        /// Deepest level per objid (1 = the root is a leaf).
        var depth: [UInt32: Int] = [:]
    }

    let layout: PageLayout
    let pageCount: Int
    var pages: [UInt32: Page] = [:]
    var zeroPages = Set<UInt32>()
    var result = Result()

    /// Parses every data page of `file` (the whole database file).
    init(file bytes: [UInt8], pageSize: Int) {
        layout = PageLayout(pageSize: pageSize)!
        pageCount = bytes.count / pageSize - PageLayout.reservedPages
        for number in 1...max(1, pageCount) where pageCount >= 1 {
            let start = Int(layout.fileOffset(pageNumber: UInt32(number)))
            let page = Array(bytes[start..<start + pageSize])
            if !page.contains(where: { $0 != 0 }) {
                zeroPages.insert(UInt32(number))
                continue
            }
            if let parsed = parse(page, number: UInt32(number)) { pages[UInt32(number)] = parsed }
        }
    }

    func parse(_ bytes: [UInt8], number: UInt32) -> Page? {
        let span = bytes.span.bytes
        var problems: [String] = []
        if (try? PageVerifier.check(span, pageNumber: number, layout: layout))?.outcome != .ok { problems.append("checksum") }
        if let problem = PageStructure.problem(span, layout: layout) { problems.append("structure: \(problem)") }
        guard problems.isEmpty, let count = PageNodes.count(span, layout: layout), count >= 1,
              let external = PageNodes.node(span, layout: layout, index: 0) else { return nil }
        var nodes: [(key: [UInt8], data: [UInt8])] = []
        for index in 1..<count {
            guard let node = PageNodes.keyAndData(span, layout: layout, index: index) else { return nil }
            nodes.append((Array(bytes[node.key]), Array(bytes[node.data])))
        }
        guard let header = try? PageHeader(parsing: span, layout: layout) else { return nil }
        return Page(number: number, objectID: header.objectID, previous: header.previousPage, next: header.nextPage, flags: header.flags,
                    external: Array(bytes[external.bytes]), nodes: nodes)
    }

    /// Walks the file and returns what it found.
    static func walk(file bytes: [UInt8], pageSize: Int) -> Result {
        var walker = TreeWalker(file: bytes, pageSize: pageSize)
        walker.run()
        return walker.result
    }

    mutating func problem(_ text: String) { result.problems.append(text) }

    static func bigEndian(_ bytes: [UInt8]) -> UInt32? {
        bytes.count == 4 ? bytes.reduce(0) { $0 << 8 | UInt32($1) } : nil
    }

    static func littleEndian(_ bytes: [UInt8], at offset: Int = 0) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    mutating func run() {
        let unparsed = (1...UInt32(max(1, pageCount))).filter { pages[$0] == nil && !zeroPages.contains($0) }
        for page in unparsed { problem("page \(page): fails its checksum or structure, or has a compressed node") }
        guard let databaseRoot = pages[1], databaseRoot.objectID == 1, databaseRoot.flags.contains(.root) else {
            problem("pgno 1 is not the database root (objid 1)")
            return
        }
        let roots = pages.values.filter { $0.flags.contains(.root) && !$0.flags.contains(.spaceTree) }.sorted { $0.number < $1.number }
        for root in roots {
            if let previous = result.roots[root.objectID] { problem("objid \(root.objectID) has two roots: \(previous), \(root.number)") }
            result.roots[root.objectID] = root.number
            space(of: root)
        }
        if owned[1] != [1...UInt32(pageCount)] { problem("the database root owns \(owned[1] ?? []), not 1...\(pageCount)") }
        checkOwnership(roots: roots)
        for root in roots { walkTree(root) }
        for number in 1...UInt32(max(1, pageCount)) where !result.usedPages.contains(number) {
            if !zeroPages.contains(number) { problem("page \(number) is in use but no tree references it") }
        }
        for number in result.freePages where !zeroPages.contains(number) { problem("free page \(number) is not all zero") }
    }

    /// Owned extents and free pages per tree root.
    var owned: [UInt32: [ClosedRange<UInt32>]] = [:]
    var free: [UInt32: Set<UInt32>] = [:]
    var parent: [UInt32: UInt32] = [:]

    /// A tree's owned extents and free pages from its `SPACE_HEADER` and its OwnExt and
    /// AvailExt trees (multiple extents) or its free bitmap (one extent).
    mutating func space(of root: Page) {
        guard root.external.count == 16 else {
            problem("root \(root.number): external header of \(root.external.count) bytes, not a SPACE_HEADER")
            return
        }
        let primary = Self.littleEndian(root.external), flags = Self.littleEndian(root.external, at: 8)
        let last = Self.littleEndian(root.external, at: 12)
        parent[root.number] = Self.littleEndian(root.external, at: 4)
        guard flags & 1 != 0 else {
            // One extent: pgnoFDP … + cpgPrimary − 1; bit i of the bitmap frees pgnoFDP + 1 + i.
            guard primary >= 1 else { problem("root \(root.number): empty single extent"); return }
            owned[root.number] = [root.number...root.number + primary - 1]
            free[root.number] = Set((0..<UInt32(32)).filter { last & (1 << $0) != 0 }.map { root.number + 1 + $0 })
            return
        }
        var extents: [ClosedRange<UInt32>] = [], available = Set<UInt32>()
        for (offset, kind) in [(UInt32(0), "OwnExt"), (1, "AvailExt")] {
            let number = last + offset
            guard let page = pages[number], page.objectID == root.objectID,
                  page.flags.isSuperset(of: [.root, .leaf, .spaceTree]), page.previous == 0, page.next == 0 else {
                problem("root \(root.number): \(kind) \(number) is not a space-tree root of objid \(root.objectID)")
                continue
            }
            use(number, by: "\(kind) of objid \(root.objectID)")
            var previousKey: UInt32 = 0
            for node in page.nodes {
                guard let key = Self.bigEndian(node.key), node.data.count == 4, key > previousKey else {
                    problem("\(kind) \(number): node not a 4-byte key above the last, 4-byte data")
                    continue
                }
                previousKey = key
                let count = Self.littleEndian(node.data)
                guard count >= 1, count <= key else { problem("\(kind) \(number): \(count) pages ending at \(key)"); continue }
                if offset == 0 { extents.append(key - count + 1...key) } else { available.formUnion(key - count + 1...key) }
            }
        }
        // Neighbouring extents merged.
        owned[root.number] = extents.reduce(into: []) { merged, extent in
            if let tail = merged.last, tail.upperBound + 1 == extent.lowerBound {
                merged[merged.count - 1] = tail.lowerBound...extent.upperBound
            } else { merged.append(extent) }
        }
        free[root.number] = available
    }

    func owns(_ root: UInt32, _ page: UInt32) -> Bool { owned[root]?.contains { $0.contains(page) } ?? false }

    mutating func use(_ page: UInt32, by owner: String) {
        if !result.usedPages.insert(page).inserted { problem("page \(page) is used twice (again by \(owner))") }
    }

    /// Each tree's extents lie inside its parent's owned space, outside the parent's free
    /// space and outside every other tree's but its ancestors'; free pages are owned.
    mutating func checkOwnership(roots: [Page]) {
        for (root, pagesFree) in free {
            for page in pagesFree where !owns(root, page) { problem("free page \(page) of root \(root) is not owned by it") }
            result.freePages.formUnion(pagesFree)
        }
        var owner: [UInt32: UInt32] = [:]  // page → the deepest tree root owning it
        for root in roots where root.number != 1 {
            guard let up = parent[root.number], owned[up] != nil, up != root.number else {
                problem("root \(root.number): parent \(parent[root.number] ?? 0) is not a tree root")
                continue
            }
            for page in (owned[root.number] ?? []).joined() {
                if !owns(up, page) { problem("page \(page) of root \(root.number) is outside its parent \(up)'s space") }
                if free[up]?.contains(page) == true { problem("page \(page) of root \(root.number) is free in its parent \(up)") }
                if let other = owner[page], other != up, parent[other] != root.number {
                    problem("page \(page) is owned by roots \(other) and \(root.number)")
                }
                if owner[page] == nil || owner[page] == up { owner[page] = root.number }
            }
        }
        deepestOwner = owner
    }

    var deepestOwner: [UInt32: UInt32] = [:]

    /// Walks one B-tree level by level from its root.
    mutating func walkTree(_ root: Page) {
        let objectID = root.objectID
        let kindFlags = root.flags.intersection([.index, .longValue])
        var level: [(page: UInt32, lower: [UInt8]?, upper: [UInt8]?)] = [(root.number, nil, nil)]
        var depth = 0
        while !level.isEmpty {
            depth += 1
            var next: [(page: UInt32, lower: [UInt8]?, upper: [UInt8]?)] = []
            let kinds = Set(level.compactMap { pages[$0.page]?.flags.contains(.leaf) })
            if kinds.count > 1 { problem("objid \(objectID) level \(depth) mixes leaves and internal pages") }
            for (index, item) in level.enumerated() {
                guard let page = pages[item.page] else { problem("objid \(objectID): page \(item.page) is not initialized"); continue }
                use(page.number, by: "objid \(objectID)")
                if (deepestOwner[page.number] ?? 1) != root.number || !owns(root.number, page.number) {
                    problem("page \(page.number) of objid \(objectID) is not in its tree's own space")
                }
                if free[root.number]?.contains(page.number) == true { problem("page \(page.number) of objid \(objectID) is free") }
                checkPage(page, objectID: objectID, isRoot: index == 0 && depth == 1, kindFlags: kindFlags)
                next += children(of: page, lower: item.lower, upper: item.upper)
            }
            if kinds == [true] {
                checkChain(level.map(\.page), objectID: objectID)
                result.leaves[objectID] = level.map(\.page)
                result.depth[objectID] = depth
                break
            }
            if next.isEmpty, kinds == [false] { problem("objid \(objectID): internal pages without children") }
            level = next
        }
    }

    mutating func checkPage(_ page: Page, objectID: UInt32, isRoot: Bool, kindFlags: PageFlags) {
        let name = "page \(page.number) (objid \(objectID))"
        if page.objectID != objectID { problem("\(name): objidFDP \(page.objectID)") }
        if page.flags.contains(.root) != isRoot { problem("\(name): root flag \(page.flags.contains(.root))") }
        if page.flags.contains(.spaceTree) { problem("\(name): space-tree flag in a B-tree") }
        if page.flags.intersection([.index, .longValue]) != kindFlags { problem("\(name): index/long-value flags differ from its root's") }
        if page.flags.contains(.leaf), page.flags.contains(.parentOfLeaf) { problem("\(name): leaf and parent of leaf") }
        if !page.flags.contains(.leaf), page.previous != 0 || page.next != 0 { problem("\(name): sibling links on an internal page") }
    }

    /// The children of an internal page with their key bounds; the keys of a leaf checked.
    mutating func children(of page: Page, lower: [UInt8]?, upper: [UInt8]?) -> [(page: UInt32, lower: [UInt8]?, upper: [UInt8]?)] {
        var previous = lower
        var result: [(page: UInt32, lower: [UInt8]?, upper: [UInt8]?)] = []
        for (index, node) in page.nodes.enumerated() {
            let isLast = index == page.nodes.count - 1
            let emptyLast = !page.flags.contains(.leaf) && node.key.isEmpty && isLast && upper == nil
            if !emptyLast {
                if let previous, !previous.lexicographicallyPrecedes(node.key) {
                    problem("page \(page.number): key \(index + 1) does not ascend")
                }
                if let upper, upper.lexicographicallyPrecedes(node.key) { problem("page \(page.number): key \(index + 1) above its parent's separator") }
            }
            guard !page.flags.contains(.leaf) else { previous = node.key; continue }
            guard node.data.count == 4 else { problem("page \(page.number): internal node \(index + 1) data is not a pgno"); continue }
            let child = Self.littleEndian(node.data)
            if let childPage = pages[child], childPage.flags.contains(.leaf) != page.flags.contains(.parentOfLeaf) {
                problem("page \(page.number): child \(child) is at the wrong level")
            }
            result.append((child, previous, emptyLast ? upper : node.key))
            previous = node.key
        }
        if let last = page.nodes.last, !page.flags.contains(.leaf), upper != nil, last.key != upper! {
            problem("page \(page.number): last separator differs from its parent's")
        }
        return result
    }

    /// Leaves chained by their sibling links in key order.
    mutating func checkChain(_ leaves: [UInt32], objectID: UInt32) {
        for (index, number) in leaves.enumerated() {
            guard let page = pages[number] else { continue }
            let previous = index > 0 ? leaves[index - 1] : 0, next = index + 1 < leaves.count ? leaves[index + 1] : 0
            if page.previous != previous || page.next != next {
                problem("leaf \(number) (objid \(objectID)): links \(page.previous)/\(page.next), expected \(previous)/\(next)")
            }
        }
    }
}
