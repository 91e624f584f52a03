import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// What a backup tool decides from the check, on the real SRUM sets (written with circular logging).
@Suite(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
struct RealBackupDecisionTests {
    static let sets = ["srum-win10-aptsim-clean", "srum-win10-belkasoft-dirty", "srum-server2022-1daylater"]
    static func museum(_ name: String) -> String { TestEnvironment.realCorpus! + "/museum/" + name }

    @Test(arguments: sets)
    func circularLoggingIsReportedOn(set: String) {
        let logs = LogSetChecker().check(directory: Self.museum(set))
        #expect(logs.circularLogging.isOn && logs.circularLogging.wasEverOn)
    }

    @Test(arguments: sets)
    func incrementalFailsForCircularLogging(set: String) throws {
        let report = StorageGroupChecker(backupType: .incremental).check(directory: Self.museum(set))
        #expect(report.verdict == .unsupportedBackup)
        #expect(report.jetError == .invalidBackup)
        #expect(report.databases.allSatisfy { $0.reasons.contains { $0.code == "circularLogging" && !$0.isWarning } })
        #expect(report.truncateBelow == nil)
        let cli = try CommandRunner.run(["check", "--backup", "incremental", "--json", Self.museum(set)])
        #expect(cli.status == 1 && cli.json["verdict"] as? String == "unsupportedBackup")
        #expect(((cli.json["logCheck"] as? [String: Any])?["circularLogging"] as? [String: Any])?["on"] as? Bool == true)
    }

    @Test(arguments: sets)
    func fullPassesWithAWarning(set: String) {
        let report = StorageGroupChecker(backupType: .full).check(directory: Self.museum(set))
        #expect(report.verdict.isRestorable && report.jetError == .success)
        #expect(report.databases.allSatisfy { $0.reasons.contains { $0.code == "circularLogging" && $0.isWarning } })
    }

    @Test func reserveAndTemporaryLogsAreNamedAndNeverRequired() throws {
        let cli = try CommandRunner.run(["check", "--json", Self.museum("srum-win10-aptsim-clean")])
        let logCheck = try #require(cli.json["logCheck"] as? [String: Any])
        let reserve = try #require(logCheck["reserveLogs"] as? [[String: Any]])
        #expect(reserve.map { $0["file"] as? String } == ["SRUres00001.jrs", "SRUres00002.jrs"])
        #expect(reserve.allSatisfy { $0["present"] as? Bool == true && $0["required"] as? Bool == false })
        let temporary = try #require(logCheck["temporaryLogs"] as? [[String: Any]])
        #expect(temporary.first?["state"] as? String == "staleLog" && temporary.first?["required"] as? Bool == false)
    }
}

/// Backup types, truncation and history on generated groups.
@Suite struct BackupDecisionTests {
    let directory = TemporaryDirectory()

    func group(previousFull: ClosedRange<Int32>? = 1...3, generations: Int = 10) throws -> (StorageGroupSpec, StorageGroupFiles) {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 8192, pageCount: 60)])
        spec.dirty = true
        spec.generations = generations
        spec.logFileSectors = 16
        spec.previousFullBackup = previousFull
        return (spec, try StorageGroupWriter.write(spec, to: directory.file("group")))
    }

    @Test func incrementalNamesTheMissingGeneration() throws {
        let (_, files) = try group()
        try FileManager.default.removeItem(atPath: files.log(7)!)
        let report = StorageGroupChecker(backupType: .incremental).check(directory: files.directory)
        #expect(report.verdict == .missingLogs)
        #expect(report.databases.first?.reasons.contains { $0.message.contains("7-7 (0x7-0x7)") } == true)
        #expect(report.logs?.backupStart == 4 && report.logs?.requiredGenerations == 4...10)
    }

    @Test func incrementalDoesNotReadPages() throws {
        let (_, files) = try group()
        let output = try FileOutput(editing: files.databases[0])
        try output.write([1, 2, 3, 4], at: 20 * 8192 + 700)
        output.close()
        let incremental = StorageGroupChecker(backupType: .incremental).check(directory: files.directory)
        #expect(incremental.verdict == .recoverable, "pages are not part of an incremental backup")
        let full = StorageGroupChecker(backupType: .full).check(directory: files.directory)
        #expect(full.verdict == .corrupt && full.truncateBelow == nil)
    }

    @Test func incrementalWithoutAFullBackupIsUnsupported() throws {
        let (_, files) = try group(previousFull: nil)
        let report = StorageGroupChecker(backupType: .incremental).check(directory: files.directory)
        #expect(report.verdict == .unsupportedBackup && report.jetError == .missingFullBackup)
    }

    @Test func checkpointAheadOfTheDatabaseIsRefusedAndNeverTruncates() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "a.edb", pageSize: 8192, pageCount: 30)])
        spec.dirty = true
        spec.generations = 8
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: directory.file("trunc"))
        // Move the checkpoint forward to generation 7: the database still needs 6. ESE refuses
        // the attach with -543 (logredo.cxx:5940-6008); deleting the checkpoint is the remedy.
        var checkpoint = CheckpointFields(checkpoint: LogPosition(generation: 7, sector: 1, byteOffset: 0),
                                          signature: StorageGroupWriter.logSignature(seed: spec.seed))
        checkpoint.circularLogging = false
        let output = try FileOutput(editing: files.checkpoint)
        try output.write(checkpoint.image(), at: 0)
        output.close()
        let report = StorageGroupChecker().check(directory: files.directory)
        #expect(report.verdict == .missingLogs && report.jetError == .requiredLogFilesMissing)
        #expect(report.truncateBelow == nil)
        #expect(report.remedies.map(\.code) == ["deleteCheckpoint"])
        try FileManager.default.removeItem(atPath: files.checkpoint)
        let remedied = StorageGroupChecker().check(directory: files.directory)
        // Without a checkpoint replay starts at the lowest log, so no log may be deleted.
        #expect(remedied.verdict == .recoverable && remedied.truncateBelow == 1)
    }

    @Test func backupHistoryIsReported() throws {
        let (_, files) = try group(previousFull: 2...5)
        let cli = try CommandRunner.run(["check", "--json", files.directory])
        let database = try #require((cli.json["databases"] as? [[String: Any]])?.first)
        let history = try #require(database["backupHistory"] as? [[String: Any]])
        #expect(history.count == 1)
        #expect(history.first?["backup"] as? String == "previousFull")
        #expect((history.first?["generations"] as? [String: Int]) == ["low": 2, "high": 5])
        #expect(history.first?["markTime"] as? String != nil)
        #expect(cli.json["backupType"] as? String == "full")
        #expect(cli.json["truncateBelow"] as? Int == 8)
    }

    @Test func usageErrorForAnUnknownBackupType() throws {
        let result = try CommandRunner.run(["check", "--backup", "weekly", directory.path])
        #expect(result.status == 2 && result.stderr.contains("--backup must be"))
    }
}
