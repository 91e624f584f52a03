import ESECorpus
import ESEFormat
import Foundation
import Testing

/// Where tests find things: the package root, the shared real corpus, the built CLI.
enum TestEnvironment {
    /// The package root (the folder holding Package.swift).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// `../shared/corpus/real` beside the package, when present (CI); nil in a user's clone.
    static let realCorpus: String? = {
        let path = URL(fileURLWithPath: packageRoot).deletingLastPathComponent()
            .appendingPathComponent("shared/corpus/real").standardized.path
        return FileManager.default.fileExists(atPath: path + "/expected.json") ? path : nil
    }()

    static let realCorpusMissing: Comment = "../shared/corpus/real is absent (a user's clone): real-file conformance tests skipped"

    /// The built `ese-verify` binary, beside the test bundle.
    static let cliPath: String = {
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL {
            var directory = executable.deletingLastPathComponent()
            // The test binary may sit inside a bundle directory.
            for _ in 0..<3 {
                candidates.append(directory.appendingPathComponent("ese-verify").path)
                directory.deleteLastPathComponent()
            }
        }
        candidates.append(packageRoot + "/.build/debug/ese-verify")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    /// The decoded `expected.json` of the real corpus.
    static func expectations() throws -> [String: Any] {
        guard let root = realCorpus else { return [:] }
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/expected.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

/// A fresh directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("esecheck-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// Result of running the CLI.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as JSON.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
    }
}

/// Runs the built CLI (or any program) and captures its output through files.
enum CommandRunner {
    static func run(_ arguments: [String], executable: String = TestEnvironment.cliPath, asUser: Int? = nil) throws -> CommandResult {
        let directory = TemporaryDirectory()
        let outPath = directory.file("out"), errPath = directory.file("err")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        if let user = asUser {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

/// Small generated databases for tests.
enum SampleDatabase {
    static func signature(_ random: UInt32) -> Signature {
        Signature(random: random, creationTime: LogTime(year: 2026, month: 11, day: 22, hour: 1, minute: 2, second: 3))
    }

    static func spec(pageSize: Int = 8192, pages: Int = 300, seed: UInt64 = 1, usedFraction: Double = 0.8) -> DatabaseSpec {
        let header = DatabaseHeaderFields(pageSize: pageSize, databaseSignature: signature(1234), logSignature: signature(5678))
        return DatabaseSpec(header: header, pageCount: pages, usedFraction: usedFraction, seed: seed)
    }

    /// Writes a clean database and returns its path.
    @discardableResult
    static func write(to path: String, pageSize: Int = 8192, pages: Int = 300, seed: UInt64 = 1,
                      usedFraction: Double = 0.8) throws -> String {
        try DatabaseWriter.write(spec(pageSize: pageSize, pages: pages, seed: seed, usedFraction: usedFraction), to: path)
        return path
    }
}

extension FileOutput {
    /// Flips bit `bit` of the file.
    func flipBit(atFileBit bit: UInt64) throws {
        let offset = bit / 8
        var byte = try read(at: offset, count: 1)
        byte[0] ^= UInt8(1 << (bit % 8))
        try write(byte, at: offset)
    }
}
