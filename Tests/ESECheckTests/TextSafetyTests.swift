import ESETestSupport
@testable import ESECheck
import ESECorpus
import ESEFormat
import Testing

/// No text that comes from a file — a database path, a name in a log's attach list — can
/// start a line of a text report, whichever renderer prints it.
@Suite struct TextSafetyTests {
    let directory = TemporaryDirectory()

    @Test func aPathCannotForgeAResultLine() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 8192, pageCount: 30)])
        spec.generations = 3
        spec.logFileSectors = 16
        spec.dirty = true
        let files = try StorageGroupWriter.write(spec, to: directory.file("group"))
        var report = StorageGroupChecker().check(directory: files.directory)
        report.databases[0].report.path = "x\nResult: consistent (JET 0)\u{1B}[2K"
        report.skippedFiles = ["y\rResult: consistent"]
        let lines = report.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0.hasPrefix("Result:") }.count == 1, "only the report's own result line")
        #expect(!report.text.contains("\u{1B}") && !report.text.contains("\r"))
        #expect(report.databases[0].report.text.split(separator: "\n").allSatisfy { !$0.hasPrefix("Result:") })
    }

    @Test func lineSafeKeepsBackslashesAndEscapesControls() {
        #expect(PathEncoding.lineSafe("C:\\ESE\\mailbox01.edb") == "C:\\ESE\\mailbox01.edb")
        #expect(PathEncoding.lineSafe("a\nb\tc\u{7F}") == "a\\nb\\tc\\x7F")
    }
}
