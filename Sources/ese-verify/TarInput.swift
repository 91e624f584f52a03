import ESECheck
import Foundation

/// `check --tar FILE|-`: the storage group inside a tar stream, read once from a file or
/// standard input, nothing extracted.
enum TarInput {
    /// Checks the archive at `path` (`-`: standard input); nil when it cannot be opened.
    static func check(_ path: String, checker: TarChecker, baseName: String?) -> StorageGroupReport? {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: path) else { return nil }
            handle = opened
        }
        var reader = TarReader { count in
            guard let data = try handle.read(upToCount: count) else { return [] }
            return [UInt8](data)
        }
        return checker.check(&reader, name: path == "-" ? "stdin" : path, baseName: baseName)
    }
}
