import ESEFormat

/// The bytes of one in-use page, written as ESE writes them: the page header (database
/// time, sibling links, owning tree, free-space fields, tag count, flags), the nodes from
/// the start of the data area and the tag array backwards from the end of the page, then the
/// checksum. The page's role in its tree (`DatabaseLayout.Role`) decides its flags and nodes:
///
/// - a tree's root (FDP) holds its `SPACE_HEADER` as the external header (tag 0, space.hxx:32-66);
/// - an OwnExt or AvailExt root holds a 16-byte zero external header and one node per extent,
///   key = the extent's last page (big-endian), data = its page count (space.cxx "OE/AE
///   [pgnoLast] [cpgExt]");
/// - an internal or parent-of-leaf page holds one node per child, key = the separator (the
///   first key of the next child; empty for the last node of the rightmost page), data = the
///   child's pgno (node.hxx `KEYDATAFLAGS`, the same shape as ESE's internal pages);
/// - a leaf holds records, key = leaf index (4 bytes) and record index (2 bytes), big-endian,
///   so keys ascend along the sibling chain.
///
/// Nodes are uncompressed (`cbKey` in the first two bytes, no prefix); tag 0 of a page that
/// is not a root is empty (no key prefix). Only leaves carry sibling links, as in ESE.
enum PageContent {
    /// Writes the page of `role` into `page` (the caller has zeroed nothing).
    static func fill(_ page: UnsafeMutableRawBufferPointer, pageNumber: UInt32, role: DatabaseLayout.Role,
                     database: DatabaseLayout, layout: PageLayout, databaseTime: UInt64,
                     random: inout DeterministicRandom, legacy: Bool, flushType: Int = 0) {
        page.initializeMemory(as: UInt8.self, repeating: 0)
        var area = NodeArea(page: page, layout: layout)
        var links: (previous: UInt32, next: UInt32) = (0, 0)
        let tree: DatabaseLayout.Tree
        var flags: PageFlags
        switch role {
        case .free:
            return
        case .root(let root):
            tree = root
            flags = [.root]
            flags.formUnion(root.rootFlags)
            area.addExternalHeader(spaceHeader(root, database: database))
            writeChildren(of: root, page: nil, into: &area, random: &random)
        case .ownExtent(let owner):
            tree = owner
            flags = [.root, .leaf, .spaceTree]
            area.addExternalHeader(zeroHeader)
            let extents = owner.objectID == 1 ? database.rootExtents : [(owner.lastOwnedPage, owner.ownedPages)]
            for extent in extents { area.addSpaceNode(last: extent.0, pages: extent.1) }
        case .availExtent(let owner):
            tree = owner
            flags = [.root, .leaf, .spaceTree]
            area.addExternalHeader(zeroHeader)
            if let free = owner.freeExtent { area.addSpaceNode(last: free.last, pages: free.pages) }
        case .parentOfLeaf(let owner, let index):
            tree = owner
            flags = .parentOfLeaf
            area.addExternalHeader([])
            writeChildren(of: owner, page: index, into: &area, random: &random)
        case .leaf(let owner, let index):
            tree = owner
            flags = .leaf
            area.addExternalHeader([])
            if owner.objectID == DatabaseLayout.catalog.objectID {
                addCatalogRecords(database, leaf: index, of: owner, into: &area)
            } else {
                area.addRecords(leaf: UInt32(index + 1), random: &random)
            }
            links = (index > 0 ? owner.leafPage(index - 1) : 0, index + 1 < owner.leafPages ? owner.leafPage(index + 1) : 0)
        }
        flags.formUnion(tree.treeFlags)
        flags.insert(.newRecordFormat)
        flags = PageFlags(rawValue: flags.rawValue | UInt32(flushType & 3) << 15)   // maskFlushType (cpage.hxx)
        area.finish()
        page.storeBytes(of: databaseTime.littleEndian, toByteOffset: PageHeader.Offset.databaseTime, as: UInt64.self)
        page.storeBytes(of: links.previous.littleEndian, toByteOffset: PageHeader.Offset.previousPage, as: UInt32.self)
        page.storeBytes(of: links.next.littleEndian, toByteOffset: PageHeader.Offset.nextPage, as: UInt32.self)
        page.storeBytes(of: tree.objectID.littleEndian, toByteOffset: PageHeader.Offset.objectID, as: UInt32.self)
        page.storeBytes(of: flags.rawValue.littleEndian, toByteOffset: PageHeader.Offset.flags, as: UInt32.self)
        if layout.isLarge {
            page.storeBytes(of: pageNumber.littleEndian, toByteOffset: PageHeader.Offset.pageNumber, as: UInt32.self)
        }
        if legacy && !layout.isLarge {
            PageWriter.sealLegacy(page, pageNumber: pageNumber)
        } else {
            PageWriter.seal(page, pageNumber: pageNumber, layout: layout)
        }
    }

    static let zeroHeader = [UInt8](repeating: 0, count: 16)

    /// A catalog leaf's records: entry k of `DatabaseLayout.catalogEntries` in leaf k mod the
    /// catalog's leaves. Each record is `RECHDR` (`fidFixedLastInRec` 4, `fidVarLastInRec` 127:
    /// no variable column, `ibEndOfFixedData` 19; rec.hxx:296-301), the fixed columns
    /// `ObjidTable`, `Type`, `Id`, `ColtypOrPgnoFDP` (cat.hxx:90-94), then the fixed columns'
    /// null bitmap, one byte, none null (rec.hxx:8-11).
    static func addCatalogRecords(_ database: DatabaseLayout, leaf: Int, of catalog: DatabaseLayout.Tree,
                                  into area: inout NodeArea) {
        let entries = database.catalogEntries
        var record = 0
        for entry in stride(from: leaf, to: entries.count, by: catalog.leafPages) {
            var image = ByteImage(count: 19)
            image.set(UInt8(4), at: 0)
            image.set(UInt8(127), at: 1)
            image.set(UInt16(19), at: 2)
            image.set(entries[entry].table, at: 4)
            image.set(entries[entry].type, at: 8)
            image.set(entries[entry].id, at: 10)
            image.set(entries[entry].rootPage, at: 14)
            area.addRecord(leaf: UInt32(leaf + 1), record: record, data: image.bytes)
            record += 1
        }
    }

    /// A tree's `SPACE_HEADER` (space.hxx:49-65): `cpgPrimary`, `pgnoParent`, flags
    /// (`fSPHMultipleExtent` 0x01), then `pgnoOE` for a multi-extent tree, or the free-page
    /// bitmap of a single extent (bit i: page `pgnoFDP` + 1 + i is free; space.cxx:3239-3247).
    static func spaceHeader(_ tree: DatabaseLayout.Tree, database: DatabaseLayout) -> [UInt8] {
        var image = ByteImage(count: 16)
        image.set(UInt32(tree.objectID == 1 ? database.rootPrimaryPages : tree.ownedPages), at: 0)
        image.set(tree.parentPage, at: 4)
        if tree.multipleExtent {
            image.set(UInt32(1), at: 8)
            image.set(tree.rootPage + 1, at: 12)
        } else if let free = tree.freeExtent {
            var bits: UInt32 = 0
            for page in Int(free.last) - free.pages + 1...Int(free.last) {
                let bit = page - Int(tree.rootPage) - 1
                if bit < 32 { bits |= 1 << UInt32(bit) }
            }
            image.set(bits, at: 12)
        }
        return image.bytes
    }

    /// The nodes below the root (`page` nil) or below parent-of-leaf page `page`: one per
    /// child, or records when the root is a leaf.
    static func writeChildren(of tree: DatabaseLayout.Tree, page: Int?, into area: inout NodeArea,
                              random: inout DeterministicRandom) {
        if page == nil, tree.objectID == 1 { return }  // the database root holds no nodes
        if page == nil, tree.dataPages == 0 {
            area.addRecords(leaf: 0, random: &random)
            return
        }
        let leaves = tree.leafPages
        if let parent = page {
            for leaf in tree.firstLeaf(ofParent: parent)..<tree.firstLeaf(ofParent: parent + 1) {
                area.addPointer(separator: leaf + 1 < leaves ? UInt32(leaf + 2) : nil, child: tree.leafPage(leaf))
            }
        } else if tree.parentPages == 0 {
            for leaf in 0..<leaves {
                area.addPointer(separator: leaf + 1 < leaves ? UInt32(leaf + 2) : nil, child: tree.leafPage(leaf))
            }
        } else {
            let parents = tree.parentPages
            for parent in 0..<parents {
                let next = tree.firstLeaf(ofParent: parent + 1)
                area.addPointer(separator: parent + 1 < parents ? UInt32(next + 1) : nil, child: tree.parentPage(parent))
            }
        }
    }
}

/// The data area of a page being written: nodes from the end of the page header upwards,
/// their tags from the end of the page downwards. Sizes are the writer's own, so every
/// store is in bounds by construction.
struct NodeArea {
    let page: UnsafeMutableRawBufferPointer
    let layout: PageLayout
    /// Bytes of nodes written (the next node's `ib`).
    var used = 0
    /// Tags written.
    var tags = 0

    init(page: UnsafeMutableRawBufferPointer, layout: PageLayout) {
        self.page = page
        self.layout = layout
    }

    /// Bytes still free for nodes and their tags.
    var free: Int { layout.pageSize - layout.headerSize - used - 4 * tags }

    /// Adds a tag for a node of `size` bytes and returns the node's offset in the page.
    mutating func addTag(size: Int) -> Int {
        let tag = layout.pageSize - 4 * (tags + 1)
        page.storeBytes(of: UInt16(size).littleEndian, toByteOffset: tag, as: UInt16.self)
        page.storeBytes(of: UInt16(size == 0 ? 0 : used).littleEndian, toByteOffset: tag + 2, as: UInt16.self)
        let offset = layout.headerSize + used
        used += size
        tags += 1
        return offset
    }

    /// Tag 0: the external header (a root's `SPACE_HEADER`, else empty).
    mutating func addExternalHeader(_ bytes: [UInt8]) {
        let offset = addTag(size: bytes.count)
        for (index, byte) in bytes.enumerated() { page.storeBytes(of: byte, toByteOffset: offset + index, as: UInt8.self) }
    }

    /// A space-tree node: key = last page (big-endian), data = page count.
    mutating func addSpaceNode(last: UInt32, pages: Int) {
        let offset = addTag(size: 10)
        page.storeBytes(of: UInt16(4).littleEndian, toByteOffset: offset, as: UInt16.self)
        page.storeBytes(of: last.bigEndian, toByteOffset: offset + 2, as: UInt32.self)
        page.storeBytes(of: UInt32(pages).littleEndian, toByteOffset: offset + 6, as: UInt32.self)
    }

    /// An internal node: key = `separator` (4 bytes, big-endian; none for the last node of a
    /// rightmost page), data = the child's page number.
    mutating func addPointer(separator: UInt32?, child: UInt32) {
        let keySize = separator == nil ? 0 : 4
        let offset = addTag(size: 2 + keySize + 4)
        page.storeBytes(of: UInt16(keySize).littleEndian, toByteOffset: offset, as: UInt16.self)
        if let separator { page.storeBytes(of: separator.bigEndian, toByteOffset: offset + 2, as: UInt32.self) }
        page.storeBytes(of: child.littleEndian, toByteOffset: offset + 2 + keySize, as: UInt32.self)
    }

    /// Records filling between half and nearly all of the free space: 2 to 31 nodes, each a
    /// 6-byte key (`leaf`, record index; big-endian) and random data.
    mutating func addRecords(leaf: UInt32, random: inout DeterministicRandom) {
        let count = 2 + random.next(below: 30)
        let room = free - 4 * count
        let target = room / 2 + random.next(below: max(1, room / 2 - room / 16))
        let nodeSize = max(9, target / count)
        guard room >= nodeSize * count else { return }
        // Random bytes over the whole record area, eight at a time, then the keys over them.
        var offset = layout.headerSize + used
        let end = offset + nodeSize * count
        while offset + 8 <= end {
            page.storeBytes(of: random.next(), toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        for record in 0..<count {
            let node = addTag(size: nodeSize)
            page.storeBytes(of: UInt16(6).littleEndian, toByteOffset: node, as: UInt16.self)
            page.storeBytes(of: leaf.bigEndian, toByteOffset: node + 2, as: UInt32.self)
            page.storeBytes(of: UInt16(record).bigEndian, toByteOffset: node + 6, as: UInt16.self)
        }
    }

    /// One record: a 6-byte key (`leaf`, `record`; big-endian) and `data`.
    mutating func addRecord(leaf: UInt32, record: Int, data: [UInt8]) {
        let node = addTag(size: 8 + data.count)
        page.storeBytes(of: UInt16(6).littleEndian, toByteOffset: node, as: UInt16.self)
        page.storeBytes(of: leaf.bigEndian, toByteOffset: node + 2, as: UInt32.self)
        page.storeBytes(of: UInt16(record).bigEndian, toByteOffset: node + 6, as: UInt16.self)
        for (index, byte) in data.enumerated() { page.storeBytes(of: byte, toByteOffset: node + 8 + index, as: UInt8.self) }
    }

    /// Writes the free-space fields: `cbFree`, `cbUncommittedFree` (0), `ibMicFree`, `itagState`.
    func finish() {
        page.storeBytes(of: UInt16(free).littleEndian, toByteOffset: PageHeader.Offset.freeBytes, as: UInt16.self)
        page.storeBytes(of: UInt16(0), toByteOffset: PageHeader.Offset.uncommittedFreeBytes, as: UInt16.self)
        page.storeBytes(of: UInt16(used).littleEndian, toByteOffset: PageHeader.Offset.firstFreeByte, as: UInt16.self)
        page.storeBytes(of: UInt16(tags).littleEndian, toByteOffset: PageHeader.Offset.tagState, as: UInt16.self)
    }
}
