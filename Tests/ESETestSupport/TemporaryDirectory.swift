import Foundation

/// A fresh directory removed when the value goes away.
public final class TemporaryDirectory {
    /// Its path.
    public let path: String

    /// Creates the directory.
    public init() {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("esecheck-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside it.
    public func file(_ name: String) -> String { path + "/" + name }
}
