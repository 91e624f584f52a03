/// What one initialized page tells the structure walk: its owner, level and links, and for
/// the pages that name other pages, what they name — an internal page's children, a tree
/// root's `SPACE_HEADER`, a space-tree leaf's extents, a catalog leaf's trees.
/// docs/structure-format.md §1–4. Pure: reads only the page.
public struct TreePage: Hashable, Sendable {
    /// The B-tree that owns the page. ESE: `objidFDP`.
    public var objectID: UInt32
    /// ESE: `pgnoPrev`.
    public var previousPage: UInt32
    /// ESE: `pgnoNext`.
    public var nextPage: UInt32
    /// ESE: `fFlags`.
    public var flags: PageFlags
    /// An internal page's children, in node order (each node's data is the child's pgno,
    /// btree.cxx / node.cxx). Empty for leaves.
    public var children: [UInt32] = []
    /// A tree root's space header (tag 0), when the page is a root outside a space tree.
    /// ESE: `SPACE_HEADER` (space.hxx:32-70).
    public var spaceHeader: DatabaseSpace.SpaceHeader?
    /// A space-tree leaf's live extents (deleted nodes skipped).
    public var extents: [SpaceExtent] = []
    /// A catalog leaf's (objidFDP 2, MSysObjects) entries that name a tree.
    public var catalogEntries: [CatalogEntry] = []
    /// The first node that cannot be read, when one cannot: damage ESE reports as −1206.
    public var problem: String?

    /// The catalog's objidFDP. ESE: `objidFDPMSO` (cat.hxx:136).
    public static let catalogObjectID: UInt32 = 2

    /// Reads `page`, which must be one whole initialized page of `layout`'s size that passed
    /// its checksum and ESE's page checks (`PageStructure.problem` nil); otherwise fields read
    /// are bounded but meaningless.
    public init(parsing page: RawSpan, layout: PageLayout) {
        objectID = page.uint32(at: PageHeader.Offset.objectID)
        previousPage = page.uint32(at: PageHeader.Offset.previousPage)
        nextPage = page.uint32(at: PageHeader.Offset.nextPage)
        flags = PageFlags(rawValue: page.uint32(at: PageHeader.Offset.flags))
        guard page.byteCount == layout.pageSize, let count = PageNodes.count(page, layout: layout) else {
            problem = "the page is not one page of \(layout.pageSize) bytes"
            return
        }
        if flags.contains(.root), !flags.contains(.spaceTree) {
            spaceHeader = DatabaseSpace.spaceHeader(root: page, layout: layout)
            if spaceHeader == nil { problem = "a tree root without a SPACE_HEADER in its external header" }
        }
        if !flags.contains(.leaf) {
            readChildren(page, layout: layout, count: count)
        } else if flags.contains(.spaceTree) {
            readExtents(page, layout: layout, count: count)
        } else if objectID == Self.catalogObjectID {
            for index in 1..<max(1, count) {
                guard case .success(let node) = TreeNode.read(page, layout: layout, index: index) else { continue }
                if let entry = CatalogEntry(node: node, page: page) { catalogEntries.append(entry) }
            }
        }
    }

    /// An internal page: every node's data is a 4-byte child pgno.
    private mutating func readChildren(_ page: RawSpan, layout: PageLayout, count: Int) {
        guard count >= 2 else {
            problem = "an internal page without nodes"
            return
        }
        children.reserveCapacity(count - 1)
        for index in 1..<count {
            switch TreeNode.read(page, layout: layout, index: index) {
            case .failure(let failure):
                problem = "node \(index): \(failure == .noRoomForData ? "its key leaves no data (JET_errNodeCorrupted)" : "outside the page")"
                return
            case .success(let node):
                guard node.data.count == 4 else {
                    problem = "node \(index) of an internal page has \(node.data.count) data bytes, not a 4-byte child pgno"
                    return
                }
                children.append(page.uint32(at: node.data.lowerBound))
            }
        }
    }

    /// A space-tree leaf: OwnExt or AvailExt extents.
    private mutating func readExtents(_ page: RawSpan, layout: PageLayout, count: Int) {
        for index in 1..<max(1, count) {
            switch TreeNode.read(page, layout: layout, index: index) {
            case .failure:
                problem = "space-tree node \(index) cannot be read (JET_errNodeCorrupted)"
                return
            case .success(let node):
                guard !node.flags.contains(.deleted) else { continue }
                guard let extent = SpaceExtent(node: node, page: page, layout: layout) else {
                    problem = "space-tree node \(index) is not an extent (key of 4 or 5 bytes, 4 data bytes)"
                    return
                }
                extents.append(extent)
            }
        }
    }
}
