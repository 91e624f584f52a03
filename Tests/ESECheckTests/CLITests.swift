import ESETestSupport
import ESECheck
import ESECorpus
import Foundation
import Testing

/// The command line as a backup engineer uses it: the documented JSON schema, help, usage
/// errors, progress on a terminal, eseutil-compatible header dumps.
@Suite struct CLITests {
    let directory = TemporaryDirectory()
    let schema = try! SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")

    func dirtyGroup(_ name: String = "g") throws -> StorageGroupFiles {
        let files = try SampleDatabase.writeGroup(to: directory.file(name), pageCount: 200, usedFraction: 1, dirty: true,
                                                  generations: 5, logFileSectors: 16)
        let output = try FileOutput(editing: files.databases[0])
        try output.flipBit(atFileBit: UInt64(12 * 8192) * 8 + 99)
        try output.write([7, 7, 7], at: UInt64(40 * 8192) + 500)
        output.close()
        return files
    }

    @Test func everySubcommandMatchesTheDocumentedSchema() throws {
        let files = try dirtyGroup()
        let documents: [(String, [String])] = [
            ("dbDocument", ["db", "--json", files.databases[0], directory.file("missing.edb")]),
            ("logsDocument", ["logs", "--json", files.directory]),
            ("logsDocument", ["logs", "--json", "--records", files.directory]),
            ("checkDocument", ["check", "--json", files.directory]),
            ("checkDocument", ["check", "--json", "--backup", "incremental", files.directory]),
            ("headerDocument", ["header", "--json", files.databases[0]]),
            ("headerDocument", ["header", "--json", files.log(2)!]),
            ("headerDocument", ["header", "--json", files.checkpoint]),
            ("headerDocument", ["header", "--json", directory.file("missing.edb")]),
        ]
        for (definition, arguments) in documents {
            let result = try CommandRunner.run(arguments)
            let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
            let errors = schema.validate(parsed, against: definition)
            #expect(errors.isEmpty, "\(arguments.joined(separator: " ")): \(errors.prefix(5))")
        }
    }

    @Test func theSchemaRejectsARenamedField() throws {
        let result = try CommandRunner.run(["db", "--json", try dirtyGroup().databases[0]])
        let renamed = result.stdout.replacingOccurrences(of: "\"badChecksum\"", with: "\"bad\"")
        let parsed = try JSONSerialization.jsonObject(with: Data(renamed.utf8))
        #expect(!schema.validate(parsed, against: "dbDocument").isEmpty)
    }

    @Test func helpDocumentsEveryOptionWithAnExample() throws {
        let overview = try CommandRunner.run(["--help"])
        #expect(overview.status == 0)
        for command in ["db", "logs", "check", "header", "generate", "demo"] {
            #expect(overview.stdout.contains(command))
            let help = try CommandRunner.run(["help", command])
            #expect(help.status == 0 && help.stdout.contains("usage: ese-verify \(command)") && help.stdout.contains("example:"), "\(command)")
            let options = Set(help.stdout.split(whereSeparator: { !$0.isLetter && $0 != "-" }).filter { $0.hasPrefix("--") }.map(String.init))
            for option in options where option != "--help" {
                #expect(help.stdout.contains("  \(option)"), "\(command): \(option) is not described")
            }
            let flagHelp = try CommandRunner.run([command, "--help"])
            #expect(flagHelp.stdout == help.stdout)
        }
    }

    @Test func usageErrorsAreOneLinePlusUsage() throws {
        for arguments in [["db", "--frobnicate", "x"], ["logs"], ["check", "--jobs"], ["check", "--jobs", "zero", "x"],
                          ["header"], ["generate"], ["generate", "--out", "/tmp/x", "--size", "lots"], ["help", "nonsense"]] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.hasPrefix("ese-verify"), "\(arguments): \(first)")
            #expect(result.stderr.contains("usage:"), "\(arguments)")
        }
    }

    @Test func exitStatusesFollowTheDocumentedMeaning() throws {
        let files = try dirtyGroup()
        #expect(try CommandRunner.run(["logs", files.directory]).status == 0)
        #expect(try CommandRunner.run(["check", files.directory]).status == 1, "a bad page")
        #expect(try CommandRunner.run(["db", directory.file("nothing.edb")]).status == 3)
        #expect(try CommandRunner.run(["db"]).status == 2)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux `script` is needed to run under a pty"))
    func progressOnATerminalAndNotWhenPiped() throws {
        let files = try SampleDatabase.writeGroup(to: directory.file("big"), database: "big.edb", pageSize: 32768, pageCount: 20_000,
                                                  usedFraction: 1, generations: 2, threads: 2)
        let command = "\(TestEnvironment.cliPath) db --jobs 1 \(files.databases[0])"
        // Under a pseudo-terminal (script -c), progress lines are drawn on stderr.
        let terminal = try CommandRunner.run(["-qec", command, "/dev/null"], executable: "/usr/bin/script")
        #expect(terminal.status == 0)
        #expect(terminal.stdout.contains("\u{1B}[K") && terminal.stdout.contains("MiB of") && terminal.stdout.contains("ETA"),
                "no progress drawn: \(terminal.stdout.prefix(200))")
        // Piped: no progress at all.
        let piped = try CommandRunner.run(["db", "--jobs", "1", files.databases[0]])
        #expect(piped.status == 0 && !piped.stderr.contains("ETA") && !piped.stdout.contains("\u{1B}"))
        // --quiet on a terminal: none either.
        let quiet = try CommandRunner.run(["-qec", command + " --quiet", "/dev/null"], executable: "/usr/bin/script")
        #expect(!quiet.stdout.contains("ETA"))
    }

    @Test func demoRunsAndSaysWhatItFound() throws {
        let result = try CommandRunner.run(["demo"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Result: recoverable") && result.stdout.contains("Result: missingLogs"))
    }

    @Test func generateIsDeterministicAndChecksClean() throws {
        let first = directory.file("gen1"), second = directory.file("gen2")
        for path in [first, second] {
            let result = try CommandRunner.run(["generate", "--out", path, "--size", "8MiB", "--page-size", "16384", "--seed", "9", "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(FileManager.default.contentsEqual(atPath: first + "/mailbox01.edb", andPath: second + "/mailbox01.edb"))
        #expect(try CommandRunner.run(["check", first]).status == 0)
        let scenario = try CommandRunner.run(["generate", "--out", directory.file("scen"), "--scenario", "page-at-wrong-offset", "--quiet"])
        #expect(scenario.status == 0 && scenario.stdout.contains("Expected verdict: corrupt"))
        let check = try CommandRunner.run(["check", "--json", directory.file("scen")])
        #expect(check.json["verdict"] as? String == "corrupt")
    }
}

/// `ese-verify header` against eseutil's labels and the real corpus.
@Suite(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
struct HeaderCommandTests {
    /// chksgfiles.md §2.1, in eseutil /mh order (labels a header always has).
    static let databaseLabels = [
        "File Type", "Checksum", "Format ulMagic", "Engine ulMagic", "Format ulVersion", "Engine ulVersion", "Created ulVersion",
        "DB Signature", "cbDbPage", "dbtime", "State", "Log Required", "Gen. Max. Req. Creation Time", "Log Committed",
        "Gen. Max. Com. Creation Time", "Log Consistent", "Log Recovering", "Shadowed", "Last Objid", "Scrub Dbtime",
        "Scrub Date", "Repair Count", "Repair Date", "Old Repair Count", "Last Consistent", "Last Attach", "Last Detach",
        "Last ReAttach", "Dbid", "Log Signature", "OS Version", "Previous Full Backup:", "Log Gen", "Mark",
        "Previous Incremental Backup:", "Previous Copy Backup:", "Previous Differential Backup:", "Current Full Backup:",
        "Current Shadow copy backup:", "cpgUpgrade55Format", "cpgUpgradeFreePages", "cpgUpgradeSpaceMapPages", "Last Resize",
        "Extend Count", "Extend Date", "Shrink Count", "Shrink Date", "Trim Count",
    ]

    static func labelsInOrder(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasSuffix(":") && !trimmed.contains(": ") { return String(trimmed) }
            guard let colon = trimmed.range(of: ": ") else { return nil }
            return String(trimmed[..<colon.lowerBound])
        }
    }

    @Test func databaseHeadersPrintEveryLabelInOrderWithTheExpectedValues() throws {
        let expected = try #require(try TestEnvironment.expectations()["databases"] as? [[String: Any]])
        for entry in expected {
            let path = TestEnvironment.realCorpus! + "/" + (entry["path"] as! String)
            let result = try CommandRunner.run(["header", path])
            #expect(result.status == 0, "\(path)")
            let labels = Self.labelsInOrder(result.stdout)
            var position = 0
            for label in Self.databaseLabels {
                guard let found = labels[position...].firstIndex(of: label) else {
                    Issue.record("\(path): label '\(label)' missing or out of order")
                    break
                }
                position = found + 1
            }
            let required = entry["requiredLogs"] as! [Int]
            let state = (entry["state"] as! String).replacingOccurrences(of: "Shutdown", with: " Shutdown")
            #expect(result.stdout.contains("            State: \(state)"), "\(path)")
            #expect(result.stdout.contains("     Log Required: \(required[0])-\(required[1]) (0x\(String(required[0], radix: 16))-0x\(String(required[1], radix: 16)))"), "\(path)")
            #expect(result.stdout.contains("         cbDbPage: \(entry["pageSize"] as! Int)") || result.stdout.contains("         cbDbPage: 0"), "\(path)")
            #expect(result.stdout.contains("    Log Signature: Create time:") && result.stdout.contains("Rand:\(entry["logSignatureRandom"] as! Int) "), "\(path)")
        }
    }

    @Test func logAndCheckpointHeaders() throws {
        let set = TestEnvironment.realCorpus! + "/museum/srum-win10-belkasoft-dirty"
        let log = try CommandRunner.run(["header", set + "/SRU00051.log"])
        #expect(log.status == 0)
        for label in ["lGeneration", "Checkpoint", "creation time", "prev gen time", "prev gen accumulated segment checksum",
                      "Format LGVersion", "Signature", "Env SystemPath", "Env LogFilePath", "Env Log Sec size",
                      "Using Reserved Log File", "Circular Logging Flag (current file)", "Circular Logging Flag (past files)",
                      "Checkpoint at log creation time", "Last Lgpos", "Accumulated segment checksum"] {
            #expect(log.stdout.contains("      \(label): "), "log label \(label)")
        }
        #expect(log.stdout.contains("lGeneration: 81 (0x51)"))
        #expect(log.stdout.contains("Format LGVersion: (8.4000.5.16)"))
        let checkpoint = try CommandRunner.run(["header", set + "/SRU.chk"])
        #expect(checkpoint.stdout.contains("      Checkpoint: (0x51,9,0)"))
        let json = try CommandRunner.run(["header", "--json", set + "/SRUDB.dat"])
        let fields = try #require((json.json["header"] as? [String: Any])?["fields"] as? [[String: Any]])
        #expect(fields.contains { $0["label"] as? String == "State" && $0["value"] as? String == "Dirty Shutdown" })
        #expect(fields.contains { $0["label"] as? String == "Log Required" && ($0["value"] as? String)?.hasPrefix("81-81 (0x51-0x51)") == true })
    }
}

/// Size arguments of `generate` and `ese-bench`.
@Suite struct ByteSizeTests {
    @Test func binaryDecimalAndPlainSizes() {
        #expect(ByteSize.parse("4096") == 4096)
        #expect(ByteSize.parse("256KiB") == 256 << 10)
        #expect(ByteSize.parse("512MiB") == 512 << 20 && ByteSize.parse("512m") == 512 << 20)
        #expect(ByteSize.parse("10GiB") == 10 << 30 && ByteSize.parse("1.5GB") == 1_500_000_000)
        #expect(ByteSize.parse("2TiB") == 2 << 40)
    }

    @Test func nonsenseZeroAndHugeAreRefused() {
        for text in ["", "lots", "0", "0MiB", "-1GiB", "nanGiB", "infGiB", "1e30GiB", "9223372036854775807", "0.1b", "GiB"] {
            #expect(ByteSize.parse(text) == nil, "\(text)")
        }
        #expect(ByteSize.parse("8PiB") == nil)  // no such suffix
        #expect(ByteSize.parse(String(ByteSize.maximum)) == ByteSize.maximum)
    }
}
