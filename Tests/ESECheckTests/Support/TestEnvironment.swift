import ESETestSupport
import Foundation
import Testing

/// Where tests find things: the package root, the shared real corpus, the built CLI.
enum TestEnvironment {
    /// The package root (the folder holding Package.swift).
    static var packageRoot: String { RealCorpus.packageRoot }

    /// `../shared/corpus/real` beside the package, when present (CI); nil in a user's clone.
    static var realCorpus: String? { RealCorpus.path }

    static let realCorpusMissing = Comment(rawValue: RealCorpus.missing)

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
    static func expectations() throws -> [String: Any] { try RealCorpus.expectations() }
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
