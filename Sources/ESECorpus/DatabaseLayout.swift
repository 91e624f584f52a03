import ESEFormat

/// Where every page of a generated database belongs, as ESE lays a database out: the
/// database root (pgno 1, objid 1) with its OwnExt and AvailExt trees (pgno 2 and 3), the
/// catalog MSysObjects (pgno 4, objid 2) with its two fixed indexes (pgno 7 and 10, objids 4
/// and 5), the shadow catalog MSysObjectsShadow (pgno 24, objid 3), then user tables, each
/// a B-tree in one extent of its own with its own space trees. The unused pages of a table
/// are the tail of its extent, listed in its AvailExt and all zero.
///
/// Every answer is a pure function of the page number and the spec — nothing is held per
/// page — so pages can be written in any order by any number of threads.
///
/// ESE: `pgnoSystemRoot` = 1 (daeconst.hxx:4); the root's OwnExt and AvailExt are the next
/// two pages (`ErrSPICreateMultiple`, space.cxx:3175-3196; `PgnoAE` = `PgnoOE` + 1,
/// space.hxx:122); the catalog's pages and objids (cat.hxx:136-169, cat.cxx:2277-2304):
/// MSysObjects at 4 with 20 pages, its name index at 7 and root-object index at 10, the
/// shadow at 24 with 5 pages (6 on 2 KiB pages, `CpgCATShadowInitial`). ESE cannot create a
/// database of fewer than about 30 pages (`CpgDBDatabaseMinMin`, db.cxx:452-479); smaller
/// generated files are a single-extent root with one single-extent table (`compact`).
public struct DatabaseLayout: Hashable, Sendable {
    /// One B-tree and the extent it owns.
    public struct Tree: Hashable, Sendable {
        /// The tree's object ID. ESE: `objidFDP`.
        public var objectID: UInt32
        /// The tree's root page. ESE: `pgnoFDP`.
        public var rootPage: UInt32
        /// Pages owned, from `rootPage` on (one extent). ESE: `cpgPrimary`.
        public var ownedPages: Int
        /// The parent tree's root page (0 for the database root). ESE: `pgnoParent`.
        public var parentPage: UInt32
        /// Whether the tree has OwnExt and AvailExt trees (at `rootPage` + 1 and + 2).
        /// ESE: `fSPHMultipleExtent`.
        public var multipleExtent: Bool
        /// The first page below the root (parents of leaves, then leaves).
        public var firstDataPage: UInt32
        /// Pages below the root in use: parents of leaves and leaves.
        public var dataPages: Int
        /// Extra page flags of every page of the tree (`index` for a secondary index).
        public var treeFlags: PageFlags
        /// Leaves below one parent-of-leaf page at most (and parents below the root).
        public var fanout = 32

        /// Parent-of-leaf pages below the root: none when the root is itself the parent of
        /// the leaves (or a leaf).
        public var parentPages: Int { dataPages <= fanout ? 0 : (dataPages + fanout) / (fanout + 1) }
        /// Leaf pages below the root.
        public var leafPages: Int { dataPages - parentPages }
        /// The root's level: leaf (no pages below), parent of leaf, or internal.
        public var rootFlags: PageFlags {
            dataPages == 0 ? .leaf : parentPages == 0 ? .parentOfLeaf : []
        }
        /// The last page of the extent the tree owns.
        public var lastOwnedPage: UInt32 { rootPage + UInt32(ownedPages) - 1 }
        /// The free tail of a tree's extent after its data pages, as (last page, page count),
        /// or nil when every page is in use. The database root's pages all belong to the
        /// trees below it, so it has none.
        public var freeExtent: (last: UInt32, pages: Int)? {
            let first = Int(firstDataPage) + dataPages
            guard parentPage != 0, first <= Int(lastOwnedPage) else { return nil }
            return (lastOwnedPage, Int(lastOwnedPage) - first + 1)
        }
        /// The page of leaf `index`.
        public func leafPage(_ index: Int) -> UInt32 { firstDataPage + UInt32(parentPages + index) }
        /// The page of parent-of-leaf page `index`.
        public func parentPage(_ index: Int) -> UInt32 { firstDataPage + UInt32(index) }
        /// The first leaf below parent-of-leaf page `index` (`leafPages` for one past the last).
        public func firstLeaf(ofParent index: Int) -> Int {
            (index * leafPages + parentPages - 1) / parentPages
        }
        /// The parent-of-leaf page above leaf `index`.
        public func parent(ofLeaf index: Int) -> Int { index * parentPages / leafPages }
    }

    /// What a page is.
    public enum Role: Hashable, Sendable {
        /// Not in use: all zero, in an AvailExt or a single-extent tree's free bitmap.
        case free
        /// A tree's root page (its FDP), with its `SPACE_HEADER`.
        case root(Tree)
        /// A tree's OwnExt root. ESE: `pgnoOE`.
        case ownExtent(Tree)
        /// A tree's AvailExt root. ESE: `pgnoAE`.
        case availExtent(Tree)
        /// A parent-of-leaf page below an internal root (its index among them).
        case parentOfLeaf(Tree, Int)
        /// A leaf page (its index in key order).
        case leaf(Tree, Int)
    }

    /// Logical data pages.
    public let pageCount: Int
    /// The page size.
    public let pageSize: Int
    /// The fraction of each user table's pages below its root that are in use.
    public let usedFraction: Double
    /// Fewer pages than ESE's smallest database: one single-extent table under a single-extent root.
    public var isCompact: Bool { pageCount < Self.smallestFullLayout }
    /// The first page of the user tables.
    public let firstUserPage: Int
    /// Pages per user table (the last table also takes the rest).
    public let tablePages: Int

    /// The smallest database laid out as ESE creates one (`CpgDBDatabaseMinMin` plus slack).
    public static let smallestFullLayout = 32
    /// User tables at most: the catalog's eleven leaves name every one (`catalogEntries`).
    public static let tablesMost = 100
    /// The objid of the first user table (after the system objids 1–5, cat.hxx:136-141).
    public static let firstTableObjectID: UInt32 = 6
    /// The database root's primary extent at most; the rest are secondary extents.
    static let primaryExtentPages = 256
    /// Root OwnExt nodes at most (one page of 10-byte nodes on the smallest page).
    static let rootExtentsMost = 128

    /// The layout of `spec`'s database.
    public init(_ spec: DatabaseSpec) {
        self.init(pageCount: spec.pageCount, pageSize: spec.header.pageSize, usedFraction: spec.usedFraction)
    }

    /// The layout of a database of `pageCount` pages of `pageSize` bytes.
    public init(pageCount: Int, pageSize: Int, usedFraction: Double) {
        self.pageCount = max(0, pageCount)
        self.pageSize = pageSize
        self.usedFraction = max(0, min(1, usedFraction.isNaN ? 1 : usedFraction))
        if pageCount < Self.smallestFullLayout {
            firstUserPage = 2
            tablePages = max(1, pageCount - 1)
        } else {
            // MSysObjectsShadow: 5 pages, 6 on 2 KiB pages (cat.hxx:163-181).
            firstUserPage = 24 + (pageSize <= 2048 ? 6 : 5)
            let userPages = pageCount - firstUserPage + 1
            tablePages = max(16, min(2048, userPages / 8), (userPages + Self.tablesMost - 1) / Self.tablesMost)
        }
    }

    /// The database root: multi-extent with OwnExt and AvailExt at pgno 2 and 3, or (compact)
    /// one single extent.
    public var databaseRoot: Tree {
        Tree(objectID: 1, rootPage: 1, ownedPages: pageCount, parentPage: 0, multipleExtent: !isCompact,
             firstDataPage: isCompact ? 2 : 4, dataPages: 0, treeFlags: [])
    }

    /// The size of the root's primary extent (its `cpgPrimary`).
    public var rootPrimaryPages: Int { isCompact ? pageCount : min(pageCount, Self.primaryExtentPages) }

    /// The root's owned extents as (last page, page count), in page order: the primary extent,
    /// then secondary extents of equal size, the last one shorter. ESE: the root's OwnExt
    /// ("OE [pgnoLast] [cpgExt]", space.cxx).
    public var rootExtents: [(last: UInt32, pages: Int)] {
        let primary = rootPrimaryPages
        var extents = [(UInt32(primary), primary)]
        let rest = pageCount - primary
        guard rest > 0 else { return extents }
        var size = Self.primaryExtentPages
        while (rest + size - 1) / size > Self.rootExtentsMost - 1 { size *= 2 }
        var first = primary + 1
        while first <= pageCount {
            let count = min(size, pageCount - first + 1)
            extents.append((UInt32(first + count - 1), count))
            first += count
        }
        return extents
    }

    /// User tables.
    public var tableCount: Int {
        let userPages = pageCount - firstUserPage + 1
        return userPages <= 0 ? 0 : max(1, userPages / tablePages)
    }

    /// The highest objid used. ESE: `le_objidLast`.
    public var lastObjectID: UInt32 { Self.firstTableObjectID + UInt32(max(tableCount, 1)) - 1 }

    /// User table `index` (0-based): its extent of `tablePages` pages (the last also takes the rest).
    public func table(_ index: Int) -> Tree {
        let first = firstUserPage + index * tablePages
        let owned = index == tableCount - 1 ? pageCount - first + 1 : tablePages
        let multiple = !isCompact
        let overhead = multiple ? 3 : 1
        let available = max(0, owned - overhead)
        // Nodes of 14 bytes (10-byte node, 4-byte tag) in a root that also holds its SPACE_HEADER.
        let capacity = (pageSize - (pageSize > 8192 ? 80 : 40) - 20) / 14 - 1
        // Three levels hold capacity × (capacity + 1) pages; a larger extent keeps the rest free.
        let used = min(available == 0 ? 0 : Int((Double(available) * usedFraction).rounded(.down)), capacity * (capacity + 1))
        return Tree(objectID: Self.firstTableObjectID + UInt32(index), rootPage: UInt32(first), ownedPages: owned,
                    parentPage: 1, multipleExtent: multiple, firstDataPage: UInt32(first + overhead), dataPages: used,
                    treeFlags: [], fanout: min(capacity, max(32, (used + capacity - 1) / capacity)))
    }

    /// One catalog record that names a tree: (`ObjidTable`, `Type`, `Id`, `PgnoFDP`), `Type` 1
    /// a table, 3 an index (cat.hxx:29-32, 90-94). MSysObjects itself, its two indexes, the
    /// shadow catalog, then every user table (ESE's catalog also holds columns and primary
    /// indexes; they name no tree of their own).
    public var catalogEntries: [(table: UInt32, type: UInt16, id: UInt32, rootPage: UInt32)] {
        guard !isCompact else { return [] }
        var entries: [(table: UInt32, type: UInt16, id: UInt32, rootPage: UInt32)] = [(2, 1, 2, 4), (2, 3, 4, 7), (2, 3, 5, 10), (3, 1, 3, 24)]
        for index in 0..<tableCount {
            let tree = table(index)
            entries.append((tree.objectID, 1, tree.objectID, tree.rootPage))
        }
        return entries
    }

    /// The catalog MSysObjects: pgno 4, objid 2, 20 pages, its leaves after its two indexes.
    public static let catalog = Tree(objectID: 2, rootPage: 4, ownedPages: 20, parentPage: 1, multipleExtent: true,
                                     firstDataPage: 13, dataPages: 11, treeFlags: [])
    /// MSysObjects' name index: pgno 7, objid 4 (cat.hxx:139,160), a root leaf.
    public static let catalogNameIndex = Tree(objectID: 4, rootPage: 7, ownedPages: 3, parentPage: 4, multipleExtent: true,
                                              firstDataPage: 10, dataPages: 0, treeFlags: .index)
    /// MSysObjects' root-object index: pgno 10, objid 5 (cat.hxx:140,161), a root leaf.
    public static let catalogRootObjectIndex = Tree(objectID: 5, rootPage: 10, ownedPages: 3, parentPage: 4,
                                                    multipleExtent: true, firstDataPage: 13, dataPages: 0, treeFlags: .index)
    /// MSysObjectsShadow: pgno 24, objid 3 (cat.hxx:137,169), its pages all in use.
    public var shadowCatalog: Tree {
        let owned = firstUserPage - 24
        return Tree(objectID: 3, rootPage: 24, ownedPages: owned, parentPage: 1, multipleExtent: true,
                    firstDataPage: 27, dataPages: owned - 3, treeFlags: [])
    }

    /// Every tree of the database, the database root first.
    public var trees: [Tree] {
        var result = [databaseRoot]
        if !isCompact { result += [Self.catalog, Self.catalogNameIndex, Self.catalogRootObjectIndex, shadowCatalog] }
        result += (0..<tableCount).map(table)
        return result
    }

    /// What page `pageNumber` is.
    public func role(of pageNumber: UInt32) -> Role {
        let page = Int(pageNumber)
        guard page >= 1, page <= pageCount else { return .free }
        if page == 1 { return .root(databaseRoot) }
        if !isCompact, page < firstUserPage {
            switch page {
            case 2, 3: return page == 2 ? .ownExtent(databaseRoot) : .availExtent(databaseRoot)
            case 4...6: return Self.treeRole(Self.catalog, page: page)
            case 7...9: return Self.treeRole(Self.catalogNameIndex, page: page)
            case 10...12: return Self.treeRole(Self.catalogRootObjectIndex, page: page)
            case 13...23: return Self.treeRole(Self.catalog, page: page)
            default: return Self.treeRole(shadowCatalog, page: page)
            }
        }
        let count = tableCount
        guard count > 0 else { return .free }
        let index = min(count - 1, (page - firstUserPage) / tablePages)
        return Self.treeRole(table(index), page: page)
    }

    /// The role of `page` inside `tree`'s extent.
    static func treeRole(_ tree: Tree, page: Int) -> Role {
        let offset = page - Int(tree.rootPage)
        if offset == 0 { return .root(tree) }
        if tree.multipleExtent, offset == 1 { return .ownExtent(tree) }
        if tree.multipleExtent, offset == 2 { return .availExtent(tree) }
        let data = page - Int(tree.firstDataPage)
        guard data >= 0, data < tree.dataPages else { return .free }
        let parents = tree.parentPages
        return data < parents ? .parentOfLeaf(tree, data) : .leaf(tree, data - parents)
    }
}
