import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// Bad input never crashes or hangs: each case gives a clear error naming the file and the
/// problem, and a non-zero exit status.
@Suite struct BadInputTests {
    let directory = TemporaryDirectory()

    func expectClearFailure(_ path: String, mentions words: [String], status: Int32? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try CommandRunner.run(["db", path])
        #expect(result.status != 0, sourceLocation: sourceLocation)
        if let status { #expect(result.status == status, "\(result.stdout)", sourceLocation: sourceLocation) }
        let text = result.stdout + result.stderr
        #expect(text.contains(path), "output must name the file: \(text)", sourceLocation: sourceLocation)
        for word in words {
            #expect(text.localizedCaseInsensitiveContains(word), "output must say '\(word)': \(text)", sourceLocation: sourceLocation)
        }
        let json = try CommandRunner.run(["db", "--json", path])
        #expect(json.status == result.status, sourceLocation: sourceLocation)
        let database = (json.json["databases"] as? [[String: Any]])?.first
        #expect(database?["passed"] as? Bool == false, sourceLocation: sourceLocation)
        let errors = (database?["errors"] as? [Any]) ?? []
        #expect(!errors.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func emptyFile() throws {
        let path = directory.file("empty.edb")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        try expectClearFailure(path, mentions: ["empty"], status: 1)
    }

    @Test func hundredByteFile() throws {
        let path = directory.file("tiny.edb")
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 100))
        try expectClearFailure(path, mentions: ["neither the primary header nor the shadow header", "100 bytes"], status: 1)
    }

    @Test func directoryInsteadOfFile() throws {
        try expectClearFailure(directory.path, mentions: ["directory"], status: 3)
    }

    @Test func missingPath() throws {
        try expectClearFailure(directory.file("absent.edb"), mentions: ["no such file"], status: 3)
    }

    @Test func unreadableFile() throws {
        let path = try SampleDatabase.write(to: directory.file("secret.edb"), pages: 20)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        // Root reads anything: run the CLI as "nobody" then.
        let user: Int? = getuid() == 0 ? 65534 : nil
        let result = try CommandRunner.run(["db", path], asUser: user)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect((result.stdout + result.stderr).contains(path))
        #expect((result.stdout + result.stderr).localizedCaseInsensitiveContains("permission denied"))
    }

    @Test func bothHeadersCorrupt() throws {
        let path = try SampleDatabase.write(to: directory.file("headless.edb"), pages: 20)
        let file = try FileOutput(editing: path)
        try file.flipBit(atFileBit: 100 * 8)
        try file.flipBit(atFileBit: (8192 + 100) * 8)
        file.close()
        try expectClearFailure(path, mentions: ["neither the primary header nor the shadow header is valid", "-1018"], status: 1)
    }

    @Test func sizeNotAMultipleOfThePageSize() throws {
        let path = try SampleDatabase.write(to: directory.file("ragged.edb"), pages: 20)
        let file = try FileOutput(editing: path)
        try file.truncate(to: try file.size() + 1000)
        file.close()
        try expectClearFailure(path, mentions: ["not a whole number of pages", "1000"], status: 1)
        // The full pages are still checked.
        let report = DatabaseChecker().check(path)
        #expect(report.pages.total == 20)
        #expect(report.errors.map(\.code) == [.partialPage])
    }

    @Test func fifoDoesNotHang() throws {
        let path = directory.file("pipe.edb")
        #expect(mkfifo(path, 0o644) == 0)
        try expectClearFailure(path, mentions: ["fifo"], status: 3)
    }

    @Test func symlinkLoop() throws {
        let path = directory.file("loop.edb")
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: path)
        try expectClearFailure(path, mentions: ["symbolic links"], status: 3)
    }

    @Test func usageErrorsExitTwo() throws {
        let unknown = try CommandRunner.run(["db", "--bogus", "x"])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown option --bogus") && unknown.stderr.contains("usage:"))
        let missing = try CommandRunner.run(["db"])
        #expect(missing.status == 2 && missing.stderr.contains("usage:"))
        let noCommand = try CommandRunner.run(["frobnicate"])
        #expect(noCommand.status == 2)
    }
}
