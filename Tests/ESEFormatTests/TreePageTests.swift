import ESETestSupport
@testable import ESEFormat
import Testing

/// The structures the structure walk reads (docs/structure-format.md), on hand-built pages:
/// nodes with and without prefix compression, internal pages' child pointers, space headers,
/// OwnExt/AvailExt extents, catalog records.
@Suite struct TreePageTests {
    /// A page built tag by tag: tag 0 first, each node appended to the data area.
    struct Builder {
        let layout: PageLayout
        var page: [UInt8]
        var used = 0
        var tags = 0

        init(_ layout: PageLayout = PageLayout(pageSize: 4096)!, flags: PageFlags, objectID: UInt32 = 7,
             previous: UInt32 = 0, next: UInt32 = 0) {
            self.layout = layout
            page = [UInt8](repeating: 0, count: layout.pageSize)
            page.storeLE(previous, at: PageHeader.Offset.previousPage)
            page.storeLE(next, at: PageHeader.Offset.nextPage)
            page.storeLE(objectID, at: PageHeader.Offset.objectID)
            page.storeLE(flags.rawValue | PageFlags.newRecordFormat.rawValue, at: PageHeader.Offset.flags)
        }

        /// Appends a node: its raw bytes and node flags (small pages keep them in the tag's `ib`,
        /// large pages in the node's first word).
        mutating func add(_ bytes: [UInt8], flags: UInt8 = 0) {
            var bytes = bytes
            if layout.isLarge, flags != 0, bytes.count >= 2 { bytes[1] |= flags << 5 }
            let start = layout.headerSize + used
            page.replaceSubrange(start..<start + bytes.count, with: bytes)
            let tag = layout.pageSize - 4 * (tags + 1)
            page.storeLE(UInt16(bytes.count), at: tag)
            page.storeLE(UInt16(used) | (layout.isLarge ? 0 : UInt16(flags) << 13), at: tag + 2)
            used += bytes.count
            tags += 1
            page.storeLE(UInt16(tags), at: PageHeader.Offset.tagState)
            page.storeLE(UInt16(used), at: PageHeader.Offset.firstFreeByte)
            page.storeLE(UInt16(layout.pageSize - layout.headerSize - used - 4 * tags), at: PageHeader.Offset.freeBytes)
        }

        /// A node with an uncompressed key.
        mutating func add(key: [UInt8], data: [UInt8], flags: UInt8 = 0) {
            add([UInt8(key.count & 0xFF), UInt8(key.count >> 8)] + key + data, flags: flags)
        }

        var tree: TreePage { TreePage(parsing: page.span.bytes, layout: layout) }
    }

    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
    static func be32(_ value: UInt32) -> [UInt8] { (0..<4).reversed().map { UInt8((value >> (8 * $0)) & 0xFF) } }

    @Test func uncompressedAndCompressedNodes() throws {
        for layout in [PageLayout(pageSize: 4096)!, PageLayout(pageSize: 32768)!] {
            var builder = Builder(layout, flags: [.leaf])
            builder.add([0xAA, 0xBB, 0xCC])                                  // tag 0: the key prefix
            builder.add(key: [1, 2], data: [9, 9, 9])
            builder.add([2, 0, 1, 0, 0x44, 7, 7], flags: PageNodes.Flags.compressed.rawValue)   // prefix 2, suffix [0x44]
            let page = builder.page.span.bytes
            let plain = try TreeNode.read(page, layout: layout, index: 1).get()
            #expect(plain.prefixCount == 0 && plain.suffix.count == 2 && plain.data.count == 3)
            #expect(plain.key(in: page, layout: layout) == [1, 2])
            let compressed = try TreeNode.read(page, layout: layout, index: 2).get()
            #expect(compressed.flags.contains(.compressed) && compressed.prefixCount == 2 && compressed.data.count == 2)
            #expect(compressed.key(in: page, layout: layout) == [0xAA, 0xBB, 0x44])
        }
    }

    @Test func nodeWhoseKeyLeavesNoDataIsCorrupt() {
        var builder = Builder(flags: [.leaf])
        builder.add([])
        builder.add(key: [1, 2, 3], data: [])                               // node.cxx: SuffixLeavesRoomForZeroData
        builder.add([5], flags: 0)                                           // shorter than the key count
        let page = builder.page.span.bytes
        #expect(TreeNode.read(page, layout: builder.layout, index: 1) == .failure(.noRoomForData))
        #expect(TreeNode.read(page, layout: builder.layout, index: 2) == .failure(.noRoomForData))
        #expect(TreeNode.read(page, layout: builder.layout, index: 3) == .failure(.tagOutOfBounds))
        #expect(TreeNode.read(page, layout: builder.layout, index: 0) == .failure(.tagOutOfBounds))
    }

    @Test func internalPageNamesItsChildrenInOrder() {
        var builder = Builder(flags: [.parentOfLeaf], objectID: 9)
        builder.add([])
        builder.add(key: [0x10], data: Self.le32(41))
        builder.add(key: [0x20], data: Self.le32(40))
        builder.add(key: [], data: Self.le32(77))
        let tree = builder.tree
        #expect(tree.children == [41, 40, 77] && tree.problem == nil && tree.objectID == 9)
        builder.add(key: [0x30], data: [1, 2, 3])
        #expect(builder.tree.problem?.contains("3 data bytes") == true)
        var empty = Builder(flags: [.parentOfLeaf])
        empty.add([])
        #expect(empty.tree.problem == "an internal page without nodes")
    }

    @Test func rootCarriesItsSpaceHeader() throws {
        var builder = Builder(flags: [.root, .leaf], objectID: 6)
        builder.add(Self.le32(8) + Self.le32(1) + Self.le32(0x05) + Self.le32(30))
        let header = try #require(builder.tree.spaceHeader)
        #expect(header.parentPage == 1 && header.hasMultipleExtents && header.ownExtentRoot == 30 && header.primaryPages == 8)
        var bare = Builder(flags: [.root, .leaf])
        bare.add([1, 2, 3])
        #expect(bare.tree.spaceHeader == nil && bare.tree.problem != nil)
        var spaceRoot = Builder(flags: [.root, .leaf, .spaceTree])
        spaceRoot.add([])
        #expect(spaceRoot.tree.spaceHeader == nil && spaceRoot.tree.problem == nil)
    }

    @Test func spaceTreeLeafExtents() {
        var builder = Builder(flags: [.leaf, .spaceTree], objectID: 1)
        builder.add([])
        builder.add(key: Self.be32(0x2E), data: Self.le32(46))                   // legacy 4-byte key
        builder.add(key: [0x82] + Self.be32(0x1FE), data: Self.le32(5))           // pool 2 (fSPAvailExtReservedPool)
        builder.add(key: Self.be32(0x3E), data: Self.le32(16), flags: PageNodes.Flags.deleted.rawValue)
        let tree = builder.tree
        #expect(tree.problem == nil)
        #expect(tree.extents == [SpaceExtent(lastPage: 0x2E, pageCount: 46), SpaceExtent(lastPage: 0x1FE, pageCount: 5, pool: 2)])
        builder.add(key: [0x02] + Self.be32(9), data: Self.le32(1))                // 5 bytes without the marker
        #expect(builder.tree.problem?.contains("not an extent") == true)
    }

    @Test func compressedSpaceKeyTakesItsPrefixFromTheExternalHeader() {
        var builder = Builder(flags: [.leaf, .spaceTree], objectID: 1)
        builder.add([0, 0, 1])
        builder.add([3, 0, 1, 0, 0xFE] + Self.le32(254), flags: PageNodes.Flags.compressed.rawValue)
        #expect(builder.tree.extents == [SpaceExtent(lastPage: 0x1FE, pageCount: 254)])
    }

    /// A catalog record: RECHDR, ObjidTable, Type, Id, PgnoFDP, four more fixed columns, the
    /// null bitmap (8 fixed columns: one byte), then variable data.
    static func record(type: UInt16, table: UInt32, id: UInt32, root: UInt32, nullBits: UInt8 = 0) -> [UInt8] {
        var fixed = Self.le32(table) + [UInt8(type & 0xFF), UInt8(type >> 8)] + Self.le32(id) + Self.le32(root)
        fixed += [UInt8](repeating: 0, count: 13)
        let end = 4 + fixed.count + 1
        return [8, 0x80, UInt8(end & 0xFF), UInt8(end >> 8)] + fixed + [nullBits] + [1, 2, 3, 4]
    }

    @Test func catalogLeafNamesTablesIndexesAndLongValueTrees() {
        var builder = Builder(flags: [.leaf], objectID: TreePage.catalogObjectID)
        builder.add([])
        builder.add(key: [1], data: Self.record(type: 1, table: 6, id: 6, root: 29))
        builder.add(key: [2], data: Self.record(type: 2, table: 6, id: 1, root: 4))            // a column: no tree
        builder.add(key: [3], data: Self.record(type: 3, table: 6, id: 8, root: 31))
        builder.add(key: [4], data: Self.record(type: 4, table: 6, id: 9, root: 33))
        builder.add(key: [5], data: Self.record(type: 3, table: 6, id: 10, root: 0, nullBits: 0x08))   // PgnoFDP null
        builder.add(key: [6], data: Self.record(type: 1, table: 11, id: 11, root: 50), flags: PageNodes.Flags.deleted.rawValue)
        #expect(builder.tree.catalogEntries == [
            CatalogEntry(kind: .table, tableID: 6, objectID: 6, rootPage: 29),
            CatalogEntry(kind: .index, tableID: 6, objectID: 8, rootPage: 31),
            CatalogEntry(kind: .longValue, tableID: 6, objectID: 9, rootPage: 33),
        ])
        // Another tree's leaf is not read as the catalog.
        var other = builder
        other.page.storeLE(UInt32(3), at: PageHeader.Offset.objectID)
        #expect(other.tree.catalogEntries.isEmpty)
    }
}
