import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// The generator writes databases as ESE lays them out — the database root with its space
/// trees, the catalog and its shadow, user tables as B-trees with real nodes — verified by
/// an independent walk of the written file (`TreeWalker`), not by the generator's own layout.
@Suite struct GeneratedStructureTests {
    let directory = TemporaryDirectory()

    func write(pageSize: Int, pages: Int, used: Double, seed: UInt64 = 7, legacy: Bool = false) throws -> [UInt8] {
        var spec = SampleDatabase.spec(pageSize: pageSize, pages: pages, seed: seed, usedFraction: used)
        spec.legacyChecksums = legacy
        let path = directory.file("db-\(pageSize)-\(pages)-\(used)-\(seed).edb")
        try DatabaseWriter.write(spec, to: path, threads: 3)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(arguments: [(4096, 600, 0.75), (8192, 1022, 0.5), (16384, 200, 1.0), (32768, 3000, 0.9), (2048, 400, 0.75),
                      (8192, 32, 1.0), (8192, 31, 0.6), (4096, 10, 1.0), (8192, 2, 1.0), (8192, 1, 1.0), (8192, 5000, 0.0)])
    func everyTreeWalksCleanly(pageSize: Int, pages: Int, used: Double) throws {
        let bytes = try write(pageSize: pageSize, pages: pages, used: used)
        let walk = TreeWalker.walk(file: bytes, pageSize: pageSize)
        #expect(walk.problems.isEmpty, "\(walk.problems.prefix(10))")
        // Every non-zero page belongs to a tree, every zero page is free.
        #expect(walk.usedPages.count + walk.freePages.count == pages, "used \(walk.usedPages.count), free \(walk.freePages.count)")
        if pages >= DatabaseLayout.smallestFullLayout {
            // The catalog and its shadow where ESE creates them (cat.hxx:136-169).
            #expect(walk.roots[2] == 4 && walk.roots[3] == 24 && walk.roots[4] == 7 && walk.roots[5] == 10)
        }
    }

    @Test func largeTablesAreThreeLevelsDeepWithChainedLeaves() throws {
        let bytes = try write(pageSize: 4096, pages: 6000, used: 0.8)
        let walk = TreeWalker.walk(file: bytes, pageSize: 4096)
        #expect(walk.problems.isEmpty, "\(walk.problems.prefix(10))")
        let tables = walk.roots.keys.filter { $0 >= DatabaseLayout.firstTableObjectID }
        #expect(tables.count >= 4)
        #expect(tables.contains { walk.depth[$0] == 3 }, "some table has internal root, parents of leaves, leaves")
        #expect(walk.depth[2] == 2, "the catalog's root is the parent of its leaves")
        let free = Double(walk.freePages.count) / 6000
        #expect(free > 0.15 && free < 0.25, "unused fraction \(free)")
        // The root's OwnExt lists several extents past the primary one.
        let root = Array(bytes[Int(PageLayout(pageSize: 4096)!.fileOffset(pageNumber: 2))...].prefix(4096))
        #expect((PageNodes.count(root.span.bytes, layout: PageLayout(pageSize: 4096)!) ?? 0) > 2)
    }

    @Test func legacyChecksumPagesWalkToo() throws {
        let bytes = try write(pageSize: 4096, pages: 300, used: 0.7, legacy: true)
        #expect(TreeWalker.walk(file: bytes, pageSize: 4096).problems.isEmpty)
    }

    /// The walk is not vacuous: damage it must see.
    @Test func theWalkSeesBrokenStructure() throws {
        let layout = PageLayout(pageSize: 8192)!
        let pristine = try write(pageSize: 8192, pages: 400, used: 1)
        let database = DatabaseLayout(pageCount: 400, pageSize: 8192, usedFraction: 1)
        let table = database.table(1)
        let leaf = table.leafPage(3)
        func edited(_ page: UInt32, _ edit: (inout [UInt8]) -> Void) -> [UInt8] {
            var bytes = pristine
            let offset = Int(layout.fileOffset(pageNumber: page))
            var image = Array(bytes[offset..<offset + 8192])
            edit(&image)
            PageWriter.seal(&image, pageNumber: page, layout: layout)
            bytes.replaceSubrange(offset..<offset + 8192, with: image)
            return bytes
        }
        let zeroed = { var bytes = pristine; let o = Int(layout.fileOffset(pageNumber: leaf)); bytes.replaceSubrange(o..<o + 8192, with: [UInt8](repeating: 0, count: 8192)); return bytes }()
        let cases: [(String, [UInt8])] = [
            ("zeroed leaf", zeroed),
            ("broken next link", edited(leaf) { $0[PageHeader.Offset.nextPage] &+= 1 }),
            ("foreign objid", edited(leaf) { $0[PageHeader.Offset.objectID] &+= 1 }),
            ("leaf flagged parent", edited(leaf) { $0[PageHeader.Offset.flags] = UInt8(PageFlags.parentOfLeaf.rawValue) }),
            ("child pointer moved", edited(table.rootPage) { page in
                // The first node's child pgno (its last four bytes: a parent of leaves) pointed at the table's first leaf.
                let tag = 8192 - 4 * 2, size = Int(page[tag]) | Int(page[tag + 1]) << 8, ib = Int(page[tag + 2]) | Int(page[tag + 3]) << 8
                let at = layout.headerSize + (ib & 0x1FFF) + (size & 0x1FFF) - 4
                page[at] = UInt8(truncatingIfNeeded: table.leafPage(0)); page[at + 1] = UInt8(truncatingIfNeeded: table.leafPage(0) >> 8)
            }),
        ]
        #expect(TreeWalker.walk(file: pristine, pageSize: 8192).problems.isEmpty)
        for (name, bytes) in cases {
            #expect(!TreeWalker.walk(file: bytes, pageSize: 8192).problems.isEmpty, "\(name) passed the walk")
        }
    }

    @Test func theLayoutIsAPureFunctionOfThePage() throws {
        // One thread and three threads write the same bytes.
        let spec = SampleDatabase.spec(pageSize: 8192, pages: 700, seed: 3, usedFraction: 0.6)
        let one = directory.file("one.edb"), three = directory.file("three.edb")
        try DatabaseWriter.write(spec, to: one, threads: 1)
        try DatabaseWriter.write(spec, to: three, threads: 3)
        #expect(FileManager.default.contentsEqual(atPath: one, andPath: three))
    }

    /// The structure scenarios hit what their summaries say: leaves a tree references.
    @Test(arguments: [("zeroed-page", UInt32(2)), ("zeroed-in-use-leaf", 7), ("hole-over-in-use-pages", 8), ("broken-sibling-link", 6)])
    func structureScenariosTargetInUseLeaves(name: String, objectID: UInt32) throws {
        let scenario = try #require(try ScenarioCatalog.named(name))
        let spec = scenario.spec()
        let files = try StorageGroupWriter.write(spec, to: directory.file(name))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: files.databases[0])))
        let walk = TreeWalker.walk(file: bytes, pageSize: spec.databases[0].pageSize)
        #expect(walk.problems.isEmpty, "\(walk.problems.prefix(5))")
        let leaves = try #require(walk.leaves[objectID])
        for fault in scenario.faults ?? [] {
            let first = UInt32(try #require(fault.page))
            for page in first..<first + UInt32(fault.fault == .punchHole ? fault.value ?? 4 : 1) {
                #expect(leaves.contains(page), "\(name): page \(page) is a leaf of objid \(objectID)")
            }
            if fault.fault == .breakSiblingLink { #expect(leaves.last != first, "a leaf with a next sibling") }
        }
        // The faulted copy fails the walk.
        let faulted = directory.file(name + "-faulted")
        let written = try scenario.write(to: faulted)
        let damaged = [UInt8](try Data(contentsOf: URL(fileURLWithPath: written.files.databases[0])))
        #expect(!TreeWalker.walk(file: damaged, pageSize: spec.databases[0].pageSize).problems.isEmpty)
    }

    /// Huge databases keep every page within reach: at most 100 tables (the catalog names them
    /// all), and every root and parent-of-leaf page holds its nodes, the fanout growing with
    /// the table (checked on the layout, without writing terabytes).
    @Test(arguments: [(2048, 3_000_000), (4096, 8_000_000), (8192, 30_000_000), (32768, 200_000_000), (4096, 1_000)])
    func hugeLayoutsFitTheirPages(pageSize: Int, pages: Int) throws {
        let database = DatabaseLayout(pageCount: pages, pageSize: pageSize, usedFraction: 1)
        #expect(database.tableCount <= DatabaseLayout.tablesMost && database.tableCount >= 1)
        let room = pageSize - (pageSize > 8192 ? 80 : 40)
        let catalogRecords = (database.catalogEntries.count + 10) / 11
        #expect(catalogRecords * (8 + 19 + 4) <= room, "catalog leaves hold their records")
        #expect(database.rootExtents.count <= 128 && database.rootExtents.last?.last == UInt32(pages))
        for index in Set([0, database.tableCount / 2, database.tableCount - 1]) {
            let table = database.table(index)
            let parents = table.parentPages, leaves = table.leafPages
            let rootNodes = parents == 0 ? leaves : parents
            #expect(20 + 14 * rootNodes <= room, "table \(index): \(rootNodes) root nodes")
            if parents > 0 {
                let widest = (0..<parents).map { table.firstLeaf(ofParent: $0 + 1) - table.firstLeaf(ofParent: $0) }.max() ?? 0
                #expect(widest >= 1 && 4 + 14 * widest <= room, "table \(index): \(widest) leaves below a parent")
            }
            for leaf in Set([0, leaves / 2, leaves - 1]) where leaves > 0 {
                #expect(database.role(of: table.leafPage(leaf)) == .leaf(table, leaf))
            }
            #expect(Int(table.firstDataPage) + table.dataPages - 1 <= Int(table.lastOwnedPage))
        }
    }
}
