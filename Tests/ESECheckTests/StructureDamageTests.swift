import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// A page whose checksum is valid but whose structure is damaged is bad: ESE fails the read
/// with -1206 (CPAGE::ErrCheckPage), so a checker that stops at the checksum would certify it.
@Suite struct StructureDamageTests {
    let directory = TemporaryDirectory()

    @Test func resealedPageWithBrokenFreeSpaceIsCorrupt() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 8192, pageCount: 40, usedFraction: 1)])
        spec.generations = 3
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: directory.file("group"))
        let layout = PageLayout(pageSize: 8192)!
        let pageNumber: UInt32 = 17
        let output = try FileOutput(editing: files.databases[0])
        var page = try output.read(at: layout.fileOffset(pageNumber: pageNumber), count: 8192)
        page[PageHeader.Offset.freeBytes] = 0xFF      // cbFree far beyond the data area
        page[PageHeader.Offset.freeBytes + 1] = 0x7F
        PageWriter.seal(&page, pageNumber: pageNumber, layout: layout)
        try output.write(page, at: layout.fileOffset(pageNumber: pageNumber))
        output.close()

        let report = StorageGroupChecker().check(directory: files.directory)
        let database = try #require(report.databases.first)
        #expect(database.verdict == .corrupt && !report.verdict.isRestorable)
        #expect(database.report.pages.structureDamaged == 1)
        let finding = try #require(database.report.tally.sortedFindings.first)
        #expect(finding.pageNumber == pageNumber && finding.outcome == .structureDamaged(.CbFreeTooLarge))
        #expect(finding.jetError == .databaseCorrupted)
        let cli = try CommandRunner.run(["db", "--json", files.databases[0]])
        #expect(cli.status == 1)
    }
}
