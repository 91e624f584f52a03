import ESETestSupport
import Foundation
import Testing

/// Runs a program with arguments given as raw bytes (names that are not UTF-8, which
/// `Process` cannot pass), with stdout and stderr sent to files or stdout closed.
enum RawCommand {
    /// Where the child's standard output goes.
    enum Output {
        case file
        case closed
        case path(String)
    }

    static func run(_ arguments: [[UInt8]], executable: String = TestEnvironment.cliPath, stdout: Output = .file) throws -> CommandResult {
        let directory = TemporaryDirectory()
        let outPath = directory.file("out"), errPath = directory.file("err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch stdout {
        case .file: posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        case .closed: posix_spawn_file_actions_addclose(&actions, 1)
        case .path(let path): posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let all = [Array(executable.utf8)] + arguments
        let pointers: [UnsafeMutablePointer<CChar>?] = all.map { bytes in
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
            pointer[bytes.count] = 0
            return pointer
        } + [nil]
        defer { for pointer in pointers { pointer?.deallocate() } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, pointers, environ)
        try #require(spawned == 0, "posix_spawn failed: \(spawned)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED: the low 7 bits are 0; then the status is in bits 8-15. A signal gives 128 + signal.
        let exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return CommandResult(status: exitStatus,
                             stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// `string` as argument bytes.
    static func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }
}
