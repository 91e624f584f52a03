import ESETestSupport
import ESECheck
import ESECorpus
import Foundation
import Testing

/// Issue 13, point 6: results that cannot be written never trap (FileHandle's exit 132): a
/// closed stdout, a full device and a pipe without a reader all end with exit status 4 and
/// a message on stderr.
@Suite struct OutputFailureTests {
    let directory = TemporaryDirectory()

    func database() throws -> String {
        try SampleDatabase.write(to: directory.file("out.edb"), pages: 40)
    }

    @Test func aClosedStandardOutputExitsFour() throws {
        let result = try RawCommand.run([RawCommand.bytes("db"), RawCommand.bytes(try database())], stdout: .closed)
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("cannot write the results to standard output"), "\(result.stderr)")
    }

    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full"), "/dev/full is needed"))
    func aFullDeviceExitsFour() throws {
        let result = try RawCommand.run([RawCommand.bytes("check"), RawCommand.bytes("--json"), RawCommand.bytes(try database())],
                                        stdout: .path("/dev/full"))
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("No space left on device") || result.stderr.contains("errno 28"), "\(result.stderr)")
    }

    @Test func aPipeWithoutAReaderExitsFourInsteadOfDyingOfSIGPIPE() throws {
        let path = try database()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.cliPath)
        process.arguments = ["db", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        let errors = directory.file("err")
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errors)
        try pipe.fileHandleForReading.close()  // nobody will ever read: writing gives EPIPE
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "killed by a signal")
        #expect(process.terminationStatus == 4)
        #expect(try String(contentsOfFile: errors, encoding: .utf8).contains("Broken pipe"))
    }

    @Test func helpDocumentsExitStatusFour() throws {
        let help = try CommandRunner.run(["help"])
        #expect(help.stdout.contains("4 output could not be written"))
        let readme = try String(contentsOfFile: TestEnvironment.packageRoot + "/README.md", encoding: .utf8)
        #expect(readme.contains("**4** output could not be written"))
    }
}
