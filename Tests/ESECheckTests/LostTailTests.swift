import ESETestSupport
import ESECheck
import ESECorpus
@testable import ESEFormat
import Foundation
import Testing

/// A database file shorter than the database is never consistent, also when it ends exactly on
/// a page boundary: the root's space (SPACE_HEADER and OwnExt tree) and page links prove it.
@Suite struct LostTailTests {
    let directory = TemporaryDirectory()

    /// Copies the first `bytes` of `source` into the temporary directory.
    func prefix(of source: String, bytes: Int, as name: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        let path = directory.file(name)
        try data.prefix(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func cleanDatabase(pages: Int = 200) throws -> String {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 8192, pageCount: pages)])
        spec.generations = 3
        spec.logFileSectors = 16
        return try StorageGroupWriter.write(spec, to: directory.file("group")).databases[0]
    }

    @Test func wholeGeneratedDatabaseIsNotTruncated() throws {
        let report = DatabaseChecker().check(try cleanDatabase())
        #expect(report.ownedPages == 200 && report.truncation == nil && report.passed)
    }

    @Test func generatedDatabaseCutAtAPageBoundaryIsTruncated() throws {
        let cut = try prefix(of: try cleanDatabase(), bytes: (2 + 120) * 8192, as: "cut.edb")
        let report = DatabaseChecker().check(cut)
        #expect(report.errors.isEmpty, "a page-boundary cut leaves no partial page")
        #expect(report.truncation?.contains("pages 1-200") == true && !report.passed)
        let verdict = StorageGroupChecker().check(databases: [cut], logDirectory: nil)
        #expect(verdict.verdict == .truncated && verdict.jetError == .fileIOBeyondEOF)
        let cli = try CommandRunner.run(["db", "--json", cut])
        #expect(cli.status == 1)
    }

    @Test func headerPagesAloneAreNeverADatabase() throws {
        let cut = try prefix(of: try cleanDatabase(), bytes: 2 * 8192, as: "headers.edb")
        let report = StorageGroupChecker().check(databases: [cut], logDirectory: nil)
        #expect(report.verdict == .truncated && !report.verdict.isRestorable)
    }

    @Test func streamedDatabaseCutShortIsTruncated() throws {
        let path = try cleanDatabase(pages: 64)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix((2 + 40) * 8192))
        let session = CheckSession(databases: [.stream(name: "streamed.edb", fileSize: UInt64(bytes.count),
                                                       leadingBytes: Array(bytes.prefix(2 * 8192)))])
        _ = try session.checkDatabaseHeaders()
        // Pages in reverse order, as a transport may deliver them.
        for physical in stride(from: bytes.count / 8192 - 1, through: 0, by: -1) {
            try session.checkPages(database: 0, fileOffset: UInt64(physical * 8192),
                                   bytes: bytes[physical * 8192..<(physical + 1) * 8192].span.bytes)
        }
        let report = try session.finish()
        #expect(report.databases[0].verdict == .truncated)
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func realDatabaseCutInHalfIsTruncated() throws {
        let source = TestEnvironment.realCorpus! + "/museum/srum-win10-belkasoft-dirty/SRUDB.dat"
        let whole = DatabaseChecker().check(source)
        #expect(whole.ownedPages == 766 && whole.truncation == nil)
        let half = try prefix(of: source, bytes: (2 + 391) * 4096, as: "SRUDB-half.dat")
        let report = DatabaseChecker().check(half)
        #expect(report.truncation != nil && !report.passed)
        let headers = try prefix(of: source, bytes: 2 * 4096, as: "SRUDB-headers.dat")
        #expect(DatabaseChecker().check(headers).truncation != nil)
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func everyRealDatabaseOwnsNoMoreThanItsFile() throws {
        let root = TestEnvironment.realCorpus!
        let files = ["dissect.esedb/basic.edb", "dissect.esedb/large.edb", "dissect.esedb/SRUDB.dat", "go-ese/qmgr.db",
                     "go-ese/SRUDB.dat", "plaso/Catalog1.edb", "museum/srum-win10-aptsim-clean/SRUDB.dat"]
        for file in files {
            let report = DatabaseChecker().check(root + "/" + file)
            #expect(report.ownedPages != nil && report.truncation == nil, "\(file): owned \(report.ownedPages ?? 0) of \(report.dataPages)")
        }
    }

    @Test func hostileTagArraysNeverTrapAndProveNothing() {
        let layout = PageLayout(pageSize: 4096)!
        var page = [UInt8](repeating: 0xFF, count: 4096)
        #expect(PageNodes.count(page.span.bytes, layout: layout) == nil, "4095 tags cannot fit")
        page[34] = 3; page[35] = 0
        page[36] = 0x21; page[37] = 0; page[38] = 0; page[39] = 0   // root + space tree
        #expect(PageNodes.node(page.span.bytes, layout: layout, index: 0) == nil, "a tag pointing outside the page")
        #expect(DatabaseSpace.lastOwnedPage(root: page.span.bytes, ownExtentRoot: page.span.bytes, layout: layout) == nil)
    }
}
