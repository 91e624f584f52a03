import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// The generator's `realPageReferences` (issue 19 point 6): the replay span's page records change
/// the databases' real in-use pages with the times redo expects, so redo's database-time check
/// compares them all and passes; one page made older than its first record fails −566; and the
/// option off leaves the output as it was.
@Suite struct RealPageReferenceTests {
    static func spec(real: Bool) -> StorageGroupSpec {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox01.edb", pageSize: 8192, pageCount: 600),
                                                .init(name: "mailbox02.edb", pageSize: 8192, pageCount: 300)])
        spec.dirty = true
        spec.generations = 5
        spec.logFileSectors = 32
        spec.seed = 61
        spec.realPageReferences = real
        return spec
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func everyReferencedPageIsComparedAndPasses() throws {
        let directory = TemporaryDirectory()
        let files = try StorageGroupWriter.write(Self.spec(real: true), to: directory.file("g"))
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.verdict == .recoverable, "\(report.databases.map(\.reasons))")
        for database in report.databases {
            let times = try #require(database.pageTimes)
            #expect(times.pagesReferenced >= 200, "\(times.pagesReferenced)")
            #expect(times.pagesCompared == times.pagesReferenced)
            #expect(times.mismatchCount == 0)
        }
    }

    @Test func aReferencedPageOlderThanItsFirstRecordFails566() throws {
        let directory = TemporaryDirectory()
        let spec = Self.spec(real: true)
        let files = try StorageGroupWriter.write(spec, to: directory.file("g"))
        // The in-use page 40 of the first database, one database time older than written.
        let page: UInt32 = 40
        let layout = DatabaseLayout(pageCount: 600, pageSize: 8192, usedFraction: spec.databases[0].usedFraction)
        if case .free = layout.role(of: page) { Issue.record("page \(page) is not in use") }
        let output = try FileOutput(editing: files.databases[0])
        var bytes = try output.read(at: UInt64(page + 1) * 8192, count: 8192)
        var time: UInt64 = 0
        for byte in 0..<8 { time |= UInt64(bytes[PageHeader.Offset.databaseTime + byte]) << (8 * byte) }
        for byte in 0..<8 { bytes[PageHeader.Offset.databaseTime + byte] = UInt8(truncatingIfNeeded: (time - 1) >> (8 * byte)) }
        PageWriter.seal(&bytes, pageNumber: page, layout: PageLayout(pageSize: 8192)!)
        try output.write(bytes, at: UInt64(page + 1) * 8192)
        output.close()
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.jetError == .dbTimeTooOld, "\(report.databases.map(\.reasons))")
        let times = try #require(report.databases[0].pageTimes)
        #expect(times.mismatches.map(\.pageNumber) == [page])
        #expect(times.mismatches.first?.timeBefore == time)
        #expect(times.pagesCompared == times.pagesReferenced)
    }

    @Test func offByDefaultTheOutputIsUnchanged() throws {
        let directory = TemporaryDirectory()
        #expect(StorageGroupSpec(databases: []).realPageReferences == false)
        let plain = try StorageGroupWriter.write(Self.spec(real: false), to: directory.file("plain"))
        let real = try StorageGroupWriter.write(Self.spec(real: true), to: directory.file("real"))
        let report = StorageGroupChecker().check(directory: plain.directory)
        #expect(report.databases.reduce(0) { $0 + ($1.pageTimes?.pagesReferenced ?? 0) } == 0)
        // Databases and the logs before the checkpoint are the same; the span's logs differ.
        for (a, b) in zip(plain.databases, real.databases) { #expect(try Self.bytes(a) == Self.bytes(b)) }
        let checkpoint = Self.spec(real: true).checkpointGeneration
        for generation in plain.logs.keys.sorted() {
            let same = try Self.bytes(plain.logs[generation]!) == Self.bytes(real.logs[generation]!)
            #expect(same == (generation < checkpoint), "generation \(generation)")
        }
    }
}
