import ESECheck
import Foundation

/// `check --tar FILE|-` and `verify --tar FILE|-`: the storage group inside a tar stream,
/// read once from a file or standard input, nothing extracted.
enum TarInput {
    /// A reader over the archive at `path` (`-`: standard input); nil when it cannot be opened.
    static func reader(_ path: String) -> TarReader? {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: path) else { return nil }
            handle = opened
        }
        return TarReader { count in
            guard let data = try handle.read(upToCount: count) else { return [] }
            return [UInt8](data)
        }
    }

    /// The name reports give the archive.
    static func name(_ path: String) -> String { path == "-" ? "stdin" : path }

    /// Checks the archive at `path` (`-`: standard input); nil when it cannot be opened.
    static func check(_ path: String, checker: TarChecker, baseName: String?) -> StorageGroupReport? {
        guard var reader = reader(path) else { return nil }
        return checker.check(&reader, name: name(path), baseName: baseName)
    }

    /// Checks the archive at `path` against `manifest`; nil when it cannot be opened.
    static func verify(_ manifest: BackupManifest, _ path: String, checker: TarChecker, baseName: String?) -> ManifestVerification? {
        guard var reader = reader(path) else { return nil }
        return checker.verify(manifest, &reader, name: name(path), baseName: baseName)
    }
}
