import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// Never certify what was not verified: conflicting copies, resubmits, header batches, the
/// partial last page, suspected pages, the end of the file, base names, unchecked logs.
extension CheckSessionTests {
    /// A clean generated database's path and bytes.
    func cleanDatabase(_ name: String, pageSize: Int = 8192, pages: Int = 120, usedFraction: Double = 1) throws -> (path: String, bytes: [UInt8]) {
        let path = try SampleDatabase.write(to: directory.file(name), pageSize: pageSize, pages: pages, usedFraction: usedFraction)
        return (path, [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// A session over `bytes` streamed, headers checked, every data page fed once.
    func fedSession(_ name: String, _ bytes: [UInt8], pageSize: Int = 8192, logDirectory: String? = nil) throws -> CheckSession {
        let session = CheckSession(databases: [.stream(name: name, fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(65536)))],
                                   logDirectory: logDirectory)
        _ = try session.checkDatabaseHeaders()
        for start in stride(from: 2 * pageSize, to: bytes.count, by: 16 * pageSize) {
            let range = start..<min(bytes.count, start + 16 * pageSize)
            try session.checkPages(database: 0, fileOffset: UInt64(start), bytes: Array(bytes[range]).span.bytes)
        }
        return session
    }

    static func page(_ bytes: [UInt8], physical: Int, pageSize: Int = 8192) -> [UInt8] {
        Array(bytes[physical * pageSize..<(physical + 1) * pageSize])
    }

    @Test func aPageFedAgainWithOtherBytesIsAConflictNotTheFirstCopy() throws {
        let (path, bytes) = try cleanDatabase("conflict.edb")
        let session = try fedSession(path, bytes)
        var changed = Self.page(bytes, physical: 30)
        changed[500] ^= 0xFF
        let result = try session.checkPages(database: 0, fileOffset: 30 * 8192, bytes: changed.span.bytes)
        #expect(result.conflictingOffsets == [30 * 8192])
        #expect(result.jetError == .diskReadVerificationFailure, "the batch says what the verdict will: a conflict, not -1018")
        let report = try session.finish()
        let database = try #require(report.databases.first)
        #expect(database.verdict == .incomplete)
        #expect(database.coverage.conflicting == [29...29])
        let reason = try #require(database.reasons.first { $0.code == "conflictingCopies" })
        #expect(!reason.isWarning && reason.message.contains("29") && reason.jetError == .diskReadVerificationFailure)
        #expect(report.jetError == .diskReadVerificationFailure)
        #expect(database.report.pages.total == 120, "the second copy is not counted")
    }

    @Test func aResubmitOutOfOrderIsMisuse() throws {
        let (path, bytes) = try cleanDatabase("misuse.edb", pages: 10)
        let session = CheckSession(databasePaths: [path])
        let page = Self.page(bytes, physical: 3)
        #expect(throws: CheckError.self) { try session.resubmitPages(database: 0, fileOffset: 3 * 8192, bytes: page.span.bytes) }
        _ = try session.checkDatabaseHeaders()
        #expect(throws: CheckError.self) { try session.resubmitPages(database: 1, fileOffset: 3 * 8192, bytes: page.span.bytes) }
        #expect(throws: CheckError.self) { try session.resubmitPages(database: 0, fileOffset: 12 * 8192, bytes: page.span.bytes) }
        #expect(throws: CheckError.self) { try session.resubmitPages(database: 0, fileOffset: 3 * 8192, bytes: Array(page.prefix(100)).span.bytes) }
        // A resubmit of a page never checked is a plain check.
        let first = try session.resubmitPages(database: 0, fileOffset: 3 * 8192, bytes: page.span.bytes)
        #expect(first.jetError == .success && first.pages.count == 1)
        _ = try session.finish()
        #expect(throws: CheckError.self) { try session.resubmitPages(database: 0, fileOffset: 3 * 8192, bytes: page.span.bytes) }
    }

    @Test func anIdenticalRepeatIsOnlyAWarning() throws {
        let (path, bytes) = try cleanDatabase("repeat.edb")
        let session = try fedSession(path, bytes)
        let result = try session.checkPages(database: 0, fileOffset: 30 * 8192, bytes: Self.page(bytes, physical: 30).span.bytes)
        #expect(result.conflictingOffsets.isEmpty && result.jetError == .success)
        let database = try #require(try session.finish().databases.first)
        #expect(database.verdict == .consistent)
        #expect(database.coverage.duplicated == [29...29] && database.coverage.conflicting.isEmpty)
        #expect(database.reasons.contains { $0.code == "pagesCheckedTwice" && $0.isWarning })
    }

    @Test func aResubmitReplacesTheEarlierResult() throws {
        let (path, good) = try cleanDatabase("resubmit.edb")
        var damaged = good
        damaged[40 * 8192 + 700] ^= 0x55            // page 39 bad
        damaged[41 * 8192 + 700] ^= 0x55            // page 40 bad
        let session = try fedSession(path, damaged)
        // The transport re-read pages 39–40 and got good copies, then page 50 as a bad one.
        let reread = Array(good[40 * 8192..<42 * 8192])
        let fixed = try session.resubmitPages(database: 0, fileOffset: 40 * 8192, bytes: reread.span.bytes)
        #expect(fixed.jetError == .success && fixed.pages.allSatisfy { $0.outcome == .ok })
        var worse = Self.page(good, physical: 51)
        worse[900] ^= 0x0F
        let broken = try session.resubmitPages(database: 0, fileOffset: 51 * 8192, bytes: worse.span.bytes)
        #expect(broken.jetError == .readVerifyFailure && broken.conflictingOffsets.isEmpty)
        let database = try #require(try session.finish().databases.first)
        let tally = database.report.tally
        #expect(tally.counts.total == 120, "replaced, not added")
        #expect(tally.counts.badChecksum == 1 && tally.findings.map(\.pageNumber) == [50])
        #expect(tally.findingRanges == [FindingRange(kind: .badChecksum, firstPage: 50, lastPage: 50)])
        #expect(database.verdict == .corrupt)
        #expect(database.coverage.duplicated.isEmpty, "a resubmit is not a page checked twice")
    }

    @Test func aResubmitResolvesAConflict() throws {
        let (path, bytes) = try cleanDatabase("resolve.edb")
        let session = try fedSession(path, bytes)
        var changed = Self.page(bytes, physical: 12)
        changed[100] ^= 1
        try session.checkPages(database: 0, fileOffset: 12 * 8192, bytes: changed.span.bytes)
        try session.resubmitPages(database: 0, fileOffset: 12 * 8192, bytes: Self.page(bytes, physical: 12).span.bytes)
        let database = try #require(try session.finish().databases.first)
        #expect(database.coverage.conflicting.isEmpty)
        #expect(database.verdict == .consistent, "\(database.reasons)")
        #expect(database.report.pages.total == 120 && database.report.pages.ok == 120)
    }

    @Test func aBadPrimaryHeaderWithAGoodShadowDoesNotFailItsBatch() throws {
        var (path, bytes) = try cleanDatabase("primary.edb", pages: 20)
        bytes[300] ^= 0xFF                           // the primary header fails its checksum
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let session = CheckSession(databasePaths: [path])
        #expect(try session.checkDatabaseHeaders().jetError == .success)
        let result = try session.checkPages(database: 0, fileOffset: 0, bytes: bytes.span.bytes)
        #expect(result.headerPages.count == 2 && !result.headerPages[0].isValid && result.headerPages[1].isValid)
        #expect(result.jetError == .success && result.conflictingOffsets.isEmpty)
        let database = try #require(try session.finish().databases.first)
        #expect(database.verdict == .consistent)
        #expect(database.reasons.contains { $0.isWarning && $0.message.contains("shadow header was used") })
    }

    @Test func aHeaderPageOtherThanTheOneCheckedIsAConflict() throws {
        let (path, bytes) = try cleanDatabase("header.edb", pages: 20)
        let session = CheckSession(databasePaths: [path])
        _ = try session.checkDatabaseHeaders()
        var other = Array(bytes[0..<8192])
        other[300] ^= 0xFF
        let result = try session.checkPages(database: 0, fileOffset: 0, bytes: other.span.bytes)
        #expect(result.conflictingOffsets == [0] && result.jetError == .diskReadVerificationFailure)
        try session.checkPages(database: 0, fileOffset: 2 * 8192, bytes: Array(bytes[(2 * 8192)...]).span.bytes)
        let database = try #require(try session.finish().databases.first)
        #expect(database.coverage.conflictingHeaderPages == [0])
        #expect(database.verdict == .incomplete && database.reasons.contains { $0.code == "conflictingCopies" && $0.message.contains("header page 0") })
    }

    @Test func aPartialLastPageIsReportedNotRefused() throws {
        let (path, whole) = try cleanDatabase("partial.edb", pages: 20)
        let bytes = whole + [UInt8](repeating: 7, count: 100)
        let session = CheckSession(databases: [.stream(name: path, fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(65536)))])
        _ = try session.checkDatabaseHeaders()
        // A batch not ending at the end of the file must still be whole pages.
        #expect(throws: CheckError.self) {
            try session.checkPages(database: 0, fileOffset: 2 * 8192, bytes: Array(bytes[(2 * 8192)..<(3 * 8192 + 100)]).span.bytes)
        }
        let result = try session.checkPages(database: 0, fileOffset: 2 * 8192, bytes: Array(bytes[(2 * 8192)...]).span.bytes)
        #expect(result.pages.count == 20 && result.partialPageBytes == 100 && result.partialPageOffset == UInt64(whole.count))
        #expect(result.jetError == .fileIOBeyondEOF)
        let tail = try session.checkPages(database: 0, fileOffset: UInt64(whole.count), bytes: Array(bytes[whole.count...]).span.bytes)
        #expect(tail.pages.isEmpty && tail.partialPageBytes == 100)
        let database = try #require(try session.finish().databases.first)
        #expect(database.coverage.isComplete)
        #expect(database.verdict == .corrupt && database.reasons.contains { $0.code == "partialPage" })
        #expect(database.report.errors.first?.offset == UInt64(whole.count))
    }

    @Test func aSuspectedPageIsAlwaysAPageOfTheFile() throws {
        let (_, big) = try cleanDatabase("big.edb", pages: 300)
        let (path, small) = try cleanDatabase("small.edb", pages: 100)
        var bytes = small
        // Page 20's bytes at page 50: "perhaps this is actually page 20".
        bytes.replaceSubrange(51 * 8192..<52 * 8192, with: Self.page(small, physical: 21))
        // Page 250 of a larger file at page 60: no page 250 here.
        bytes.replaceSubrange(61 * 8192..<62 * 8192, with: Self.page(big, physical: 251))
        let session = try fedSession(path, bytes)
        let database = try #require(try session.finish().databases.first)
        let findings = database.report.tally.findings
        #expect(findings.first { $0.pageNumber == 50 }?.outcome == .badChecksum(suspectedPageNumber: 20))
        #expect(findings.first { $0.pageNumber == 60 }?.outcome == .badChecksum(suspectedPageNumber: nil))
    }

    @Test func noPageNumberPastTheEndOfTheFile() throws {
        let (path, bytes) = try cleanDatabase("end.edb", pages: 10)
        let session = CheckSession(databasePaths: [path])
        #expect(session.pageNumber(database: 0, fileOffset: 2 * 8192) == nil, "before the headers")
        _ = try session.checkDatabaseHeaders()
        #expect(session.pageNumber(database: 0, fileOffset: UInt64(bytes.count) - 8192) == 10)
        #expect(session.pageNumber(database: 0, fileOffset: UInt64(bytes.count)) == nil)
        #expect(session.pageNumber(database: 0, fileOffset: UInt64(bytes.count) + 8192 * 1000) == nil)
    }

    @Test(arguments: ["E0", "E000", "", "E.0"])
    func aBaseNameMustBeThreeCharacters(base: String) throws {
        let (path, _) = try cleanDatabase("base-\(base.count).edb", pages: 4)
        let session = CheckSession(databasePaths: [path], logDirectory: directory.path, baseName: base)
        do {
            _ = try session.checkDatabaseHeaders()
            Issue.record("base name '\(base)' was accepted")
        } catch {
            #expect(error.code == .invalidUse && error.jetError == .invalidParameter)
        }
    }

    @Test func logsGivenButNeverCheckedCannotEndConsistent() throws {
        for dirty in [false, true] {
            var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 8192, pageCount: 40)])
            spec.dirty = dirty
            spec.generations = 6
            spec.logFileSectors = 16
            let files = try StorageGroupWriter.write(spec, to: directory.file(dirty ? "dirty" : "clean"))
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: files.databases[0])))
            let session = try fedSession(files.databases[0], bytes, logDirectory: files.directory)
            let report = try session.finish()
            let database = try #require(report.databases.first)
            #expect(database.verdict == .incomplete, "dirty \(dirty)")
            #expect(database.reasons.contains { $0.code == "logsNotChecked" && !$0.isWarning })
            #expect(report.jetError == .taskDropped && !report.isRestorable)
        }
    }

    @Test func theOverallErrorIsTheWorstDatabases() throws {
        let dirty = try SampleDatabase.write(to: directory.file("dirty-db.edb"), pages: 30)
        var spec = StorageGroupSpec(databases: [.init(name: "dirty.edb", pageSize: 8192, pageCount: 30)])
        spec.dirty = true
        spec.generations = 4
        spec.logFileSectors = 16
        let group = try StorageGroupWriter.write(spec, to: directory.file("group"))
        let (corrupt, _) = try cleanDatabase("corrupt.edb", pages: 30)
        let output = try FileOutput(editing: corrupt)
        try output.write([1, 2, 3, 4], at: 10 * 8192 + 300)
        output.close()
        _ = dirty
        for order in [[group.databases[0], corrupt], [corrupt, group.databases[0]]] {
            let report = StorageGroupChecker().check(databases: order, logDirectory: nil)
            let verdicts = Set(report.databases.map(\.verdict))
            #expect(verdicts == [.missingLogs, .corrupt])
            #expect(report.verdict == .corrupt && report.jetError == .readVerifyFailure, "\(order)")
        }
    }

    @Test func findingsAreCappedAndCoalesced() throws {
        let (path, good) = try cleanDatabase("capped.edb", pages: 200)
        var bytes = good
        for physical in 2..<bytes.count / 8192 where physical != 100 { bytes[physical * 8192 + 1000] ^= 0xA5 }
        var options = CheckOptions()
        options.maxFindings = 5
        let session = CheckSession(databases: [.stream(name: path, fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(65536)))],
                                   options: options)
        _ = try session.checkDatabaseHeaders()
        // Backwards, in batches of three: the lowest pages are the ones listed.
        var end = bytes.count
        while end > 2 * 8192 {
            let start = max(2 * 8192, end - 3 * 8192)
            try session.checkPages(database: 0, fileOffset: UInt64(start), bytes: Array(bytes[start..<end]).span.bytes)
            end = start
        }
        let database = try #require(try session.finish().databases.first)
        let tally = database.report.tally
        #expect(tally.counts.badChecksum == 199)
        #expect(tally.findings.map(\.pageNumber) == [1, 2, 3, 4, 5])
        #expect(tally.findingsOmitted == 194)
        #expect(tally.findingRanges == [FindingRange(kind: .badChecksum, firstPage: 1, lastPage: 98),
                                        FindingRange(kind: .badChecksum, firstPage: 100, lastPage: 200)])
        #expect(tally.findingRangesOmitted == 0)
        let json = database.json
        #expect(json["findingsOmitted"] == .number(194))
        #expect(json["findingRanges"] != nil && json["findingRangesOmitted"] == .number(0))
        #expect(database.reasons.contains { $0.code == "badPages" && $0.message.hasPrefix("199 bad pages: 1-98, 100-200") })
    }
}
