@_spi(Testing) import ESECheck
import ESETestSupport
import ESECorpus
import Foundation
import Testing

/// Issue 17: what an administrator expects of a long verification — re-reads before a page
/// is condemned (`unstable` vs `corrupt`), a read-rate limit, page ranges and rechecks,
/// `--fail-fast`, an explicit scope, JSON progress.
@Suite struct OperationsTests {
    let directory = TemporaryDirectory()
    static let pageSize = 8192

    /// A clean 64-page database with a byte of page `page` changed on disk; returns the path
    /// and the page's original bytes.
    func damaged(_ name: String, page: Int = 10, pages: Int = 64) throws -> (path: String, original: [UInt8]) {
        let path = try SampleDatabase.write(to: directory.file(name), pages: pages, usedFraction: 1)
        let output = try FileOutput(editing: path)
        let offset = UInt64((page + 1) * Self.pageSize)
        let original = try output.read(at: offset, count: Self.pageSize)
        try output.write([original[300] ^ 0x5A, original[301] ^ 0xA5], at: offset + 300)
        output.close()
        return (path, original)
    }

    /// Checks `path` with `retries`; `beforeRead` sees every read (path, offset).
    func check(_ path: String, retries: Int, mapped: Bool = false,
               beforeRead: (@Sendable (String, UInt64) -> Void)? = nil) -> DatabaseVerdict {
        var options = CheckOptions(readMethod: mapped ? .mapped : .positional, concurrency: 1)
        options.retries = retries
        options.readFaults = ReadFaultInjection(failures: [], beforeRead: beforeRead)
        return StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil).databases[0]
    }

    // MARK: --retries

    @Test(arguments: [false, true]) func aPageThatReadsDifferentlyIsUnstableNotCorrupt(mapped: Bool) throws {
        let (path, original) = try damaged("live-\(mapped).edb")
        let pageOffset = UInt64(11 * Self.pageSize)
        // A writer finishes the page between the first read and the re-read.
        let database = check(path, retries: 2, mapped: mapped) { readPath, offset in
            guard readPath == path, offset == pageOffset else { return }
            let output = try! FileOutput(editing: path)
            try! output.write(original, at: pageOffset)
            output.close()
        }
        #expect(database.verdict == .unstable, "\(database.reasons)")
        // Rewriting the page also changed the file's times: `fileChanged` (incomplete) stands beside it.
        #expect(database.reasons.contains { $0.code == .unstablePages && $0.message.contains("snapshot")
                                            && $0.jetError == .diskReadVerificationFailure })
        #expect(!database.reasons.contains { $0.code == .badPages })
        let unstable = try #require(database.report.unstablePages.first)
        #expect(unstable.pageNumber == 10 && unstable.fileOffset == pageOffset && unstable.reads == 2 && unstable.settled)
        #expect(database.report.pages.bad == 0, "the last read replaced the first")
        #expect(!database.report.passed)
    }

    @Test func aPageBadOnEveryReadIsCorruptAfterTheRetries() throws {
        let (path, _) = try damaged("stable.edb")
        let pageOffset = UInt64(11 * Self.pageSize)
        let rereads = Locked(0)
        let database = check(path, retries: 3) { readPath, offset in
            if readPath == path, offset == pageOffset { rereads.withLock { $0 += 1 } }
        }
        #expect(rereads.withLock { $0 } == 3, "read again exactly --retries times")
        #expect(database.verdict == .corrupt)
        #expect(database.report.unstablePages.isEmpty)
        #expect(database.report.pages.badChecksum == 1)
    }

    @Test func withoutRetriesAChangingPageIsCondemnedAtOnce() throws {
        let (path, original) = try damaged("noretry.edb")
        let pageOffset = UInt64(11 * Self.pageSize)
        let database = check(path, retries: 0) { readPath, offset in
            guard readPath == path, offset == pageOffset else { return }
            let output = try! FileOutput(editing: path)
            try! output.write(original, at: pageOffset)
            output.close()
        }
        #expect(database.verdict == .corrupt)
        #expect(database.report.unstablePages.isEmpty)
        #expect(CheckOptions().retries == CheckOptions.defaultRetries && CheckOptions.defaultRetries == 2)
    }

    // MARK: --max-rate

    @Test func theReadRateIsHeld() throws {
        // 16 MiB at 8 MB/s: 2.1 s. A generous tolerance: the benchmark measures precisely.
        let path = try SampleDatabase.write(to: directory.file("rate.edb"), pages: 2048)
        var options = CheckOptions(concurrency: 2, windowBytes: 256 << 10, chunkBytes: 1 << 20)
        options.maxBytesPerSecond = 8_000_000
        let start = ContinuousClock.now
        let report = DatabaseChecker(options: options).check(path)
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let expected = Double(report.bytesRead) / 8_000_000
        #expect(report.passed)
        #expect(seconds > expected * 0.8 && seconds < expected * 1.6, "\(seconds) s for \(report.bytesRead) bytes")
    }

    @Test func ratesAreParsedWithUnits() {
        #expect(ReadRate.bytesPerSecond("200MB/s") == 200_000_000)
        #expect(ReadRate.bytesPerSecond("50MiB/s") == 50 << 20)
        #expect(ReadRate.bytesPerSecond("1G") == 1_000_000_000)
        #expect(ReadRate.bytesPerSecond("4096") == 4096)
        #expect(ReadRate.bytesPerSecond("0") == nil && ReadRate.bytesPerSecond("fast") == nil && ReadRate.bytesPerSecond("5iB") == nil)
    }

    // MARK: --pages, --recheck, --fail-fast, scope

    @Test func aPageRangeIsNeverConsistent() throws {
        let path = try SampleDatabase.write(to: directory.file("range.edb"), pages: 64)
        var options = CheckOptions(concurrency: 1)
        options.pageSelection = PageSelection(origin: .range, ranges: [10...20])
        let database = StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil).databases[0]
        #expect(database.verdict == .incomplete)
        #expect(database.report.pages.total == 11)
        #expect(database.report.scope.skipped.map(\.what) == ["pagesOutsideRange"])
        #expect(database.report.scope.pages?.ranges == [10...20])
        #expect(database.reasons.contains { $0.code == .partialScope })

        options.pageSelection = PageSelection(origin: .range, ranges: [1...UInt32.max])
        let whole = StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil).databases[0]
        #expect(whole.verdict == .consistent, "a range holding every page is the whole scope: \(whole.reasons)")
        #expect(whole.report.scope.isComplete)
    }

    @Test func failFastStopsAndSaysSo() throws {
        let (path, _) = try damaged("failfast.edb", page: 3, pages: 256)
        var options = CheckOptions(concurrency: 1, windowBytes: 64 << 10, chunkBytes: 64 << 10)
        options.failFast = true
        let database = StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil).databases[0]
        #expect(database.verdict == .corrupt)
        #expect(database.report.scope.skipped.map(\.what) == ["remainingPages"])
        #expect(database.coverage.seenCount <= 16, "stopped after the first chunk: \(database.coverage.seenCount)")
        #expect(database.reasons.contains { $0.code == .partialScope })

        options.failFast = false
        let full = StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil).databases[0]
        #expect(full.coverage.seenCount == 256 && full.report.scope.isComplete)
    }

    @Test func theCommandLineStatesTheScopeAndRechecks() throws {
        let (path, original) = try damaged("cli.edb", page: 30)
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        let first = try CommandRunner.run(["db", "--json", "--quiet", path])
        #expect(first.status == 1)
        let reportPath = directory.file("first.json")
        try first.stdout.write(toFile: reportPath, atomically: true, encoding: .utf8)
        // The page is replaced; the recheck reads only it.
        let output = try FileOutput(editing: path)
        try output.write(original, at: UInt64(31 * Self.pageSize))
        output.close()
        let recheck = try CommandRunner.run(["check", "--json", "--quiet", "--recheck", reportPath, path])
        #expect(schema.validate(try JSONSerialization.jsonObject(with: Data(recheck.stdout.utf8)), against: "checkDocument").isEmpty)
        let database = try #require((recheck.json["databases"] as? [[String: Any]])?.first)
        #expect((database["pages"] as? [String: Any])?["total"] as? Int == 1)
        #expect(database["verdict"] as? String == "incomplete" && recheck.status == 1)
        let scope = try #require(recheck.json["scope"] as? [String: Any])
        #expect(scope["complete"] as? Bool == false)
        #expect((scope["skipped"] as? [[String: Any]])?.first?["what"] as? String == "pagesNotRechecked")

        let text = try CommandRunner.run(["db", "--quiet", "--pages", "1-5", path])
        #expect(text.stdout.contains("Scope: PARTIAL") && text.status == 1, "\(text.stdout)")
        let dbJSON = try CommandRunner.run(["db", "--json", "--pages", "2-", path])
        #expect(schema.validate(try JSONSerialization.jsonObject(with: Data(dbJSON.stdout.utf8)), against: "dbDocument").isEmpty)
        #expect(try CommandRunner.run(["db", "--pages", "9-3", path]).status == 2)
        #expect(try CommandRunner.run(["db", "--max-rate", "lots", path]).status == 2)
    }

    @Test func aLogOnlyBackupNamesThePagesItDidNotRead() throws {
        let files = try SampleDatabase.writeGroup(to: directory.file("incremental"), pageCount: 64, generations: 3, logFileSectors: 16)
        let checker = StorageGroupChecker(options: CheckOptions(concurrency: 1), backupType: .incremental)
        let report = checker.check(databases: files.databases, logDirectory: files.directory)
        #expect(report.scope.skipped.map(\.what) == ["pages"])
        #expect(report.databases[0].reasons.contains { $0.code == .partialScope && $0.isWarning })
        #expect(!report.databases[0].reasons.contains { $0.code == .partialScope && !$0.isWarning }, "no finding: the backup holds no pages")
        let full = StorageGroupChecker(options: CheckOptions(concurrency: 1)).check(databases: files.databases, logDirectory: files.directory)
        #expect(full.scope.isComplete && full.scope.json.serialized().contains("\"complete\":true"))
    }

    // MARK: --progress=json

    @Test func progressAsJSONLines() throws {
        let path = try SampleDatabase.write(to: directory.file("progress.edb"), pages: 512)
        let result = try CommandRunner.run(["db", "--json", "--progress=json", "--max-rate", "2MB/s", path])
        let lines = result.stderr.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(lines.count >= 2, "\(result.stderr)")
        let last = try #require(lines.last)
        #expect(last["finished"] as? Bool == true)
        #expect(last["bytesDone"] as? Int == last["bytesTotal"] as? Int && (last["bytesTotal"] as? Int ?? 0) > 0)
        let files = try #require(last["files"] as? [[String: Any]])
        #expect(files.first?["path"] as? String == path && files.first?["bytesDone"] as? Int == last["bytesDone"] as? Int)
        #expect(lines.dropLast().allSatisfy { $0["finished"] as? Bool == false && $0["etaSeconds"] != nil })
    }
}
