import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// Issue 13, points 8 and 9: `--base` usage errors (exit 2), and odd names beside a genuine
/// log set — case variants, `-copy` names, 8-digit spellings of 5-digit names — are listed
/// as skipped and never make the genuine logs damaged.
@Suite struct LogNameRuleTests {
    let directory = TemporaryDirectory()

    func group(_ name: String, baseName: String = "E00", dirty: Bool = true) throws -> StorageGroupFiles {
        try SampleDatabase.writeGroup(to: directory.file(name), pageCount: 60, usedFraction: 1, dirty: dirty,
                                      generations: 8, baseName: baseName)
    }

    func copy(_ from: String, to name: String, in directory: String, garbage: Bool = false) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: from))
        if garbage { data.replaceSubrange(0..<4096, with: Data(repeating: 0x5A, count: 4096)) }
        try data.write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    // MARK: Point 8: --base

    @Test func aBaseNameThatIsNotThreeCharactersIsAUsageError() throws {
        let files = try group("g")
        for base in ["E0", "E000", ""] {
            for arguments in [["check", "--base", base, files.directory], ["logs", "--base", base, files.directory],
                              ["check", "--base", base, "--logs", files.directory, files.databases[0]]] {
                let result = try CommandRunner.run(arguments)
                #expect(result.status == 2, "\(arguments)")
                #expect(result.stderr.contains("--base needs a 3-character log base name"), "\(arguments): \(result.stderr)")
            }
        }
    }

    @Test func severalLogSetsWithoutABaseNameIsAUsageError() throws {
        let files = try group("two")
        var other = StorageGroupSpec(databases: [])
        other.baseName = "E01"
        other.generations = 3
        try StorageGroupWriter.write(other, to: files.directory)
        for arguments in [["check", files.directory], ["logs", files.directory], ["check", "--logs", files.directory, files.databases[0]]] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("holds several log sets (E00, E01); choose one with --base"), "\(result.stderr)")
        }
        let chosen = try CommandRunner.run(["check", "--json", "--base", "E00", files.directory])
        #expect(chosen.status == 0, "\(chosen.stdout)")
        // The other set's files are listed as not checked.
        let skipped = try #require(chosen.json["skippedFiles"] as? [String])
        #expect(skipped.contains(files.directory + "/E0100001.log") && skipped.contains(files.directory + "/E01.log"))
        #expect(try CommandRunner.run(["logs", "--base", "e01", files.directory]).status == 0)
    }

    @Test func aBaseNameThatMatchesNothingSaysSo() throws {
        let files = try group("g")
        for arguments in [["check", "--base", "E09", files.directory], ["logs", "--base", "E09", files.directory],
                          ["check", "--base", "E09", "--logs", files.directory, files.databases[0]]] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("--base E09 matches no log file in \(files.directory) (log sets there: E00)"), "\(result.stderr)")
        }
    }

    // MARK: Point 9: odd log names

    @Test func oddNamesBesideAGenuineSetAreSkippedAndHarmless() throws {
        let files = try group("odd")
        let baseline = try CommandRunner.run(["check", "--json", files.directory])
        #expect(baseline.status == 0)
        let baselineVerdict = try #require(baseline.json["verdict"] as? String)
        // A damaged case variant, a copy, and an 8-digit spelling of a 5-digit name.
        try copy(files.log(5)!, to: "E0000005.LOG", in: files.directory, garbage: true)
        try copy(files.log(5)!, to: "E0000005-copy.log", in: files.directory, garbage: true)
        try copy(files.log(6)!, to: "E0000000006.log", in: files.directory, garbage: true)
        try copy(files.checkpoint, to: "E00.CHK", in: files.directory, garbage: true)

        let logs = LogSetChecker().check(directory: files.directory)
        #expect(logs.isWhole, "\(logs.files.filter { !$0.isValid }.map(\.name.fileName)) \(logs.breaks)")
        let odd: Set<String> = ["E0000005.LOG", "E0000005-copy.log", "E0000000006.log"]
        #expect(logs.files.filter { odd.contains($0.name.fileName) }.isEmpty)
        #expect(logs.files.filter { $0.name.generation == 5 || $0.name.generation == 6 }.count == 2)
        #expect(logs.checkpoint?.path.hasSuffix("/E00.chk") == true)

        let result = try CommandRunner.run(["check", "--json", files.directory])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.json["verdict"] as? String == baselineVerdict)
        let skipped = Set(try #require(result.json["skippedFiles"] as? [String]).map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(skipped.isSuperset(of: ["E0000005.LOG", "E0000005-copy.log", "E0000000006.log", "E00.CHK"]), "\(skipped)")
        let problems = try #require(result.json["problems"] as? [[String: Any]])
        #expect(problems.contains { ($0["message"] as? String)?.contains("names the same log as E0000005.log") == true })
        #expect(problems.allSatisfy { $0["warning"] as? Bool == true })

        // With --logs too: the copies are listed, the genuine logs judged as before.
        let explicit = try CommandRunner.run(["check", "--json", "--logs", files.directory, files.databases[0]])
        #expect(explicit.status == 0 && explicit.json["verdict"] as? String == baselineVerdict, "\(explicit.stdout)")
        let explicitSkipped = Set((explicit.json["skippedFiles"] as? [String] ?? []).map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(explicitSkipped == ["E0000005.LOG", "E0000005-copy.log", "E0000000006.log", "E00.CHK"], "\(explicitSkipped)")

        let text = try CommandRunner.run(["logs", files.directory])
        #expect(text.status == 0, "\(text.stdout)")
        #expect(text.stdout.contains("Skipped (not checked): \(files.directory)/E0000005-copy.log"))
        let json = try CommandRunner.run(["logs", "--json", files.directory])
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        #expect(schema.validate(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)), against: "logsDocument").isEmpty)
        #expect((json.json["skippedFiles"] as? [String])?.count == 4)
    }

    @Test func theNameESEWritesIsTheOneKept() throws {
        let entries = ["E00.chk", "E00.log", "E0000000006.log", "E0000005-copy.log", "E0000005.LOG", "E0000005.log",
                       "E0000006.log", "E0000007.jtx", "E0000007.log", "E00tmp.log", "e00TMP.LOG"]
        let listing = try LogDirectory.select(entries, in: "/d", baseName: nil)
        #expect(listing.logs.map(\.fileName) == ["E00.log", "E0000005.log", "E0000006.log", "E0000007.log"])
        #expect(Set(listing.duplicates.map(\.name.fileName)) == ["E0000000006.log", "E0000005.LOG", "E0000007.jtx", "e00TMP.LOG"])
        #expect(listing.duplicates.first { $0.name.fileName == "E0000000006.log" }?.kept.fileName == "E0000006.log")
        #expect(listing.unrecognized == ["E0000005-copy.log"])
        #expect(listing.auxiliary.map(\.fileName) == ["E00tmp.log"])
        // A set written with .jtx names keeps .jtx; an 8-digit name beyond 0xFFFFF is the ESE name.
        let modern = try LogDirectory.select(["E00.jtx", "E0000001.jtx", "E0000001.log", "E0000002.jtx"], in: "/d", baseName: "E00")
        #expect(modern.logs.map(\.fileName) == ["E00.jtx", "E0000001.jtx", "E0000002.jtx"])
        // A set named with 8 digits throughout keeps its 8-digit name over a 5-digit stray.
        let eight = try LogDirectory.select(["E00.log", "E0000000001.log", "E0000000002.log", "E0000002.log"], in: "/d", baseName: "E00")
        #expect(eight.logs.map(\.fileName) == ["E00.log", "E0000000001.log", "E0000000002.log"])
        #expect(eight.duplicates.map(\.name.fileName) == ["E0000002.log"])
        let large = try LogDirectory.select(["E0000100000.log"], in: "/d", baseName: "E00")
        #expect(large.logs.map(\.fileName) == ["E0000100000.log"] && large.duplicates.isEmpty)
    }
}
