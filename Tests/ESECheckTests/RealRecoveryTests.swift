import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// The recovery model on real files (issue acceptance point 8): the SRUM sets of the museum
/// corpus, copied into a temporary directory and changed the way copies get changed — the
/// checkpoint moved or removed, a log removed, database header generations raised, a log of
/// another sequence placed above the current one. Every expectation is ESE's answer as
/// `docs/recovery.md` derives it (section cited at each test). `../shared` is never modified.
///
/// `srum-win10-belkasoft-dirty`: SRUDB.dat dirty, needing generation 0x51 (genMin = genMax =
/// 0x51, format 0x620.20, so without `logtimeGenMaxRequired`); archives SRU0004E–SRU00051,
/// SRU.log = 0x52; SRU.chk at 0x51 without an attach list, so the start log's header list
/// (which names SRUDB.dat) is used (S3).
@Suite(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
struct RealRecoveryTests {
    static let dirtySet = "srum-win10-belkasoft-dirty"
    /// The database page size of the SRUM sets (both header copies: offsets 0 and 4096).
    static let pageSize = 4096

    static func museum(_ name: String) -> String { TestEnvironment.realCorpus! + "/museum/" + name }

    /// Copies the files of museum set `set` (except `excluding`) into `directory`, writable.
    static func copy(_ set: String, into directory: TemporaryDirectory, excluding: Set<String> = []) throws -> String {
        let target = directory.file(set)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: museum(set)) where !excluding.contains(name) {
            try copyFile(museum(set) + "/" + name, to: target + "/" + name)
        }
        return target
    }

    /// Copies one file and makes the copy writable (the corpus files are read-only).
    static func copyFile(_ source: String, to target: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: target)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target)
    }

    /// Edits the 4096-byte header copies at `offsets` of `path` and reseals each with the
    /// old-format XOR checksum (ese-format.md: database, log and checkpoint headers).
    static func editHeaders(_ path: String, at offsets: [UInt64], _ edit: (inout ByteImage) -> Void) throws {
        let file = try FileOutput(editing: path)
        defer { file.close() }
        for offset in offsets {
            var image = ByteImage(try file.read(at: offset, count: 4096))
            edit(&image)
            image.sealHeader()
            try file.write(image.bytes, at: offset)
        }
    }

    /// Moves the checkpoint: `le_lgposCheckpoint` at offset 12 of both 4096-byte copies.
    static func moveCheckpoint(in directory: String, to generation: Int32) throws {
        try editHeaders(directory + "/SRU.chk", at: [0, 4096]) {
            $0.set(LogPosition(generation: generation, sector: 9, byteOffset: 0), at: 12)
        }
    }

    /// Sets an `Int32` field of SRUDB.dat's header in both copies (offsets 0 and the page size).
    static func setDatabaseField(in directory: String, offset: Int, to value: Int32) throws {
        try editHeaders(directory + "/SRUDB.dat", at: [0, UInt64(pageSize)]) { $0.set(value, at: offset) }
    }

    /// Copies a log of another real set and re-heads it as `generation` (le_lGeneration at
    /// offset 4, resealed), so that its name and header agree.
    static func placeForeignLog(_ source: String, in directory: String, as name: String, generation: Int32) throws {
        try copyFile(source, to: directory + "/" + name)
        try editHeaders(directory + "/" + name, at: [0]) { $0.set(generation, at: 4) }
    }

    /// Both header copies of every database were read as valid: the edits were resealed.
    static func expectValidHeaders(_ report: StorageGroupReport, sourceLocation: SourceLocation = #_sourceLocation) {
        for database in report.databases {
            #expect(database.report.headers?.primary.isValid == true && database.report.headers?.shadow.isValid == true,
                    "\(database.report.path)", sourceLocation: sourceLocation)
        }
    }

    // MARK: (1)–(6): the dirty set

    /// recovery.md S3: a usable checkpoint sets the start (0x51); S4 walks to E (0x52); the
    /// database needs 0x51 only: recoverable (§4 'DB dirty, all S1-S6 pass').
    @Test func dirtySetAsCopiedReplaysFromTheCheckpoint() throws {
        let directory = TemporaryDirectory()
        let set = try Self.copy(Self.dirtySet, into: directory)
        let report = StorageGroupChecker().check(directory: set)
        #expect(report.verdict == .recoverable && report.jetError == .success, "\(report.databases.map(\.reasons))")
        let plan = try #require(report.replayPlan)
        #expect(plan.start == 0x51 && plan.startReason == .checkpoint && plan.end == 0x52)
        #expect(plan.checkpoint == .used(generation: 0x51))
        #expect(plan.unreadLowLogs == ["SRU0004E.log", "SRU0004F.log", "SRU00050.log"])
        #expect(plan.failure == nil && report.remedies.isEmpty)
        #expect(report.databases.first?.recovery?.outcome == .recoverable)
    }

    /// recovery.md S3/S4: with the checkpoint moved back to 0x4E replay starts there and the
    /// logs chain 0x4E…0x52 (tmPrevGen and accumulated checksums of the real files); the start
    /// list names SRUDB.dat, whose attach record (0x51) lies in the span (§5): still recoverable.
    @Test func checkpointMovedBackStillRecovers() throws {
        let directory = TemporaryDirectory()
        let set = try Self.copy(Self.dirtySet, into: directory)
        try Self.moveCheckpoint(in: set, to: 0x4E)
        let report = StorageGroupChecker().check(directory: set)
        Self.expectValidHeaders(report)
        #expect(report.logs?.report?.checkpoint?.isValid == true, "the checkpoint copies were resealed")
        #expect(report.verdict == .recoverable && report.jetError == .success, "\(report.databases.map(\.reasons))")
        let plan = try #require(report.replayPlan)
        #expect(plan.start == 0x4E && plan.startReason == .checkpoint && plan.end == 0x52)
        #expect(plan.unreadLowLogs.isEmpty && plan.failure == nil)

        // The JSON carries the plan, the (empty) remedies and the database's recovery.
        let cli = try CommandRunner.run(["check", "--json", "--quiet", set])
        #expect(cli.status == 0, "\(cli.stderr)")
        let replay = try #require(cli.json["replayPlan"] as? [String: Any])
        #expect(replay["start"] as? Int == 0x4E && replay["startReason"] as? String == "checkpoint" && replay["end"] as? Int == 0x52)
        #expect((cli.json["remedies"] as? [Any])?.isEmpty == true)
        let database = try #require((cli.json["databases"] as? [[String: Any]])?.first)
        #expect((database["recovery"] as? [String: Any])?["outcome"] as? String == "recoverable")
    }

    /// recovery.md S3: without a checkpoint (-542, swallowed) replay starts at the lowest
    /// archived name, 0x4E (logredo.cxx:15182-15231): recoverable, with the checkpoint noted as ignored.
    @Test func checkpointRemovedStartsAtTheLowestArchive() throws {
        let directory = TemporaryDirectory()
        let set = try Self.copy(Self.dirtySet, into: directory, excluding: ["SRU.chk"])
        let report = StorageGroupChecker().check(directory: set)
        #expect(report.verdict == .recoverable && report.jetError == .success, "\(report.databases.map(\.reasons))")
        let plan = try #require(report.replayPlan)
        #expect(plan.start == 0x4E && plan.startReason == .lowestArchivedLog && plan.end == 0x52)
        #expect(plan.notes.contains { $0.code == "checkpointIgnored" && $0.isWarning })
    }

    /// recovery.md S4.4 / §4 'gap at b inside start..cur, E present': checkpoint at 0x4E,
    /// SRU00050.log removed: replay meets E (0x52) where 0x50 belongs, -515; genMaxRequired
    /// 0x51 ≥ 0x50 keeps -515 under the lost-log rule (logredo.cxx:4403-4439, 3932-4152): not
    /// recoverable. Removing the low logs and the checkpoint (start 0x51 = genMin) would recover.
    @Test func logRemovedInsideTheReplayedSpan() throws {
        let directory = TemporaryDirectory()
        let set = try Self.copy(Self.dirtySet, into: directory, excluding: ["SRU00050.log"])
        try Self.moveCheckpoint(in: set, to: 0x4E)
        let report = StorageGroupChecker().check(directory: set)
        #expect(report.verdict == .missingLogs, "\(report.databases.map(\.reasons))")
        #expect(report.jetError == .invalidLogSequence)
        let failure = try #require(report.replayPlan?.failure)
        #expect(failure.generation == 0x50 && failure.jetError == .invalidLogSequence && failure.lostGenerations == nil)
        let removal = try #require(report.remedies.first { $0.code == "removeLowLogs" }, "\(report.remedies)")
        #expect(Set(removal.files) == ["SRU0004E.log", "SRU0004F.log", "SRU.chk"])

        let cli = try CommandRunner.run(["check", "--json", "--quiet", set])
        #expect(cli.status == 1, "\(cli.stderr)")
        #expect(cli.json["verdict"] as? String == "missingLogs" && cli.json["jetError"] as? Int == -515)
        let replay = try #require(cli.json["replayPlan"] as? [String: Any])
        let jsonFailure = try #require(replay["failure"] as? [String: Any])
        #expect(jsonFailure["jetError"] as? Int == -515 && jsonFailure["generation"] as? Int == 0x50)
        let remedies = try #require(cli.json["remedies"] as? [[String: Any]])
        #expect(remedies.contains { $0["code"] as? String == "removeLowLogs" })
        let database = try #require((cli.json["databases"] as? [[String: Any]])?.first)
        #expect((database["recovery"] as? [String: Any])?["outcome"] as? String == "notRecoverable")
    }

    /// recovery.md S6 / §8.9: `le_lGenMaxCommitted` (offset 416) raised to 0x53, above the
    /// current log 0x52: -582 at the end of replay (logredo.cxx:13614-13638); eseutil /r /a
    /// recovers, losing 0x53 (L).
    @Test func committedGenerationAboveTheCurrentLog() throws {
        let directory = TemporaryDirectory()
        let set = try Self.copy(Self.dirtySet, into: directory)
        try Self.setDatabaseField(in: set, offset: 416, to: 0x53)
        let report = StorageGroupChecker().check(directory: set)
        Self.expectValidHeaders(report)
        #expect(report.verdict == .recoverableWithLoss, "\(report.databases.map(\.reasons))")
        #expect(report.jetError == .committedLogFilesMissing)
        #expect(report.databases.first?.recovery?.lostGenerations == 0x53...0x53)
        #expect(report.remedies.map(\.code).contains("recoverWithLoss"))
    }

    /// recovery.md S6 / §8.9: `le_lGenMaxRequired` (offset 300) raised to 0x53: -543 at the
    /// end of replay (logredo.cxx:13614-13638): not recoverable, no remedy loses its way out.
    @Test func requiredGenerationAboveTheCurrentLog() throws {
        let directory = TemporaryDirectory()
        let set = try Self.copy(Self.dirtySet, into: directory)
        try Self.setDatabaseField(in: set, offset: 300, to: 0x53)
        let report = StorageGroupChecker().check(directory: set)
        Self.expectValidHeaders(report)
        #expect(report.verdict == .missingLogs, "\(report.databases.map(\.reasons))")
        #expect(report.jetError == .requiredLogFilesMissing)
        #expect(report.databases.first?.recovery?.outcome == .notRecoverable)
        #expect(!report.remedies.map(\.code).contains("recoverWithLoss"))
    }

    // MARK: (7)–(8): stray logs above the current one

    /// recovery.md §8.7 / §4 'archives above cur': a log of another sequence (aptsim's
    /// SRU0001F.log, re-headed as 0x53) above E (0x52) is never opened by recovery
    /// (logredo.cxx:4206-4236): still recoverable, with a stray warning. eseutil /ml walks by
    /// name and fails -528 (the gap 0x52 before it, and E ≠ 0x54; logdump.cxx:715-743, 1086-1093).
    @Test func foreignLogAboveTheCurrentLogIsAStray() throws {
        let directory = TemporaryDirectory()
        let set = try Self.copy(Self.dirtySet, into: directory)
        try Self.placeForeignLog(Self.museum("srum-win10-aptsim-clean") + "/SRU0001F.log", in: set, as: "SRU00053.log", generation: 0x53)
        let report = StorageGroupChecker().check(directory: set)
        #expect(report.verdict == .recoverable && report.jetError == .success, "\(report.databases.map(\.reasons))")
        let plan = try #require(report.replayPlan)
        #expect(plan.strayLogs == ["SRU00053.log"] && plan.end == 0x52)
        #expect(plan.notes.contains { $0.code == "strayLogs" && $0.isWarning })

        let logs = LogSetChecker().check(directory: set)
        #expect(logs.isWhole, "\(logs.files.flatMap(\.problems))")
        #expect(logs.files.filter { $0.problems.contains { $0.code == "strayLog" && $0.severity == .warning } }.map(\.name.fileName)
                == ["SRU00053.log"])
        #expect(logs.replayPlan?.strayLogs == ["SRU00053.log"])
        #expect(logs.logDump?.jetError == .missingLogFile, "\(logs.logDump?.findings ?? [])")
    }

    /// The same foreign file only renamed (its header still says 0x1F): recovery takes the
    /// archived range from names and never opens it (S0, logstream.cxx:3393-3485), so the
    /// verdict is unchanged; eseutil /ml compares name and header generation: -513
    /// (logdump.cxx:685-696), and the log set is reported not whole.
    @Test func renamedForeignLogAboveTheCurrentLogFailsOnlyEseutilML() throws {
        let directory = TemporaryDirectory()
        let set = try Self.copy(Self.dirtySet, into: directory)
        try Self.copyFile(Self.museum("srum-win10-aptsim-clean") + "/SRU0001F.log", to: set + "/SRU00053.log")
        let report = StorageGroupChecker().check(directory: set)
        #expect(report.verdict == .recoverable && report.jetError == .success, "\(report.databases.map(\.reasons))")
        #expect(report.replayPlan?.strayLogs == ["SRU00053.log"])
        let logs = LogSetChecker().check(directory: set)
        #expect(logs.logDump?.jetError == .logGenerationMismatch, "\(logs.logDump?.findings ?? [])")
        #expect(!logs.isWhole)
    }

    /// recovery.md §8.7 and S0: "a directory holding a current log of generation 1 and beside it
    /// an archived generation 13 of another sequence is a whole set of one generation plus a
    /// stray — for logs as well as check". There is no real generation-1 log, so the set is
    /// generated (base name SRU, 16-sector logs like the SRUM sets) and a real log of another
    /// sequence (server2022's SRU00004.log, re-headed as 13; its checkpoint field, 4 or less,
    /// stays below its generation) is placed beside it as SRU0000D.log.
    @Test func generationOneWithAForeignArchiveThirteen() throws {
        let directory = TemporaryDirectory()
        let files = try SampleDatabase.writeGroup(to: directory.file("group"), database: "SRUDB.dat", pageSize: Self.pageSize,
                                                  pageCount: 40, dirty: true, generations: 1, logFileSectors: 16, baseName: "SRU")
        let before = StorageGroupChecker().check(directory: files.directory)
        #expect(before.verdict == .recoverable, "\(before.databases.map(\.reasons))")

        try Self.placeForeignLog(Self.museum("srum-server2022-1daylater") + "/SRU00004.log", in: files.directory, as: "SRU0000D.log",
                                generation: 13)
        let logs = LogSetChecker().check(directory: files.directory)
        #expect(logs.isWhole, "\(logs.files.flatMap(\.problems))")
        let strays = logs.files.flatMap(\.problems).filter { $0.code == "strayLog" }
        #expect(strays.count == 1 && strays.allSatisfy { $0.severity == .warning })
        #expect(logs.replayPlan?.strayLogs == ["SRU0000D.log"])
        #expect(logs.replayPlan?.start == 1 && logs.replayPlan?.end == 1 && logs.replayPlan?.failure == nil)

        let after = StorageGroupChecker().check(directory: files.directory)
        #expect(after.verdict == before.verdict && after.jetError == before.jetError, "\(after.databases.map(\.reasons))")
        #expect(after.replayPlan?.strayLogs == ["SRU0000D.log"])

        let cli = try CommandRunner.run(["logs", "--json", "--quiet", files.directory])
        #expect(cli.status == 0, "\(cli.stdout) \(cli.stderr)")
        let recovery = try #require((cli.json["logs"] as? [String: Any])?["recovery"] as? [String: Any])
        #expect(recovery["strayLogs"] as? [String] == ["SRU0000D.log"])
    }

    // MARK: (9): the clean sets

    /// recovery.md S2: the current log ends with Term2 exactly at the checkpoint (the record
    /// walk finds it), so recovery replays nothing and the clean database stays consistent —
    /// decided from the records, not from the header approximation of §5.
    @Test(arguments: ["srum-win10-aptsim-clean", "srum-server2022-1daylater"])
    func cleanSetsStayConsistent(set: String) throws {
        let directory = TemporaryDirectory()
        let copy = try Self.copy(set, into: directory)
        let report = StorageGroupChecker().check(directory: copy)
        #expect(report.verdict == .consistent && report.jetError == .success, "\(report.databases.map(\.reasons))")
        let plan = try #require(report.replayPlan)
        #expect(plan.failure == nil && plan.start == plan.currentGeneration && plan.startReason == .checkpoint)
        let database = try #require(report.databases.first)
        #expect(database.recovery?.outcome == .consistent && database.recovery?.usedApproximation == false)
        #expect(plan.notes.contains { $0.code == .cleanShutdownShortCut } && plan.approximations.isEmpty)
        #expect(report.remedies.isEmpty)
    }
}
