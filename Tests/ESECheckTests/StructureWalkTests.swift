import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// The structure walk (issue 14, point 2) on copies of real databases written by Windows, each
/// damaged in one way under a valid checksum: what ESE fails on when it reads the tree, and
/// what a checksum-only check certifies.
@Suite(.serialized) struct StructureWalkTests {
    let directory = TemporaryDirectory()

    /// A copy of a real database, its layout and its pages' tree views.
    struct Copy: CustomStringConvertible {
        var description: String { path }
        let path: String
        let layout: PageLayout
        var bytes: [UInt8]
        var pageCount: Int { bytes.count / layout.pageSize - PageLayout.reservedPages }

        func page(_ pgno: UInt32) -> [UInt8] {
            let start = (Int(pgno) + 1) * layout.pageSize
            return Array(bytes[start..<start + layout.pageSize])
        }

        func tree(_ pgno: UInt32) -> TreePage { TreePage(parsing: page(pgno).span.bytes, layout: layout) }

        /// Rewrites page `pgno` with `change` applied and its checksum recomputed.
        mutating func reseal(_ pgno: UInt32, _ change: (inout [UInt8]) -> Void) throws {
            var page = page(pgno)
            change(&page)
            PageWriter.seal(&page, pageNumber: pgno, layout: layout)
            let start = (Int(pgno) + 1) * layout.pageSize
            bytes.replaceSubrange(start..<start + layout.pageSize, with: page)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }

        mutating func zero(_ pgno: UInt32) throws {
            let start = (Int(pgno) + 1) * layout.pageSize
            bytes.replaceSubrange(start..<start + layout.pageSize, with: [UInt8](repeating: 0, count: layout.pageSize))
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }

        /// A parent-of-leaf page (not a root) of a user table, with at least `children` children.
        func parentOfLeaves(children: Int = 2, excluding objectID: UInt32? = nil, rootAllowed: Bool = false) -> UInt32? {
            (1...UInt32(pageCount)).first { pgno in
                let tree = tree(pgno)
                return tree.flags.contains(.parentOfLeaf) && (rootAllowed || !tree.flags.contains(.root)) && !tree.flags.contains(.spaceTree)
                    && tree.objectID > 5 && tree.objectID != objectID && tree.children.count >= children
            }
        }
    }

    func copy(_ relative: String) throws -> Copy? {
        guard let root = TestEnvironment.realCorpus else { return nil }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
        let pageSize = Int(bytes[236]) | Int(bytes[237]) << 8 | Int(bytes[238]) << 16
        let path = directory.file(URL(fileURLWithPath: relative).lastPathComponent)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return Copy(path: path, layout: PageLayout(pageSize: pageSize)!, bytes: bytes)
    }

    func structure(_ path: String, options: CheckOptions = CheckOptions()) throws -> (DatabaseVerdict, StructureReport) {
        let report = StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil)
        let database = try #require(report.databases.first)
        return (database, try #require(database.report.structure))
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func zeroedLeafInUseIsPageNotInitialized() throws {
        var copy = try #require(try copy("go-ese/SRUDB.dat"))
        let parent = try #require(copy.parentOfLeaves())
        let leaf = copy.tree(parent).children[1]
        try copy.zero(leaf)
        let (database, structure) = try structure(copy.path)
        #expect(database.report.pages.bad == 0, "the zeroed page passes every checksum check")
        #expect(structure.checked && structure.findings.map(\.page) == [leaf])
        #expect(structure.findings.first?.jetError == .pageNotInitialized)
        #expect(database.verdict == .corrupt && database.jetError == .pageNotInitialized)
        #expect(database.reasons.contains { $0.code == .treeDamaged })
        let cli = try CommandRunner.run(["db", "--quiet", copy.path])
        #expect(cli.status == 1 && cli.stdout.contains("ERROR: page \(leaf) "))
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func brokenSiblingLinkUnderValidChecksumIsCorrupt() throws {
        var copy = try #require(try copy("dissect.esedb/large.edb"))
        let parent = try #require(copy.parentOfLeaves(children: 3, rootAllowed: true))
        let leaf = copy.tree(parent).children[1]
        let next = copy.tree(leaf).nextPage
        try copy.reseal(leaf) { page in
            page.withUnsafeMutableBytes { $0.storeBytes(of: (next + 7).littleEndian, toByteOffset: PageHeader.Offset.nextPage, as: UInt32.self) }
        }
        let (database, structure) = try structure(copy.path)
        #expect(database.report.pages.bad == 0)
        let finding = try #require(structure.findings.first)
        #expect(structure.findings.count == 1 && finding.page == leaf && finding.jetError == .databaseCorrupted)
        #expect(finding.message.contains("pgnoNext \(next + 7), expected \(next)"), "\(finding.message)")
        #expect(database.verdict == .corrupt && database.jetError == .databaseCorrupted)
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func pageInTwoTreesIsCorrupt() throws {
        var copy = try #require(try copy("go-ese/SRUDB.dat"))
        let parent = try #require(copy.parentOfLeaves())
        let owner = copy.tree(parent).objectID
        // A child of an internal page of another user tree.
        let other = try #require((1...UInt32(copy.pageCount)).first { pgno in
            let tree = copy.tree(pgno)
            return !tree.flags.contains(.leaf) && !tree.flags.contains(.spaceTree) && tree.objectID > 5 && tree.objectID != owner
                && !tree.children.isEmpty
        })
        let stolen = copy.tree(other).children[0]
        // The first child pointer of `parent` now names a leaf of another tree.
        let slot = try #require(copy.childPointerOffset(parent, index: 1))
        try copy.reseal(parent) { page in
            page.withUnsafeMutableBytes { $0.storeBytes(of: stolen.littleEndian, toByteOffset: slot, as: UInt32.self) }
        }
        let (database, structure) = try structure(copy.path)
        #expect(database.report.pages.bad == 0)
        #expect(structure.findings.contains { $0.page == stolen && $0.jetError == .databaseCorrupted }, "\(structure.findings)")
        #expect(database.verdict == .corrupt)
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func pageAtTheWrongLevelIsCorrupt() throws {
        var copy = try #require(try copy("go-ese/SRUDB.dat"))
        let parent = try #require(copy.parentOfLeaves())
        let children = copy.tree(parent).children
        // Without fPageParentOfLeaf, the page says its children are internal pages: they are leaves.
        try copy.reseal(parent) { page in
            let flags = page.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: PageHeader.Offset.flags, as: UInt32.self) }
                & ~PageFlags.parentOfLeaf.rawValue
            page.withUnsafeMutableBytes { $0.storeBytes(of: flags.littleEndian, toByteOffset: PageHeader.Offset.flags, as: UInt32.self) }
        }
        let (database, structure) = try structure(copy.path)
        #expect(Set(structure.findings.map(\.page)) == Set(children), "\(structure.findings)")
        #expect(structure.findings.allSatisfy { $0.jetError == .databaseCorrupted && $0.message.contains("is a leaf") })
        #expect(database.verdict == .corrupt)
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func streamedPagesInRandomOrderFromSeveralThreadsMatchTheFileCheck() async throws {
        var copy = try #require(try copy("go-ese/SRUDB.dat"))
        let parent = try #require(copy.parentOfLeaves())
        let leaves = copy.tree(parent).children
        try copy.zero(leaves[0])
        try copy.reseal(leaves[1]) { page in
            page.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(3).littleEndian, toByteOffset: PageHeader.Offset.previousPage, as: UInt32.self) }
        }
        let (fileDatabase, fileStructure) = try structure(copy.path)
        let bytes = copy.bytes, pageSize = copy.layout.pageSize
        let session = CheckSession(databases: [.stream(name: "streamed.edb", fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(65536)))])
        _ = try session.checkDatabaseHeaders()
        var random = SystemRandomNumberGenerator()
        let batches = stride(from: 0, to: bytes.count, by: 3 * pageSize).map { $0..<min($0 + 3 * pageSize, bytes.count) }.shuffled(using: &random)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for batch in batches.enumerated() where batch.offset % 4 == task {
                        let slice = Array(bytes[batch.element])
                        _ = try! session.checkPages(database: 0, fileOffset: UInt64(batch.element.lowerBound), bytes: slice.span.bytes)
                    }
                }
            }
        }
        let streamed = try #require(try session.finish().databases.first)
        let streamedStructure = try #require(streamed.report.structure)
        #expect(streamedStructure.findings.map(\.page) == fileStructure.findings.map(\.page))
        #expect(streamedStructure.findings.map(\.jetError) == fileStructure.findings.map(\.jetError))
        #expect(fileStructure.findings.map(\.page) == [leaves[0], leaves[1]])
        #expect(streamedStructure.trees == fileStructure.trees && streamedStructure.pagesInUse == fileStructure.pagesInUse)
        #expect(streamedStructure.pagesFree == fileStructure.pagesFree)
        #expect(streamed.verdict == .corrupt && fileDatabase.verdict == .corrupt)
        #expect(streamed.jetError == .pageNotInitialized && fileDatabase.jetError == .pageNotInitialized)
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func noStructureSaysTheStructureWasNotVerified() throws {
        var copy = try #require(try copy("go-ese/SRUDB.dat"))
        let parent = try #require(copy.parentOfLeaves())
        try copy.zero(copy.tree(parent).children[0])
        var options = CheckOptions()
        options.verifyStructure = false
        let (database, structure) = try structure(copy.path, options: options)
        #expect(!structure.checked && structure.scope == .skipped && structure.findings.isEmpty)
        #expect(database.verdict == .consistent)
        #expect(database.reasons.contains { $0.code == .structureNotVerified && $0.isWarning })
        #expect(database.report.scope.skipped.map(\.what) == [.structure] && database.report.scope.skipped[0].isWarning)
        let cli = try CommandRunner.run(["db", "--json", "--no-structure", copy.path])
        #expect(cli.status == 0 && cli.stdout.contains("\"skipped\""))
        let text = try CommandRunner.run(["check", "--quiet", "--no-structure", copy.path])
        #expect(text.stdout.contains("Structure: not verified (skipped on request)"))
    }

    /// The catalog's root zeroed: the trees cannot be found, and that is the finding.
    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func zeroedCatalogRootIsPageNotInitialized() throws {
        var copy = try #require(try copy("go-ese/SRUDB.dat"))
        try copy.zero(4)
        let (database, structure) = try structure(copy.path)
        #expect(structure.checked && structure.findings.map(\.page) == [4])
        #expect(structure.findings.first?.jetError == .pageNotInitialized)
        #expect(database.verdict == .corrupt && database.jetError == .pageNotInitialized)
    }

    /// A dirty database's trees are mid-flight until recovery replays the logs (an online
    /// snapshot): damage there is a warning, not a `corrupt` verdict.
    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func damageInADirtyDatabaseIsAWarningBeforeReplay() throws {
        var copy = try #require(try copy("museum/srum-win10-belkasoft-dirty/SRUDB.dat"))
        let parent = try #require(copy.parentOfLeaves(rootAllowed: true))
        let leaf = copy.tree(parent).children[0]
        try copy.zero(leaf)
        let (database, structure) = try structure(copy.path)
        #expect(database.report.header?.state == .dirtyShutdown)
        #expect(structure.findings.map(\.page) == [leaf] && structure.findings.first?.jetError == .pageNotInitialized)
        #expect(database.verdict != .corrupt)
        #expect(database.reasons.contains { $0.code == .treeDamagedBeforeReplay && $0.isWarning })
        #expect(!database.reasons.contains { $0.code == .treeDamaged })
    }

    /// Point 9: every real database, every page size and format in the corpus, walks clean.
    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func everyRealDatabaseWalksWithoutFindings() throws {
        let root = try #require(TestEnvironment.realCorpus)
        let names = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { name in [".edb", ".dat", ".mdb", ".db"].contains { name.hasSuffix($0) } }
        #expect(names.count >= 18)
        var pageSizes: Set<Int> = []
        for name in names {
            let report = DatabaseChecker().check(root + "/" + name)
            let structure = try #require(report.structure, "\(name)")
            #expect(structure.checked, "\(name): \(structure.scope)")
            #expect(structure.findings.isEmpty, "\(name): \(structure.findings)")
            #expect(structure.trees >= 14 && structure.pagesInUse >= 19 && structure.highestReferencedPage == 0, "\(name)")
            #expect(structure.lastOwnedPage.map { Int($0) <= report.dataPages } ?? false, "\(name)")
            pageSizes.insert(report.pageSize ?? 0)
        }
        #expect(pageSizes == [4096, 16384, 32768])
    }

    /// Space past what the root owns is said (a warning), never a finding: ESE extends files
    /// ahead of allocation, and several real databases end that way.
    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func trailingSpaceIsAWarningOnly() throws {
        let root = try #require(TestEnvironment.realCorpus)
        let names = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { name in [".edb", ".dat", ".mdb", ".db"].contains { name.hasSuffix($0) } }
        var trailing = 0
        for name in names {
            let (verdict, structure) = try self.structure(root + "/" + name)
            let warned = verdict.reasons.filter { $0.code == .trailingSpace }
            if structure.trailingPages > 0 {
                trailing += 1
                #expect(warned.count == 1 && warned.allSatisfy(\.isWarning), "\(name)")
                #expect(!verdict.reasons.contains { $0.code == .treeDamaged }, "\(name)")
            } else {
                #expect(warned.isEmpty, "\(name)")
            }
        }
        #expect(trailing > 0)
    }
}

extension StructureWalkTests.Copy {
    /// The byte offset of node `index`'s 4-byte data (a child pointer) in an internal page.
    func childPointerOffset(_ pgno: UInt32, index: Int) -> Int? {
        let page = page(pgno)
        guard case .success(let node) = TreeNode.read(page.span.bytes, layout: layout, index: index), node.data.count == 4 else { return nil }
        return node.data.lowerBound
    }
}
