import ESECheck
import ESETestSupport
import Foundation
import Testing

/// The database root (pgno 1) and the catalog root (pgno 4) are at fixed places in every ESE
/// database: read as all zero, they are damage ESE fails on (−1019), never a structure walk
/// quietly not run and a `consistent` verdict.
@Suite struct FixedRootTests {
    let directory = TemporaryDirectory()

    func zeroed(_ pages: [Int], name: String) throws -> StorageGroupReport {
        let path = try SampleDatabase.write(to: directory.file(name), pages: 200, usedFraction: 1)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for page in pages { bytes.replaceSubrange((page + 1) * 8192..<(page + 2) * 8192, with: Data(count: 8192)) }
        try bytes.write(to: URL(fileURLWithPath: path))
        return StorageGroupChecker().check(databases: [path], logDirectory: nil)
    }

    @Test func anIntactDatabaseIsWalked() throws {
        let report = try zeroed([], name: "intact.edb")
        #expect(report.verdict == .consistent)
        #expect(report.databases[0].report.structure?.scope == .walked)
    }

    /// A walk that cannot run says so: a database too small to hold the catalog root is
    /// checked page by page, with a warning that its structure was not verified.
    @Test func aWalkThatCannotRunIsAWarningNotSilence() throws {
        let path = try SampleDatabase.write(to: directory.file("tiny.edb"), pages: 3, usedFraction: 1)
        let database = StorageGroupChecker().check(databases: [path], logDirectory: nil).databases[0]
        #expect(database.report.structure?.scope == .treesNotDiscoverable)
        #expect(database.reasons.contains { $0.code == .structureNotVerified && $0.isWarning }, "\(database.reasons)")
    }

    @Test(arguments: [[1], [4], [1, 4]])
    func aZeroedFixedRootIsCorrupt(pages: [Int]) throws {
        let report = try zeroed(pages, name: "zeroed-\(pages.map(String.init).joined(separator: "-")).edb")
        let database = report.databases[0]
        #expect(database.verdict == .corrupt, "\(database.reasons)")
        #expect(database.jetError == .pageNotInitialized)
        let findings = try #require(database.report.structure?.findings)
        #expect(Set(findings.map(\.page)).isSuperset(of: Set(pages.map(UInt32.init))) || pages == [4], "\(findings)")
    }
}
