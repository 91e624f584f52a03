import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Synchronization
import Testing

/// The storage-group verdicts on real files (CHKSGFILES acceptance cases).
@Suite(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
struct RealStorageGroupTests {
    let directory = TemporaryDirectory()
    static func real(_ path: String) -> String { TestEnvironment.realCorpus! + "/" + path }

    @Test func dirtyDatabaseWithItsLogsIsRecoverable() {
        let report = StorageGroupChecker().check(directory: Self.real("museum/srum-win10-belkasoft-dirty"))
        #expect(report.databases.count == 1)
        #expect(report.databases.first?.verdict == .recoverable)
        #expect(report.logs?.requiredGenerations == 0x51...0x51)
        #expect(report.verdict == .recoverable && report.jetError == .success)
    }

    @Test func dirtyDatabaseWithoutItsRequiredLogMissesIt() throws {
        let set = try copyDirectory(Self.real("museum/srum-win10-belkasoft-dirty"), into: directory)
        try FileManager.default.removeItem(atPath: set + "/SRU00051.log")
        let report = StorageGroupChecker().check(directory: set)
        let database = try #require(report.databases.first)
        #expect(database.verdict == .missingLogs)
        #expect(database.reasons.contains { !$0.isWarning && $0.message.contains("0x51-0x51") })
        #expect(report.logs?.missingRequired == [0x51...0x51])
        // The checkpoint starts replay at 0x51, which is gone: ESE -528 (logredo.cxx:15147-15154).
        #expect(report.jetError == .missingLogFile)
        #expect(report.replayPlan?.failure?.code == "startLogMissing")
        let cli = try CommandRunner.run(["check", "--json", set])
        #expect(cli.status == 1)
        #expect(cli.json["verdict"] as? String == "missingLogs" && cli.json["jetError"] as? Int == -528)
        let databases = try #require(cli.json["databases"] as? [[String: Any]])
        #expect(databases.first?["verdict"] as? String == "missingLogs")
        #expect((databases.first?["reasons"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test func dirtyDatabaseAloneMissesItsLogs() {
        let report = StorageGroupChecker().check(databases: [Self.real("go-ese/qmgr.db")], logDirectory: nil)
        #expect(report.databases.first?.verdict == .missingLogs)
        #expect(report.logs?.missingRequired == [23...23])
        // No log at all: eseutil /r refuses with -528 (tm.cxx:521-535).
        #expect(report.jetError == .missingLogFile)
    }

    @Test func cleanDatabasesAreConsistent() throws {
        let clean = ["dissect.esedb/large.edb", "go-ese/SRUDB.dat", "plaso/Catalog1.edb", "museum/srum-win10-aptsim-clean/SRUDB.dat"]
        for path in clean {
            let report = StorageGroupChecker().check(databases: [Self.real(path)], logDirectory: nil)
            #expect(report.databases.first?.verdict == .consistent, "\(path): \(report.databases.first?.reasons ?? [])")
        }
        let withLogs = StorageGroupChecker().check(directory: Self.real("museum/srum-win10-aptsim-clean"))
        #expect(withLogs.verdict == .consistent && withLogs.jetError == .success)
        let cli = try CommandRunner.run(["check", Self.real("museum/srum-win10-aptsim-clean")])
        #expect(cli.status == 0, "\(cli.stdout)")
    }

    @Test func realBadPagesAreCorrupt() {
        let report = StorageGroupChecker().check(databases: [Self.real("dissect.esedb/SRUDB.dat")], logDirectory: nil)
        #expect(report.databases.first?.verdict == .corrupt)
        #expect(report.jetError == .readVerifyFailure)
    }
}

/// Caller-streamed pages: any order, many threads, exact coverage, misuse.
@Suite struct CheckSessionTests {
    let directory = TemporaryDirectory()

    /// A generated database with some damage, and its bytes.
    func damagedDatabase(pageSize: Int = 8192, pages: Int = 400) throws -> (path: String, bytes: [UInt8]) {
        let path = try SampleDatabase.write(to: directory.file("stream.edb"), pageSize: pageSize, pages: pages, usedFraction: 0.9)
        let output = try FileOutput(editing: path)
        try output.flipBit(atFileBit: UInt64(11 * pageSize) * 8 + 777)
        try output.write([1, 2, 3], at: UInt64(201 * pageSize) + 600)
        output.close()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return (path, bytes)
    }

    /// Batches of 1–7 pages covering every data page, shuffled.
    static func batches(pageSize: Int, fileSize: Int, seed: UInt64) -> [Range<Int>] {
        var random = DeterministicRandom(seed: seed)
        var result: [Range<Int>] = []
        var start = 2 * pageSize
        while start < fileSize {
            let end = min(fileSize, start + pageSize * (1 + random.next(below: 7)))
            result.append(start..<end)
            start = end
        }
        return result.shuffled(using: &random)
    }

    @Test func shuffledBatchesFromEightTasksMatchTheFilePath() async throws {
        let (path, bytes) = try damagedDatabase()
        let fileReport = StorageGroupChecker().check(databases: [path], logDirectory: nil)
        let session = CheckSession(databases: [.stream(name: path, fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(65536)))])
        let headers = try session.checkDatabaseHeaders()
        #expect(headers.pageSize == 8192 && headers.headerPages == 2 && headers.jetError == .success)
        let batches = Self.batches(pageSize: 8192, fileSize: bytes.count, seed: 42)
        let bad = SharedCounter()
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for batch in batches.enumerated() where batch.offset % 8 == task {
                        let slice = Array(bytes[batch.element])
                        let result = try! session.checkPages(database: 0, fileOffset: UInt64(batch.element.lowerBound), bytes: slice.span.bytes)
                        #expect(result.pages.count == slice.count / 8192)
                        if result.jetError == .readVerifyFailure { bad.increment() }
                    }
                }
            }
        }
        let report = try session.finish()
        let streamed = try #require(report.databases.first)
        let viaFile = try #require(fileReport.databases.first)
        #expect(streamed.report.tally.counts == viaFile.report.tally.counts)
        #expect(streamed.report.tally.sortedFindings == viaFile.report.tally.sortedFindings)
        #expect(streamed.coverage.isComplete && streamed.coverage.duplicated.isEmpty)
        #expect(streamed.verdict == .corrupt && viaFile.verdict == .corrupt)
        #expect(streamed.report.tally.sortedFindings.map(\.pageNumber) == [10, 200])
        #expect(bad.value == 1)
    }

    @Test func skippedAndRepeatedBatchesAreNamed() throws {
        let path = try SampleDatabase.write(to: directory.file("gappy.edb"), pageSize: 4096, pages: 100)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let session = CheckSession(databasePaths: [path])
        _ = try session.checkDatabaseHeaders()
        // Pages 1–100 live at physical pages 2–101. Skip pages 31–40, send 51–60 twice.
        for start in stride(from: 1, through: 100, by: 10) where start != 31 {
            let range = (start + 1) * 4096..<(start + 11) * 4096
            try session.checkPages(database: 0, fileOffset: UInt64(range.lowerBound), bytes: Array(bytes[range]).span.bytes)
        }
        let repeatRange = 52 * 4096..<62 * 4096
        try session.checkPages(database: 0, fileOffset: UInt64(repeatRange.lowerBound), bytes: Array(bytes[repeatRange]).span.bytes)
        let report = try session.finish()
        let database = try #require(report.databases.first)
        #expect(database.verdict == .incomplete)
        #expect(database.coverage.missing == [31...40])
        #expect(database.coverage.duplicated == [51...60])
        #expect(database.coverage.seenCount == 90)
        #expect(database.reasons.contains { $0.code == "pagesNotChecked" && $0.message.contains("31-40") })
        #expect(database.reasons.contains { $0.code == "pagesCheckedTwice" && $0.isWarning })
        #expect(database.report.pages.total == 90, "a page seen twice is counted once")
        #expect(report.jetError == .taskDropped)
    }

    @Test func headerPagesInABatchAreCheckedAsHeaders() throws {
        let path = try SampleDatabase.write(to: directory.file("whole.edb"), pageSize: 8192, pages: 10)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let session = CheckSession(databasePaths: [path])
        _ = try session.checkDatabaseHeaders()
        let result = try session.checkPages(database: 0, fileOffset: 0, bytes: bytes.span.bytes)
        #expect(result.headerPages.count == 2 && result.headerPages.allSatisfy(\.isValid))
        #expect(result.pages.count == 10 && result.jetError == .success)
        #expect(session.pageNumber(database: 0, fileOffset: 8192 * 2) == 1)
        #expect(session.pageNumber(database: 0, fileOffset: 8192) == nil)
        #expect(try session.finish().databases.first?.verdict == .consistent)
    }

    @Test func misuseIsAnErrorNeverATrap() throws {
        let path = try SampleDatabase.write(to: directory.file("misuse.edb"), pageSize: 4096, pages: 10)
        let session = CheckSession(databasePaths: [path, directory.file("absent.edb")])
        let page = [UInt8](repeating: 0, count: 4096)
        func expectMisuse(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                try body()
                Issue.record("expected a misuse error", sourceLocation: sourceLocation)
            } catch let error as CheckError {
                #expect(error.code == .invalidUse, "\(error)", sourceLocation: sourceLocation)
            } catch {
                Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
            }
        }
        expectMisuse { try session.checkPages(database: 0, fileOffset: 8192, bytes: page.span.bytes) }
        expectMisuse { _ = try session.checkLogs() }
        expectMisuse { _ = try session.finish() }
        let headers = try session.checkDatabaseHeaders()
        #expect(headers.firstFailedDatabase == 1 && headers.jetError != .success)
        expectMisuse { _ = try session.checkDatabaseHeaders() }
        expectMisuse { try session.checkPages(database: 5, fileOffset: 8192, bytes: page.span.bytes) }
        expectMisuse { try session.checkPages(database: 1, fileOffset: 8192, bytes: page.span.bytes) }
        expectMisuse { try session.checkPages(database: 0, fileOffset: 8192, bytes: Array(page.prefix(100)).span.bytes) }
        expectMisuse { try session.checkPages(database: 0, fileOffset: 8193, bytes: page.span.bytes) }
        expectMisuse { try session.checkPages(database: 0, fileOffset: 11 * 4096, bytes: (page + page).span.bytes) }
        expectMisuse { try session.checkPages(database: 0, fileOffset: UInt64.max - 4095, bytes: page.span.bytes) }
        _ = try session.checkLogs()
        expectMisuse { _ = try session.checkLogs() }
        let report = try session.finish()
        #expect(report.databases[1].verdict == .unreadable)
        expectMisuse { _ = try session.finish() }
        expectMisuse { try session.checkPages(database: 0, fileOffset: 8192, bytes: page.span.bytes) }
    }

    @Test func finishingWhileABatchIsInFlightIsRefused() throws {
        let path = try SampleDatabase.write(to: directory.file("busy.edb"), pageSize: 32768, pages: 2000, usedFraction: 1)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let batch = Array(bytes[(2 * 32768)...])
        // The worker is a thread of its own so that it runs at once even when other tests
        // hold the cooperative pool; the race is retried in the rare case finish() wins it.
        var exercised = false
        for _ in 0..<10 where !exercised {
            let session = CheckSession(databasePaths: [path])
            _ = try session.checkDatabaseHeaders()
            let started = SharedCounter()
            let done = DispatchSemaphore(value: 0)
            let batchSucceeded = Locked(false)
            Thread {
                started.increment()
                let succeeded = Self.checks(batch, at: 2 * 32768, in: session)
                batchSucceeded.withLock { $0 = succeeded }
                done.signal()
            }.start()
            while started.value == 0 { usleep(100) }
            usleep(2000)
            let refused = Self.finishIsRefusedAsBusy(session)
            done.wait()
            if refused {
                exercised = true
                #expect(batchSucceeded.withLock { $0 })
                #expect(try session.finish().databases.first?.coverage.isComplete == true)
            }
        }
        #expect(exercised, "finish() never ran while the batch was in flight")
    }

    static func checks(_ batch: [UInt8], at offset: UInt64, in session: CheckSession) -> Bool {
        (try? session.checkPages(database: 0, fileOffset: offset, bytes: batch.span.bytes)) != nil
    }

    static func finishIsRefusedAsBusy(_ session: CheckSession) -> Bool {
        do {
            _ = try session.finish()
            return false
        } catch {
            return error.jetError == .tooManyActiveUsers
        }
    }
}

/// CHKSGFILES' log rules on generated storage groups.
@Suite struct StorageGroupLogRuleTests {
    let directory = TemporaryDirectory()

    /// A dirty group: generations 1–8, the database requiring 6–7, checkpoint at 6.
    func dirtyGroup(_ name: String = "group") throws -> StorageGroupFiles {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 8192, pageCount: 50)])
        spec.dirty = true
        spec.generations = 8
        spec.logFileSectors = 16
        return try StorageGroupWriter.write(spec, to: directory.file(name))
    }

    func damage(_ path: String) throws {
        let output = try FileOutput(editing: path)
        try output.write([0xAB, 0xCD, 0xEF, 0x01], at: 2 * 4096 + 500)
        output.close()
    }

    @Test func cleanRun() throws {
        let files = try dirtyGroup()
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.logs?.requiredGenerations == 6...7)
        #expect(report.verdict == .recoverable, "\(report.databases.first?.reasons ?? [])")
        #expect(report.logs?.onlyUnnecessaryLogsCorrupt == false)
    }

    @Test func damageOnlyInAnOlderLogIsSuccessWithTheFlag() throws {
        let files = try dirtyGroup()
        try damage(files.log(3)!)
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.verdict == .recoverable)
        #expect(report.logs?.onlyUnnecessaryLogsCorrupt == true)
        #expect(report.logs?.damagedUnnecessary == [3])
        #expect(report.jetError == .success)
        #expect(report.databases.first?.reasons.contains { $0.code == "onlyUnnecessaryLogsCorrupt" && $0.isWarning } == true)
    }

    @Test func damageInARequiredLogFails() throws {
        let files = try dirtyGroup()
        try damage(files.log(7)!)
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.verdict == .logsDamaged)
        #expect(report.jetError == .logFileCorrupt)
    }

    @Test func damageInALogNewerThanRequiredFails() throws {
        let files = try dirtyGroup()
        try damage(files.log(8)!)
        let report = StorageGroupChecker().check(directory: files.directory)
        // Nothing needs or committed 8: ESE fails -501, eseutil /r /a recovers by dropping 8.
        #expect(report.verdict == .recoverableWithLoss && report.jetError == .logFileCorrupt)
        #expect(report.databases.first?.recovery?.lostGenerations?.lowerBound == 8)
        #expect(report.logs?.damagedNeeded == [8])
    }

    @Test func missingRequiredLogFails() throws {
        let files = try dirtyGroup()
        try FileManager.default.removeItem(atPath: files.log(6)!)
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.verdict == .missingLogs && report.logs?.missingRequired == [6...6])
        #expect(report.jetError == .missingLogFile, "the checkpoint's own log is gone")
    }

    @Test func logsOfAnotherSequenceAreASignatureMismatch() throws {
        let files = try dirtyGroup("a")
        var other = StorageGroupSpec(databases: [])
        other.generations = 8
        other.logFileSectors = 16
        other.seed = 77
        let foreign = try StorageGroupWriter.write(other, to: directory.file("b"))
        let report = StorageGroupChecker().check(databases: files.databases, logDirectory: foreign.directory)
        #expect(report.verdict == .signatureMismatch)
        // The foreign set does not attach the database: recovery leaves it dirty (-550, db.cxx:2785-2849).
        #expect(report.databases.first?.jetError == .databaseDirtyShutdown)
    }

    @Test func cleanDatabaseDoesNotNeedDamagedLogs() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 4096, pageCount: 30)])
        spec.generations = 4
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: directory.file("clean"))
        try damage(files.log(2)!)
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.verdict == .consistent)
        #expect(report.logs?.onlyUnnecessaryLogsCorrupt == true)
    }
}

/// A counter shared between tasks.
final class SharedCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .sequentiallyConsistent) }
    var value: Int { count.load(ordering: .sequentiallyConsistent) }
}
