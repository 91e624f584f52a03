import Foundation

/// The scenario manifest (`scenarios.json`) shipped with the corpus generator.
public enum CorpusManifest {
    /// Where the manifest is, inside this target's resource bundle.
    public static var url: URL? { Bundle.module.url(forResource: "scenarios", withExtension: "json") }

    /// The manifest's bytes.
    public static func data() throws -> Data {
        guard let url else { throw CocoaError(.fileNoSuchFile) }
        return try Data(contentsOf: url)
    }
}
