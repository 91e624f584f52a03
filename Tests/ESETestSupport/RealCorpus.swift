import Foundation

/// Where tests find the package and the real corpus (`../shared/corpus/real`, present in CI,
/// absent in a user's clone: tests that need it skip with `RealCorpus.missing`).
public enum RealCorpus {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// `../shared/corpus/real` beside the package, when present; nil in a user's clone.
    public static let path: String? = {
        let path = URL(fileURLWithPath: packageRoot).deletingLastPathComponent()
            .appendingPathComponent("shared/corpus/real").standardized.path
        return FileManager.default.fileExists(atPath: path + "/expected.json") ? path : nil
    }()

    /// Why real-file tests are skipped when the corpus is absent.
    public static let missing = "../shared/corpus/real is absent (a user's clone): real-file conformance tests skipped"

    /// The decoded `expected.json` of the real corpus (empty when absent).
    public static func expectations() throws -> [String: Any] {
        guard let root = path else { return [:] }
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/expected.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// The bytes of a corpus file, by its path relative to the corpus.
    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        guard let root = path else { return [] }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + relativePath)))
    }
}
