import ESETestSupport
import Foundation
import Testing

/// The layers of ESECheck point one way (docs/architecture.md): a folder may use the types of
/// its own layer and the layers below, never those above. Also: only the C-library funnel
/// (and the C interface, which hands out C memory) imports the C library, and no shipped
/// library imports Foundation.
@Suite struct ArchitectureTests {
    /// ESECheck's folders, lowest layer first.
    static let layers = ["IO", "Model", "Judgement", "Engine", "Rendering"]
    static let sources = RealCorpus.packageRoot + "/Sources"

    /// Every Swift file of a module: (folder below the module, file name, contents).
    static func files(of module: String) throws -> [(folder: String, name: String, text: String)] {
        let root = sources + "/" + module
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [(String, String, String)] = []
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let parts = relative.split(separator: "/").map(String.init)
            files.append((parts.count > 1 ? parts[0] : "", parts.last!, try String(contentsOfFile: root + "/" + relative, encoding: .utf8)))
        }
        return files.sorted { $0.1 < $1.1 }
    }

    /// The code of a file without comments and string literals.
    static func code(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var out = "", inString = false, previous: Character = " "
            for character in line {
                if !inString, character == "/", previous == "/" { out.removeLast(); break }
                if character == "\"", previous != "\\" { inString.toggle(); out.append("\""); previous = character; continue }
                if !inString { out.append(character) }
                previous = character
            }
            return out
        }.joined(separator: "\n")
    }

    /// Names of the types a file declares at top level (column 0).
    static func declaredTypes(_ text: String) -> [String] {
        let keywords: Set<String> = ["struct", "enum", "class", "protocol", "actor", "typealias"]
        let modifiers: Set<String> = ["public", "package", "internal", "fileprivate", "private", "final", "indirect"]
        return text.split(separator: "\n").compactMap { line -> String? in
            guard let first = line.first, first.isLetter || first == "@" else { return nil }
            let words = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "<" || $0 == "{" }).map(String.init)
            var index = 0
            while index < words.count, words[index].hasPrefix("@") || modifiers.contains(words[index]) { index += 1 }
            guard index + 1 < words.count, keywords.contains(words[index]) else { return nil }
            return words[index + 1]
        }
    }

    static func identifiers(_ code: String) -> Set<String> {
        var names = Set<String>(), current = ""
        for character in code + " " {
            if character.isLetter || character.isNumber || character == "_" {
                current.append(character)
            } else {
                if let first = current.first, first.isUppercase { names.insert(current) }
                current = ""
            }
        }
        return names
    }

    @Test func layersPointOneWay() throws {
        let files = try Self.files(of: "ESECheck")
        let unknown = Set(files.map(\.folder)).subtracting(Self.layers + [""])
        #expect(unknown.isEmpty, "folders outside the layer list: \(unknown.sorted()) — add them to docs/architecture.md and here")
        // The module's root holds only its front door (re-exports), no code.
        for file in files where file.folder.isEmpty {
            #expect(Self.declaredTypes(file.text).isEmpty, "\(file.name) declares types outside the layers")
        }
        var layerOf: [String: Int] = [:]
        for file in files {
            guard let layer = Self.layers.firstIndex(of: file.folder) else { continue }
            for type in Self.declaredTypes(file.text) { layerOf[type] = layer }
        }
        #expect(layerOf.count > 60, "the type scan found too few types: \(layerOf.count)")
        var violations: [String] = []
        for file in files {
            guard let layer = Self.layers.firstIndex(of: file.folder) else { continue }
            for name in Self.identifiers(Self.code(file.text)).sorted() {
                if let used = layerOf[name], used > layer {
                    violations.append("\(file.folder)/\(file.name) uses \(name) from \(Self.layers[used])")
                }
            }
        }
        #expect(violations.isEmpty, Comment(rawValue: "a lower layer uses a higher one:\n" + violations.joined(separator: "\n")))
    }

    /// The scan itself finds an upward use (so a passing test means something).
    @Test func theScanSeesAnUpwardUse() {
        let model = "public struct Holder {\n    var plan: ReplayPlanText // a comment naming JSONValue\n    let s = \"JSONValue\"\n}"
        #expect(Self.declaredTypes("public struct ReplayPlanText: Sendable {") == ["ReplayPlanText"])
        #expect(Self.identifiers(Self.code(model)) == ["Holder", "ReplayPlanText"])
    }

    @Test func onlyTheFunnelImportsTheCLibrary() throws {
        let allowed: Set<String> = ["SystemCalls.swift", "MappedWindowGuard.swift", "Locked.swift"]
        for module in ["ESEFormat", "ESECheck", "ESECheckC"] {
            for file in try Self.files(of: module) {
                let imports = file.text.split(separator: "\n").filter { $0.hasPrefix("import ") || $0.hasPrefix("@_exported import ") }
                let cLibrary = imports.contains { $0.hasSuffix(" Glibc") || $0.hasSuffix(" Darwin") || $0.hasSuffix(" Musl") }
                // ESECheckC hands out C memory (strdup/free) by design.
                #expect(!cLibrary || module == "ESECheckC" || (module == "ESECheck" && allowed.contains(file.name)),
                        "\(module)/\(file.folder)/\(file.name) imports the C library")
                #expect(!imports.contains { $0.hasSuffix(" Foundation") }, "\(module)/\(file.name) imports Foundation")
            }
        }
    }
}
