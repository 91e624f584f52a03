import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// The database checker on generated files with injected damage.
@Suite struct DatabaseCheckerTests {
    let directory = TemporaryDirectory()

    @Test(arguments: [4096, 8192, 16384, 32768])
    func generatedDatabaseIsClean(pageSize: Int) throws {
        let path = try SampleDatabase.write(to: directory.file("clean.edb"), pageSize: pageSize, pages: 200)
        let report = DatabaseChecker().check(path)
        #expect(report.passed, "\(report.errors) \(report.tally.findings.prefix(3))")
        #expect(report.pages.total == 200 && report.pages.bad == 0 && report.pages.ok > 100)
        #expect(report.headers?.primary.isValid == true && report.headers?.shadow.isValid == true)
        #expect(report.headers?.copiesIdentical == true)
    }

    @Test func findingsAtTheEdgesAndInTheMiddle() throws {
        let pageSize = 8192
        let path = try SampleDatabase.write(to: directory.file("damaged.edb"), pageSize: pageSize, pages: 100, usedFraction: 1)
        let file = try FileOutput(editing: path)
        // Page 1 (the first data page): one flipped bit, correctable.
        try file.flipBit(atFileBit: UInt64(2 * pageSize) * 8 + 5000)
        // Page 100 (the last page): overwritten with garbage, bad.
        try file.write([UInt8](repeating: 0xA5, count: 64), at: UInt64(101 * pageSize) + 200)
        // Page 50 copied over page 51 (written at the wrong offset).
        let page50 = try file.read(at: UInt64(51 * pageSize), count: pageSize)
        try file.write(page50, at: UInt64(52 * pageSize))
        file.close()

        let report = DatabaseChecker().check(path)
        let findings = report.tally.sortedFindings
        #expect(findings.map(\.pageNumber) == [1, 51, 100])
        #expect(findings[0].outcome == .correctable(bitOffset: 5000))
        #expect(findings[1].outcome == .badChecksum(suspectedPageNumber: 50))
        #expect(findings[2].outcome.kind == .badChecksum)
        #expect(findings[2].fileOffset == UInt64(101 * pageSize))
        #expect(report.pages.correctable == 1 && report.pages.badChecksum == 2)
        #expect(!report.passed)
    }

    @Test func corruptPrimaryHeaderUsesTheShadow() throws {
        let path = try SampleDatabase.write(to: directory.file("shadow.edb"), pages: 30)
        let file = try FileOutput(editing: path)
        try file.flipBit(atFileBit: 60 * 8)
        file.close()
        let report = DatabaseChecker().check(path)
        #expect(report.headers?.usesShadow == true)
        #expect(report.headers?.primary.isValid == false && report.headers?.shadow.isValid == true)
        #expect(report.warnings.contains { $0.contains("shadow header was used") })
        #expect(report.pages.total == 30 && report.passed)
    }

    @Test func splittingIntoChunksAndThreadsGivesTheSameResult() throws {
        let path = try SampleDatabase.write(to: directory.file("split.edb"), pageSize: 4096, pages: 3000, usedFraction: 1)
        let file = try FileOutput(editing: path)
        for page in [7, 1500, 2999] { try file.flipBit(atFileBit: UInt64((page + 1) * 4096) * 8 + 999) }
        file.close()
        let whole = DatabaseChecker(options: CheckOptions(concurrency: 1, chunkBytes: 1 << 30)).check(path)
        let split = DatabaseChecker(options: CheckOptions(concurrency: 4, windowBytes: 64 << 10, chunkBytes: 64 << 10)).check(path)
        let mapped = DatabaseChecker(options: CheckOptions(readMethod: .mapped, concurrency: 3, windowBytes: 64 << 10, chunkBytes: 256 << 10)).check(path)
        #expect(whole.tally == split.tally)
        #expect(whole.tally == mapped.tally)
        #expect(whole.pages.correctable == 3)
    }

    @Test func manyFilesInParallelKeepTheirOrder() throws {
        var paths: [String] = []
        for index in 0..<6 {
            paths.append(try SampleDatabase.write(to: directory.file("db\(index).edb"), pageSize: 4096, pages: 50 + index, seed: UInt64(index)))
        }
        let reports = DatabaseChecker().check(paths)
        #expect(reports.map(\.path) == paths)
        #expect(reports.map(\.pages.total) == (0..<6).map { 50 + $0 })
    }

    @Test func legacyChecksumDatabase() throws {
        var spec = SampleDatabase.spec(pageSize: 4096, pages: 50)
        spec.legacyChecksums = true
        let path = directory.file("legacy.edb")
        try DatabaseWriter.write(spec, to: path)
        let report = DatabaseChecker().check(path)
        #expect(report.passed && report.pages.ok > 0)
    }

    @Test func progressCountsEveryByte() throws {
        let path = try SampleDatabase.write(to: directory.file("progress.edb"), pageSize: 4096, pages: 500)
        let progress = CheckProgress()
        _ = DatabaseChecker(options: CheckOptions(progress: progress)).check(path)
        #expect(progress.bytesDone == 500 * 4096)
        #expect(progress.bytesPlanned == 500 * 4096)
        #expect(progress.filesDone == 1)
    }
}
