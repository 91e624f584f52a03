@_spi(Testing) @testable import ESECheck
import ESETestSupport
import ESECorpus
import Foundation
import Testing

/// Issue 17 point 4: `--state FILE`. A run interrupted (the test hook stops reading after K
/// windows, as a killed process would, and saves) and resumed reports exactly what an
/// uninterrupted run reports, without reading again the pages it took from the state — except
/// the pages it must read again (pages that name others, redo-referenced pages); a state of
/// another file set, other options, a changed file or damaged bytes is refused (exit 3).
@Suite struct ResumeTests {
    let directory = TemporaryDirectory()

    /// A group of two dirty databases whose logs find a lost flush on page `lostPage` of the
    /// first (redo's database-time check, −566).
    func lostFlushGroup(lostPage: Int) throws -> StorageGroupFiles {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox01.edb", pageSize: 8192, pageCount: 200, usedFraction: 1),
                                                .init(name: "mailbox02.edb", pageSize: 8192, pageCount: 120)])
        spec.dirty = true
        spec.generations = 5
        spec.seed = 19
        let files = try StorageGroupWriter.write(spec, to: directory.file("g"))
        try FaultInjector.apply(Fault(.lostFlush, database: 0, page: lostPage, value: 1), to: files, spec: spec)
        return files
    }

    /// Options with small windows and chunks, so that a run of a few hundred pages has many;
    /// `reads` counts the bytes read.
    func options(state: String? = nil, interruptAfter: Int? = nil, threads: Int = 2, reads: Locked<Int>? = nil) -> CheckOptions {
        var options = CheckOptions(concurrency: threads, windowBytes: 64 << 10, chunkBytes: 256 << 10)
        options.stateFile = state
        options.stateInterruptAfterWindows = interruptAfter
        if let reads {
            options.readFaults = ReadFaultInjection(failures: [], beforeRead: { _, _ in reads.withLock { $0 += 1 } })
        }
        return options
    }

    /// The report as JSON without what may differ between equal runs: elapsed time and the
    /// record of the resumption itself.
    static func normalized(_ report: StorageGroupReport) -> String {
        var report = report
        for index in report.databases.indices {
            report.databases[index].report.resumed = nil
            report.databases[index].report.elapsedSeconds = 0
        }
        return report.json.serialized()
    }

    static func state(_ path: String) throws -> ResumeState {
        try #require(ResumeState(decoding: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))))
    }

    // MARK: Interrupt, resume, compare

    @Test(arguments: [1, 2])
    func anInterruptedCheckResumedReportsWhatAFullCheckReports(threads: Int) throws {
        let files = try lostFlushGroup(lostPage: 150)
        let full = StorageGroupChecker(options: options(threads: threads)).check(directory: files.directory)
        #expect(full.jetError == .dbTimeTooOld, "the fixture's lost flush: \(full.databases.map(\.reasons))")
        let statePath = directory.file("run.state")
        let interrupted = StorageGroupChecker(options: options(state: statePath, interruptAfter: 6, threads: threads)).check(directory: files.directory)
        #expect(!interrupted.isRestorable)
        #expect(interrupted.databases.contains { $0.report.scope.skipped.contains { $0.what == .remainingPages } })
        let saved = try Self.state(statePath)
        let savedPages = saved.files.map(\.donePages)
        #expect(savedPages.reduce(0, +) > 0, "the interrupted run saved progress")
        #expect(savedPages[0] < 200 || savedPages[1] < 120, "and not everything")

        let reads = Locked(0), fullReads = Locked(0)
        _ = StorageGroupChecker(options: options(threads: threads, reads: fullReads)).check(directory: files.directory)
        let resumed = StorageGroupChecker(options: options(state: statePath, threads: threads, reads: reads)).check(directory: files.directory)
        #expect(Self.normalized(resumed) == Self.normalized(full))
        #expect(resumed.databases.map { $0.report.resumed?.pages ?? 0 } == savedPages)
        #expect(reads.withLock { $0 } < fullReads.withLock { $0 }, "pages taken from the state are not read again")
        // The state of a finished run covers (nearly) every page; resuming from it changes nothing.
        let again = StorageGroupChecker(options: options(state: statePath, threads: threads)).check(directory: files.directory)
        #expect(Self.normalized(again) == Self.normalized(full))
        #expect(again.databases[0].report.resumed!.pages > savedPages[0])
    }

    @Test func aLostFlushOnAPageTakenFromTheStateIsStillFound() throws {
        // Page 60 lies in a window the interrupted run read clean: the resumed run does not read
        // it as a page, but reads it again for redo's comparison — never certified on less.
        let files = try lostFlushGroup(lostPage: 60)
        let statePath = directory.file("flush.state")
        _ = StorageGroupChecker(options: options(state: statePath, interruptAfter: 12, threads: 1)).check(directory: files.directory)
        let saved = try Self.state(statePath)
        #expect(saved.files[0].done.contains { $0.contains(60) }, "\(saved.files[0].done)")
        let resumed = StorageGroupChecker(options: options(state: statePath, threads: 1)).check(directory: files.directory)
        #expect(resumed.jetError == .dbTimeTooOld)
        #expect(resumed.databases[0].pageTimes?.mismatches.map(\.pageNumber) == [60])
    }

    /// The state keeps no flush types, so a database with a flush map is read again whole: a
    /// lost flush the map shows (−1119) on a page the interrupted run read clean is still found.
    @Test func aDatabaseWithAFlushMapIsReadAgainWhole() throws {
        var database = StorageGroupSpec.Database(name: "mailbox01.edb", pageSize: 8192, pageCount: 400, usedFraction: 0.8)
        database.flushMap = true
        var spec = StorageGroupSpec(databases: [database])
        spec.generations = 3
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: directory.file("fm"))
        try FaultInjector.apply(Fault(.staleFlushType, database: 0, page: 40), to: files, spec: spec)
        let full = StorageGroupChecker(options: options(threads: 1)).check(directory: files.directory)
        #expect(full.databases[0].jetError.code == -1119, "the fixture's lost flush: \(full.databases[0].reasons)")
        let statePath = directory.file("fm.state")
        _ = StorageGroupChecker(options: options(state: statePath, interruptAfter: 6, threads: 1)).check(directory: files.directory)
        let done = try Self.state(statePath).files[0].done
        #expect(done.contains { $0.contains(40) }, "page 40 was read clean before the interruption: \(done)")
        let resumed = StorageGroupChecker(options: options(state: statePath, threads: 1)).check(directory: files.directory)
        #expect(resumed.databases[0].jetError.code == -1119)
        #expect(resumed.databases[0].report.resumed == nil, "nothing was taken from the state")
        #expect(Self.normalized(resumed) == Self.normalized(full))
    }

    @Test func databaseChecksResumeToo() throws {
        let first = try SampleDatabase.write(to: directory.file("a.edb"), pages: 300)
        let second = try SampleDatabase.write(to: directory.file("b.edb"), pages: 200, seed: 2)
        let full = DatabaseChecker(options: options()).check([first, second])
        let statePath = directory.file("db.state")
        _ = DatabaseChecker(options: options(state: statePath, interruptAfter: 5)).check([first, second])
        var resumed = DatabaseChecker(options: options(state: statePath)).check([first, second])
        #expect(resumed.contains { $0.resumed != nil })
        #expect(resumed.allSatisfy { $0.passed })
        for index in resumed.indices {
            resumed[index].resumed = nil
            resumed[index].elapsedSeconds = 0
        }
        #expect(resumed.map { $0.json.serialized() } == full.map { var report = $0; report.elapsedSeconds = 0; return report.json.serialized() })
    }

    @Test func aBadPageFoundBeforeTheInterruptionIsReportedAfterResuming() throws {
        let path = try SampleDatabase.write(to: directory.file("bad.edb"), pages: 300, usedFraction: 1)
        let output = try FileOutput(editing: path)
        try output.write([0xEE, 0xEE], at: UInt64(21 * 8192 + 500))
        output.close()
        let full = DatabaseChecker(options: options()).check(path)
        #expect(full.pages.badChecksum == 1)
        let statePath = directory.file("bad.state")
        _ = DatabaseChecker(options: options(state: statePath, interruptAfter: 6, threads: 1)).check(path)
        let saved = try Self.state(statePath)
        #expect(!saved.files[0].done.contains { $0.contains(20) }, "a window with a finding is read again")
        var resumed = DatabaseChecker(options: options(state: statePath)).check(path)
        #expect(resumed.resumed != nil)
        resumed.resumed = nil
        resumed.elapsedSeconds = 0
        var expected = full
        expected.elapsedSeconds = 0
        #expect(resumed.json.serialized() == expected.json.serialized())
    }

    // MARK: Refusals

    func refusal(_ options: CheckOptions, _ paths: [String]) -> (status: CheckStatus, message: String, pages: Int) {
        let reports = DatabaseChecker(options: options).check(paths)
        let error = reports.first?.errors.first { $0.code == .stateRefused }
        return (CheckStatus(reports), error?.message ?? "", reports.reduce(0) { $0 + $1.pages.total })
    }

    @Test func aStateIsRefusedWhenItIsNotThisRunsOrWhole() throws {
        let first = try SampleDatabase.write(to: directory.file("a.edb"), pages: 300)
        let second = try SampleDatabase.write(to: directory.file("b.edb"), pages: 100, seed: 2)
        let statePath = directory.file("r.state")
        _ = DatabaseChecker(options: options(state: statePath, interruptAfter: 3)).check([first, second])
        let good = try Data(contentsOf: URL(fileURLWithPath: statePath))

        var other = options(state: statePath)
        other.verifyStructure = false
        let options = refusal(other, [first, second])
        #expect(options.status == .unreadableInput && options.pages == 0)
        #expect(options.message.contains("other options"), "\(options.message)")

        let files = refusal(self.options(state: statePath), [second, first])
        #expect(files.status == .unreadableInput && files.message.contains("another set of files"), "\(files.message)")

        // The same size, the same bytes, a new modification time: another version of the file.
        let output = try FileOutput(editing: second)
        let byte = try output.read(at: 100, count: 1)
        try output.write(byte, at: 100)
        output.close()
        let changed = refusal(self.options(state: statePath), [first, second])
        #expect(changed.status == .unreadableInput && changed.message.contains("changed since the state was saved"), "\(changed.message)")
        #expect(changed.message.contains("modification time"))

        var damaged = [UInt8](good)
        damaged[damaged.count / 2] ^= 1
        try Data(damaged).write(to: URL(fileURLWithPath: statePath))
        let corrupt = refusal(self.options(state: statePath), [first])
        #expect(corrupt.status == .unreadableInput && corrupt.message.contains("not a whole state file"), "\(corrupt.message)")
        try Data(good.prefix(good.count - 9)).write(to: URL(fileURLWithPath: statePath))
        #expect(refusal(self.options(state: statePath), [first]).message.contains("not a whole state file"))
        var future = [UInt8](good)
        future[8] = 9
        try Data(future).write(to: URL(fileURLWithPath: statePath))
        #expect(refusal(self.options(state: statePath), [first]).message.contains("format version 9"))
        // Refusing never overwrites the state.
        #expect(try Data(contentsOf: URL(fileURLWithPath: statePath)) == Data(future))
    }

    @Test func theCommandLineResumesAndRefuses() throws {
        let path = try SampleDatabase.write(to: directory.file("cli.edb"), pages: 300)
        let state = directory.file("cli.state")
        let first = try CommandRunner.run(["db", "--json", "--state", state, path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.replacingOccurrences(of: " ", with: "").contains("\"resumed\":null"))
        let second = try CommandRunner.run(["db", "--state", state, path])
        #expect(second.status == 0)
        #expect(second.stdout.contains("Resumed: "), "\(second.stdout)")
        let refused = try CommandRunner.run(["db", "--no-structure", "--state", state, path])
        #expect(refused.status == 3)
        #expect(refused.stdout.contains("cannot be resumed from: it was saved with other options"), "\(refused.stdout)")
        #expect(try CommandRunner.run(["help", "db"]).stdout.contains("--state FILE"))
        #expect(try CommandRunner.run(["check", "--tar", directory.file("a.tar"), "--state", state]).status == 2)
    }

    @Test func aKilledRunLeavesAStateThatResumes() throws {
        // 16 MiB at 1 MB/s takes 16 s; killed as soon as the first periodic save (after 5 s)
        // is there, the run never saves at the end. The state is whole (written atomically) and the run resumed
        // from it reports what an uninterrupted run reports.
        let path = try SampleDatabase.write(to: directory.file("killed.edb"), pages: 2048, usedFraction: 1)
        let state = directory.file("killed.state")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.cliPath)
        process.arguments = ["db", "--max-rate", "1MB/s", "--jobs", "2", "--state", state, path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(14)
        while !FileManager.default.fileExists(atPath: state), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before it was killed")
        let saved = try Self.state(state)
        #expect(saved.files[0].donePages > 0 && saved.files[0].donePages < 2048, "\(saved.files[0].donePages) pages saved")
        var resumed = DatabaseChecker(options: options(state: state)).check(path)
        #expect(resumed.resumed?.pages == saved.files[0].donePages)
        resumed.resumed = nil
        resumed.elapsedSeconds = 0
        var full = DatabaseChecker(options: options()).check(path)
        full.elapsedSeconds = 0
        #expect(resumed.json.serialized() == full.json.serialized())
    }

    // MARK: The format

    @Test func theStateFormatRoundTripsAndChecksItself() throws {
        var file = ResumeState.FileProgress(path: "/x/\u{e9}.edb", identity: FileIdentity(
            device: 1, inode: 2, size: 3, modification: .init(seconds: -4, nanoseconds: 5), change: .init(seconds: 6, nanoseconds: 7)), pageSize: 8192)
        file.done = [3...10, 20...20]
        (file.ok, file.uninitialized, file.bytesRead) = (7, 2, 9 * 8192)
        file.words = Array(0..<9)
        let state = ResumeState(optionsKey: "k", files: [file, ResumeState.FileProgress(path: "y", identity: nil, pageSize: 0)])
        let bytes = state.encoded()
        #expect(ResumeState(decoding: bytes) == state)
        #expect(Array(bytes.prefix(8)) == Array("ESEVSTAT".utf8))
        for index in stride(from: 0, to: bytes.count, by: 7) {
            var damaged = bytes
            damaged[index] ^= 0x10
            #expect(ResumeState(decoding: damaged) == nil, "byte \(index)")
        }
        #expect(ResumeState(decoding: Array(bytes.dropLast())) == nil)
        // Counts that do not add up to the pages are refused even under a matching checksum.
        var wrong = file
        wrong.ok = 100
        #expect(ResumeState(decoding: ResumeState(optionsKey: "k", files: [wrong]).encoded()) == nil)
    }

    @Test func pagesThatNameOthersAreTakenOutOfTheSavedRanges() {
        let subtract = ResumeTracker.SlotCopy.subtract
        #expect(subtract([5, 6, 12], [1...10, 12...12, 14...20]) == ([1...4, 7...10, 14...20], 3))
        #expect(subtract([1, 10], [1...10]) == ([2...9], 2))
        #expect(subtract([], [1...3]) == ([1...3], 0))
        #expect(ResumeTracker.merged([5..<7, 1..<3, 3..<4, 6..<9]) == [1..<4, 5..<9])
    }
}
