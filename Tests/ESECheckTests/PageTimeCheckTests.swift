import ESETestSupport
@testable import ESECheck
import ESECorpus
@testable import ESEFormat
import Foundation
import Testing

/// Redo's database-time check against the pages held (issue 19 point 3): the rule of
/// `FLGNeedRedoCheckDbtimeBefore` (logredo.cxx:336-442) and `ErrLGIAccessPage` (592-775) as a
/// table, the ledger that records pages arriving before the logs, a generated lost flush
/// through `check` and through a streamed session fed from several threads in random order.
@Suite struct PageTimeCheckTests {
    typealias Reference = PageTimeExpectations.Reference

    static func reference(_ page: UInt32, before: UInt64?, after: UInt64, inRange: Bool = false, order: UInt32 = 0) -> Reference {
        Reference(pageNumber: page, order: order, timeBefore: before ?? PageTimeExpectations.newPage, timeAfter: after,
                  inRequiredRange: inRange, position: LogPosition(generation: inRange ? 4 : 6, sector: 1, byteOffset: UInt16(order)),
                  recordType: LogRecordType(rawValue: 29))
    }

    static func verdict(_ references: [Reference], _ state: PageTimeState, space: Bool = false) -> String {
        let expectations = PageTimeExpectations(references: references, spaceRecordsInSpan: space)
        guard let mismatch = expectations.mismatch(page: 7, state: state) else { return "ok" }
        return "\(mismatch.jetError.code)" + (mismatch.deferred ? " deferred" : "")
    }

    // MARK: The rule

    @Test func redoNeededComparesTheBeforeTime() {
        let record = [Self.reference(7, before: 100, after: 110)]
        #expect(Self.verdict(record, .time(100)) == "ok")          // equal: redone
        #expect(Self.verdict(record, .time(90)) == "-566")         // older: lost flush
        #expect(Self.verdict(record, .time(105)) == "-567")        // between before and after
    }

    @Test func redoNotNeededIsFineOnlyInsideTheRequiredRange() {
        #expect(Self.verdict([Self.reference(7, before: 100, after: 110, inRange: true)], .time(110)) == "ok")
        #expect(Self.verdict([Self.reference(7, before: 100, after: 110, inRange: true)], .time(500)) == "ok")
        // Past lGenMaxRequired the page cannot hold the change yet (logredo.cxx:423-438).
        #expect(Self.verdict([Self.reference(7, before: 100, after: 110)], .time(110)) == "-625")
        #expect(Self.verdict([Self.reference(7, before: 100, after: 110)], .time(500)) == "-625")
    }

    @Test func olderPagesInsideTheRequiredRangeAreParked() {
        let record = [Self.reference(7, before: 100, after: 110, inRange: true)]
        #expect(Self.verdict(record, .time(90)) == "-566 deferred")
        // A shrink or trim in the span may clear a parked page (logredo.cxx:11150-11158, 11446-11454).
        #expect(Self.verdict(record, .time(90), space: true) == "ok")
        // −567 is never parked.
        #expect(Self.verdict(record, .time(105), space: true) == "-567")
    }

    @Test func onlyTheFirstRecordRedoAppliesIsComparedWithTheCopy() {
        // Records inside the range that the page already holds are skipped; the first it needs must match.
        let chain = [Self.reference(7, before: 50, after: 60, inRange: true, order: 1),
                     Self.reference(7, before: 60, after: 70, inRange: true, order: 2),
                     Self.reference(7, before: 70, after: 80, order: 3),
                     Self.reference(7, before: 80, after: 90, order: 4)]
        #expect(Self.verdict(chain, .time(70)) == "ok")
        #expect(Self.verdict(chain, .time(69)) == "-567")
        // Once redone, later records chain on the log's own times, whatever their order in the array.
        #expect(Self.verdict(chain.reversed(), .time(70)) == "ok")
        #expect(Self.verdict(chain, .time(40)) == "-566 deferred")
    }

    @Test func newPagesAreFormattedWithoutComparison() {
        #expect(Self.verdict([Self.reference(7, before: nil, after: 110)], .time(3)) == "ok")
        #expect(Self.verdict([Self.reference(7, before: nil, after: 110), Self.reference(7, before: 5, after: 120, order: 1)], .time(3)) == "ok")
        // Inside the range a newer page is kept (logredo.cxx:897-934): the next record is compared.
        let kept = [Self.reference(7, before: nil, after: 110, inRange: true), Self.reference(7, before: 130, after: 140, order: 1)]
        #expect(Self.verdict(kept, .time(120)) == "-566")
        #expect(Self.verdict(kept, .time(135)) == "-567")
        #expect(Self.verdict([Self.reference(7, before: nil, after: 110)], .uninitialized) == "ok")
    }

    @Test func anAllZeroPageThatMustExistIsDataMissing() {
        #expect(Self.verdict([Self.reference(7, before: 100, after: 110)], .uninitialized) == "-1019")
        #expect(Self.verdict([Self.reference(7, before: 100, after: 110, inRange: true)], .uninitialized) == "-1019 deferred")
        #expect(Self.verdict([Self.reference(7, before: 100, after: 110, inRange: true)], .uninitialized, space: true) == "ok")
    }

    @Test func pagesNoRecordChangesAreNotCompared() {
        let expectations = PageTimeExpectations(references: [Self.reference(7, before: 100, after: 110)])
        #expect(expectations.mismatch(page: 8, state: .time(1)) == nil)
        #expect(expectations.mismatch(page: 6, state: .uninitialized) == nil)
        #expect(PageTimeExpectations(references: [Self.reference(7, before: 100, after: 110)], notChecked: "why").isEmpty)
    }

    @Test func aCorrectedBitInTheTimeFieldIsCorrectedFirst() throws {
        let layout = try #require(PageLayout(pageSize: 8192))
        var page = [UInt8](repeating: 0, count: 8192)
        for index in 40..<200 { page[index] = UInt8(truncatingIfNeeded: index) }
        page[8] = 100  // dbtime 100
        PageWriter.seal(&page, pageNumber: 7, layout: layout)
        func state(_ bytes: [UInt8]) throws -> PageTimeState? {
            PageTimeState(try PageVerifier.check(bytes.span.bytes, pageNumber: 7, layout: layout))
        }
        #expect(try state(page) == .time(100))
        var flipped = page
        flipped[8] ^= 0x08  // a flipped bit in the time field: ESE corrects it before reading the time
        let check = try PageVerifier.check(flipped.span.bytes, pageNumber: 7, layout: layout)
        #expect(check.outcome == .correctable(bitOffset: 8 * 8 + 3))
        #expect(try state(flipped) == .time(100))
        var elsewhere = page
        elsewhere[100] ^= 0x01
        #expect(try state(elsewhere) == .time(100))
        var bad = page
        bad[100] ^= 0xFF
        #expect(try state(bad) == nil)
        #expect(try state([UInt8](repeating: 0, count: 8192)) == .uninitialized)
    }

    // MARK: The ledger

    @Test func pagesBeforeTheLogsAreRecordedThenCompared() {
        let ledger = PageTimeLedger(pageCount: 20)
        ledger.observe([(7, .time(90)), (8, .time(5)), (9, .uninitialized)])
        ledger.resolve(PageTimeExpectations(references: [Self.reference(7, before: 100, after: 110, order: 1),
                                                         Self.reference(9, before: 1, after: 2, order: 2),
                                                         Self.reference(12, before: 100, after: 110, order: 3)]))
        ledger.observe([(12, .time(100))])
        let result = ledger.result(limit: 10)
        #expect(result?.pagesReferenced == 3)
        #expect(result?.pagesCompared == 3)
        #expect(result?.mismatches.map(\.pageNumber) == [7, 9])
        #expect(result?.first?.jetError == .dbTimeTooOld)
        // A resubmitted page replaces its comparison.
        ledger.observe([(7, .time(100))])
        #expect(ledger.result(limit: 10)?.mismatches.map(\.pageNumber) == [9])
    }

    /// The batch path: consecutive physical pages, one code each (`skipped` for pages that are
    /// not data pages), recorded before the expectations and compared after — only the pages
    /// they reference, whatever the batch's range.
    @Test func batchesOfCodesAreRecordedThenComparedInTheirRange() {
        let ledger = PageTimeLedger(pageCount: 40)
        let time = { (value: UInt64) in PageTimeLedger.code(PageCheck(pageNumber: 0, outcome: .ok, format: .eccXOR, stored: PageChecksums(0),
                                                                         computed: PageChecksums(0), databaseTime: value)) }
        // Physical 0–11 (logical 1–10 from physical 2): headers skipped, page 7 older than the logs expect.
        var first = [UInt64](repeating: PageTimeLedger.skipped, count: 12)
        for physical in 2..<12 { first[physical] = time(100) }
        first[8] = time(90)                                     // logical 7
        ledger.observe(firstPhysical: 0, codes: first)
        ledger.resolve(PageTimeExpectations(references: [Self.reference(7, before: 100, after: 110, order: 1),
                                                         Self.reference(9, before: 100, after: 110, order: 2),
                                                         Self.reference(30, before: 100, after: 110, order: 3),
                                                         Self.reference(30, before: 110, after: 120, order: 4),
                                                         Self.reference(35, before: 1, after: 2, order: 5)]))
        #expect(ledger.result(limit: 10)?.pagesCompared == 2)
        #expect(ledger.result(limit: 10)?.mismatches.map(\.pageNumber) == [7])
        // Physical 25–36 (logical 24–35): page 30 as expected, page 35 not a data page here.
        var second = (25...36).map { _ in time(100) }
        second[35 - 24] = PageTimeLedger.skipped
        ledger.observe(firstPhysical: 25, codes: second)
        #expect(ledger.result(limit: 10)?.pagesCompared == 3)
        // Page 7 resubmitted as expected; page 9 now unusable (0) drops its comparison.
        var third = [UInt64](repeating: PageTimeLedger.skipped, count: 4)
        third[0] = time(100)                                    // physical 8 = logical 7
        third[2] = 0                                            // logical 9
        ledger.observe(firstPhysical: 8, codes: third)
        let result = ledger.result(limit: 10)
        #expect(result?.pagesCompared == 2)
        #expect(result?.mismatchCount == 0)
    }

    /// The references are grouped by page in log order, whichever way they are sorted: a
    /// counting sort (in log order, pages near the count) or an index sort (sparse high pages,
    /// or references not handed in log order) give the same order.
    @Test func everySortGroupsByPageInLogOrder() {
        var generator = SystemRandomNumberGenerator()
        for highest: UInt32 in [50, 1 << 30] {
            let references = (0..<500).map { order in
                Self.reference(UInt32.random(in: 1...highest, using: &generator) % 60 &* (highest / 50), before: 1, after: 2, order: UInt32(order))
            }
            let expected = references.sorted { ($0.pageNumber, $0.order) < ($1.pageNumber, $1.order) }
            #expect(PageTimeExpectations(references: references).references == expected)
            #expect(PageTimeExpectations(references: references.reversed()).references == expected)
        }
    }

    @Test func aDatabaseWithNothingToCompareIsIdle() {
        let ledger = PageTimeLedger(pageCount: 20)
        #expect(!ledger.isIdle)
        ledger.resolve(.none)
        #expect(ledger.isIdle)
        ledger.observe([(7, .time(90))])
        #expect(ledger.result(limit: 10) == nil)
    }

    // MARK: Generated lost flush

    static func lostFlushGroup(in directory: TemporaryDirectory, value: Int = 1, generation: Int32? = nil) throws -> StorageGroupFiles {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox01.edb", pageSize: 8192, pageCount: 60),
                                                .init(name: "mailbox02.edb", pageSize: 8192, pageCount: 40)])
        spec.dirty = true
        spec.generations = 5
        spec.seed = 19
        let files = try StorageGroupWriter.write(spec, to: directory.file("g"))
        try FaultInjector.apply(Fault(.lostFlush, database: 0, page: 3, generation: generation, value: value), to: files, spec: spec)
        return files
    }

    @Test func aLostFlushFailsRecoveryWith566AndTheSetWithIt() throws {
        let directory = TemporaryDirectory()
        let files = try Self.lostFlushGroup(in: directory)
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.verdict == .notRecoverable)
        #expect(report.jetError == .dbTimeTooOld)
        let culprit = report.databases[0]
        #expect(culprit.verdict == .notRecoverable && culprit.jetError == .dbTimeTooOld, "\(culprit.reasons)")
        #expect(culprit.reasons.contains { $0.code == .dbtimeTooOld })
        #expect(culprit.pageTimes?.mismatches.map(\.pageNumber) == [3])
        #expect(culprit.pageTimes?.mismatches.first?.deferred == false)
        #expect(culprit.report.pages.bad == 0)
        // The other database is fine as a file, but recovery of the set fails.
        #expect(report.databases[1].verdict == .notRecoverable)
        #expect(report.databases[1].reasons.contains { $0.code == .setNotRecoverable })
        let json = report.json.serialized()
        #expect(json.contains("\"pageTimes\""))
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        let problems = schema.validate(try JSONSerialization.jsonObject(with: Data(json.utf8)), against: "checkDocument")
        #expect(problems.isEmpty, "\(problems)")
        #expect(report.text.contains("not as the logs expect"))
    }

    @Test func thePageAsTheLogsExpectIsRecoverable() throws {
        let directory = TemporaryDirectory()
        let files = try Self.lostFlushGroup(in: directory, value: 0)
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.verdict == .recoverable, "\(report.databases.map(\.reasons))")
        #expect(report.databases[0].pageTimes?.pagesCompared == 1)
        #expect(report.databases[0].pageTimes?.mismatchCount == 0)
    }

    @Test func aLostFlushInsideTheRequiredRangeIsRaisedWhenReplayLeavesIt() throws {
        let directory = TemporaryDirectory()
        // Generation 3 lies inside lGenMaxRequired (3-4): ESE parks the page and fails at the range's end.
        let files = try Self.lostFlushGroup(in: directory, generation: 4)
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.jetError == .dbTimeTooOld, "\(report.databases.map(\.reasons))")
        #expect(report.databases[0].pageTimes?.mismatches.first?.deferred == true)
    }

    // MARK: The streamed session

    enum Order: String, CaseIterable, Sendable { case logsFirst, pagesFirst, concurrent }

    @Test(arguments: Order.allCases)
    func streamedPagesInRandomOrderFromManyThreadsFindTheLostFlush(_ order: Order) throws {
        let directory = TemporaryDirectory()
        let files = try Self.lostFlushGroup(in: directory)
        let session = CheckSession(databasePaths: files.databases, logDirectory: files.directory)
        _ = try session.checkDatabaseHeaders()
        if order == .logsFirst { try session.checkLogs() }
        var batches: [(database: Int, offset: UInt64, bytes: [UInt8])] = []
        for (index, path) in files.databases.enumerated() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            for start in stride(from: 0, to: bytes.count, by: 8192 * 3) {
                batches.append((index, UInt64(start), Array(bytes[start..<min(bytes.count, start + 8192 * 3)])))
            }
        }
        var generator = SystemRandomNumberGenerator()
        batches.shuffle(using: &generator)
        let shared = batches
        DispatchQueue.concurrentPerform(iterations: 5) { worker in
            if order == .concurrent, worker == 2 { _ = try? session.checkLogs() }
            for index in stride(from: worker, to: shared.count, by: 5) {
                let batch = shared[index]
                _ = try? session.checkPages(database: batch.database, fileOffset: batch.offset, bytes: batch.bytes.span.bytes)
            }
        }
        if order == .pagesFirst { try session.checkLogs() }
        let report = try session.finish()
        #expect(report.jetError == .dbTimeTooOld, "\(order): \(report.databases.map(\.reasons))")
        #expect(report.databases[0].pageTimes?.mismatches.map(\.pageNumber) == [3])
        #expect(report.databases[0].coverage.isComplete)
    }
}

/// Issue 19 point 6: the page references come from the one walk of the logs — no log is read
/// or walked a second time — and only from the logs recovery can replay, only for pages the
/// databases hold; the report does not keep them.
@Suite struct PageTimeCollectionTests {
    @Test func theWalkKeepsReferencesFromTheCheckpointOnForPagesTheDatabasesHold() throws {
        let directory = TemporaryDirectory()
        let files = try PageTimeCheckTests.lostFlushGroup(in: directory)
        var checker = LogSetChecker()
        checker.pageCollection = LogSetChecker.PageCollection(highestPage: 60)
        let report = checker.check(directory: files.directory)
        let checkpoint = try #require(report.checkpoint?.checkpoint?.generation)
        #expect(checkpoint > 1, "the generated set's checkpoint is past its first log")
        for file in report.files {
            let generation = file.header?.generation ?? 0
            let references = file.records?.pageReferences
            #expect((references != nil) == (generation >= checkpoint), "generation \(generation)")
            #expect(references?.allSatisfy { $0.pageNumber <= 60 } ?? true)
        }
        let kept = report.files.flatMap { $0.records?.pageReferences ?? [] }
        #expect(kept.contains { $0.pageNumber == 3 && $0.databaseID == 1 }, "the lost flush's record is kept")
        // `logs` (no collection) keeps none.
        #expect(LogSetChecker().check(directory: files.directory).files.allSatisfy { $0.records?.pageReferences == nil })
    }

    @Test func withoutACheckpointEveryLogIsCollected() throws {
        let directory = TemporaryDirectory()
        let files = try PageTimeCheckTests.lostFlushGroup(in: directory)
        try FileManager.default.removeItem(atPath: files.directory + "/E00.chk")
        var checker = LogSetChecker()
        checker.pageCollection = LogSetChecker.PageCollection(highestPage: 60)
        #expect(checker.check(directory: files.directory).files.allSatisfy { $0.records?.pageReferences != nil })
        // Recovery then starts at the lowest log, and the lost flush is still found.
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.databases[0].pageTimes?.mismatches.map(\.pageNumber) == [3], "\(report.databases[0].reasons)")
    }

    @Test func theComparisonNeedsNoSecondReadOfTheLogs() throws {
        let directory = TemporaryDirectory()
        let files = try PageTimeCheckTests.lostFlushGroup(in: directory)
        var checker = LogSetChecker()
        checker.pageCollection = LogSetChecker.PageCollection(highestPage: 60)
        let logs = checker.check(directory: files.directory)
        // The logs are gone once examined: the expectations come from the first walk alone.
        for file in logs.files { try FileManager.default.removeItem(atPath: file.path) }
        let session = CheckSession(databases: files.databases.map(DatabaseSource.file), logDirectory: files.directory,
                                   baseName: nil, backupType: .full, options: CheckOptions(), probes: [:], preparedLogs: logs)
        _ = try session.checkDatabaseHeaders()
        for (index, path) in files.databases.enumerated() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            _ = try session.checkPages(database: index, fileOffset: 0, bytes: bytes.span.bytes)
        }
        let check = try session.checkLogs()
        let report = try session.finish()
        #expect(report.databases[0].pageTimes?.notChecked == nil, "\(report.databases[0].pageTimes?.notChecked ?? "")")
        #expect(report.databases[0].pageTimes?.mismatches.map(\.pageNumber) == [3])
        #expect(report.jetError == .dbTimeTooOld)
        // The references are not kept in the report once the expectations are built.
        #expect(check.report?.files.allSatisfy { $0.records?.pageReferences == nil } == true)
        #expect(report.logs?.report?.files.allSatisfy { $0.records?.pageReferences == nil } == true)
    }

    @Test func aSessionWhoseDatabasesNeedNoReplayCollectsNothing() throws {
        let directory = TemporaryDirectory()
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox01.edb", pageSize: 8192, pageCount: 60)])
        spec.generations = 4
        let files = try StorageGroupWriter.write(spec, to: directory.file("clean"))
        let session = CheckSession(databasePaths: files.databases, logDirectory: files.directory)
        _ = try session.checkDatabaseHeaders()
        #expect(session.pageCollection() == nil)
        let dirty = try PageTimeCheckTests.lostFlushGroup(in: directory)
        let other = CheckSession(databasePaths: dirty.databases, logDirectory: dirty.directory)
        _ = try other.checkDatabaseHeaders()
        #expect(other.pageCollection()?.highestPage == 60)
    }
}
