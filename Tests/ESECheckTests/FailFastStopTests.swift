@_spi(Testing) @testable import ESECheck
import ESETestSupport
import ESECorpus
import Foundation
import Testing

/// Issue 17 point 5, granularity: `--fail-fast` stops within one read window of the deciding
/// page (not at the end of a 32 MiB chunk), and the report says where (`scope.stop`).
@Suite struct FailFastStopTests {
    let directory = TemporaryDirectory()

    func damaged(pages: Int, page: Int) throws -> String {
        let path = try SampleDatabase.write(to: directory.file("ff-\(pages).edb"), pages: pages, usedFraction: 1)
        let output = try FileOutput(editing: path)
        try output.write([0x5A, 0xA5], at: UInt64((page + 1) * 8192 + 300))
        output.close()
        return path
    }

    @Test(arguments: [ReadMethod.positional, .mapped])
    func failFastStopsWithinAWindowOfTheDecidingPage(method: ReadMethod) throws {
        // One 32 MiB chunk holds the whole file: before, the chunk was read to its end.
        let pages = method == .mapped ? 3000 : 600
        let path = try damaged(pages: pages, page: 3)
        var options = CheckOptions(readMethod: method, concurrency: 1, windowBytes: 64 << 10)
        options.failFast = true
        let database = StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil).databases[0]
        let seen = database.coverage.seenCount
        let window = method == .mapped ? 1024 : 8
        #expect(database.verdict == .corrupt)
        #expect(seen <= window, "stopped within a window: \(seen) pages read")
        let stop = try #require(database.report.scope.stop)
        #expect(stop.decidingPage == 3)
        #expect(stop.pagesNotRead == pages - seen)
        #expect(stop.firstPageNotRead == UInt32(seen + 1))
        #expect(database.report.scope.textLine.contains("stopped at the finding on page 3"))
        let json = database.report.json.serialized()
        #expect(json.contains("\"stopped\":{"))
        let report = StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil)
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        let problems = schema.validate(try JSONSerialization.jsonObject(with: Data(report.json.serialized().utf8)), against: "checkDocument")
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func withoutFailFastNothingStops() throws {
        let path = try damaged(pages: 600, page: 3)
        let database = StorageGroupChecker(options: CheckOptions(concurrency: 1, windowBytes: 64 << 10))
            .check(databases: [path], logDirectory: nil).databases[0]
        #expect(database.coverage.seenCount == 600)
        #expect(database.report.scope.stop == nil)
        #expect(database.report.json.serialized().contains("\"stopped\":null"))
    }
}
