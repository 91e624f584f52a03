@testable import ESECheck
import ESECorpus
import ESETestSupport
import Foundation
import Testing

/// Redo's database-time check on a tar stream (issue 19 point 3, issue 18 point 4): a generated
/// lost flush (`records-lost-flush`) archived by the system `tar`, with the logs before and
/// after the databases, fails with −566 exactly as the extracted directory does; its control
/// (the page as the logs expect it) is recoverable with the page compared and no finding.
@Suite(.enabled(if: TarTools.find("tar") != nil, "no tar on this machine"))
struct TarPageTimeTests {
    enum Order: String, CaseIterable, Sendable { case logsFirst, databasesFirst }

    /// Archives the files of `directory` with the system `tar`, the log-set files first or last.
    static func archive(_ directory: String, order: Order, into out: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let databases = names.filter { $0.hasSuffix(".edb") }
        let others = names.filter { !$0.hasSuffix(".edb") }
        #expect(!databases.isEmpty && others.contains { $0.hasSuffix(".log") })
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(TarTools.find("tar")))
        process.arguments = ["-cf", out, "-C", directory] + (order == .logsFirst ? others + databases : databases + others)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    static func check(archive path: String) throws -> StorageGroupReport {
        let handle = try #require(FileHandle(forReadingAtPath: path))
        var reader = TarReader { count in (try handle.read(upToCount: count)).map { [UInt8]($0) } ?? [] }
        // Small windows: many batches on several threads.
        return TarChecker(options: CheckOptions(concurrency: 3, windowBytes: 64 << 10)).check(&reader, name: path)
    }

    @Test(arguments: Order.allCases)
    func aLostFlushInATarFailsWith566AsTheDirectoryDoes(_ order: Order) throws {
        let root = TemporaryDirectory()
        let files = try PageTimeCheckTests.lostFlushGroup(in: root)
        let extracted = StorageGroupChecker().check(directory: files.directory)
        #expect(extracted.jetError == .dbTimeTooOld)
        let archive = root.file("set.tar")
        try Self.archive(files.directory, order: order, into: archive)
        let report = try Self.check(archive: archive)
        #expect(report.verdict == extracted.verdict && report.verdict == .notRecoverable)
        #expect(report.jetError == .dbTimeTooOld)
        let culprit = try #require(report.databases.first { $0.report.path.hasSuffix("mailbox01.edb") })
        #expect(culprit.jetError == .dbTimeTooOld, "\(culprit.reasons)")
        #expect(culprit.reasons.contains { $0.code == .dbtimeTooOld })
        #expect(culprit.pageTimes?.mismatches.map(\.pageNumber) == [3])
        #expect(culprit.pageTimes?.pagesCompared == extracted.databases[0].pageTimes?.pagesCompared)
        #expect(culprit.pageTimes?.notChecked == nil)
    }

    @Test(arguments: Order.allCases)
    func theControlInATarIsRecoverableWithThePageCompared(_ order: Order) throws {
        let root = TemporaryDirectory()
        let files = try PageTimeCheckTests.lostFlushGroup(in: root, value: 0)
        let extracted = StorageGroupChecker().check(directory: files.directory)
        #expect(extracted.verdict == .recoverable)
        let archive = root.file("set.tar")
        try Self.archive(files.directory, order: order, into: archive)
        let report = try Self.check(archive: archive)
        #expect(report.verdict == .recoverable, "\(report.databases.map(\.reasons))")
        #expect(report.jetError == extracted.jetError)
        let first = try #require(report.databases.first { $0.report.path.hasSuffix("mailbox01.edb") })
        #expect(first.pageTimes?.pagesCompared == 1)
        #expect(first.pageTimes?.mismatchCount == 0)
        #expect(first.pageTimes?.notChecked == nil)
    }
}
