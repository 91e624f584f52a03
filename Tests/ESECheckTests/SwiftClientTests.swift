import ESETestSupport
import Foundation
import Testing

/// The Swift package as a client uses it: the README's manifest lines resolve as a path
/// dependency (SwiftPM names a package after the last component of its path or URL,
/// lowercased), and the code the docs show compiles with `import ESECheck` alone — the
/// ESEFormat types the API hands out (`JetError`, `PageCheck`, `PageOutcome`) included.
/// Resolving and type-checking take about a second against the modules `swift test` built;
/// building and running the client package (a debug build of both modules, ~20 s) runs when
/// `ESECHECK_CLIENT_BUILD=1`, as `.ci/run` sets it.
@Suite struct SwiftClientTests {
    let directory = TemporaryDirectory()
    let root = TestEnvironment.packageRoot

    static let swift: String? = ["/opt/swift/usr/bin/swift", "/usr/bin/swift"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let swiftc: String? = ["/opt/swift/usr/bin/swiftc", "/usr/bin/swiftc"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The ```swift blocks of a Markdown file.
    static func swiftBlocks(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
    }

    /// The README's package snippet: the manifest lines, then the code.
    func readmeSnippet() throws -> (manifest: [String], code: String) {
        let block = try #require(try Self.swiftBlocks(root + "/README.md").first { $0.contains(".product(name: \"ESECheck\"") })
        let parts = block.components(separatedBy: "import ESECheck")
        #expect(parts.count == 2, "the README's snippet has a manifest part and code starting with `import ESECheck`")
        let manifest = parts[0].split(separator: "\n").map(String.init).filter { !$0.hasPrefix("//") }
        return (manifest, "import ESECheck" + parts[1])
    }

    /// A client package made of the README's lines, depending on this package through a folder
    /// named as the repository is (the README's advice for clones).
    func clientPackage() throws -> String {
        let (manifest, code) = try readmeSnippet()
        let clone = directory.file("ESECheck")
        try FileManager.default.createSymbolicLink(atPath: clone, withDestinationPath: root)
        let urlLine = try #require(manifest.first { $0.contains(".package(url:") })
        let lines = manifest.map { line in
            line == urlLine ? "    .package(path: \"\(clone)\"),"
                            : line.replacingOccurrences(of: ".target(", with: ".executableTarget(")
        }
        let client = directory.file("client")
        let target = try #require(lines.joined().firstMatch(of: /\.executableTarget\(name: "([A-Za-z]+)"/)?.1)
        try FileManager.default.createDirectory(atPath: client + "/Sources/\(target)", withIntermediateDirectories: true)
        let package = """
            // swift-tools-version: 6.2
            import PackageDescription
            let package = Package(name: "client", platforms: [.macOS(.v15)],
            \(lines.joined(separator: "\n"))
            )
            """
        try package.write(toFile: client + "/Package.swift", atomically: true, encoding: .utf8)
        try code.write(toFile: client + "/Sources/\(target)/main.swift", atomically: true, encoding: .utf8)
        return client
    }

    @Test func theReadmeIdentityWorksForURLAndPathDependencies() throws {
        let swift = try #require(Self.swift)
        let (manifest, _) = try readmeSnippet()
        let url = try #require(manifest.joined().firstMatch(of: /\.package\(url: "([^"]+)"/)?.1)
        let package = try #require(manifest.joined().firstMatch(of: /\.product\(name: "ESECheck", package: "([^"]+)"\)/)?.1)
        // SwiftPM's identity of a URL: its last component without ".git", lowercased.
        let last = url.split(separator: "/").last.map { String($0).replacingOccurrences(of: ".git", with: "").lowercased() }
        #expect(last == String(package))
        let client = try clientPackage()
        let resolved = try CommandRunner.run(["package", "--package-path", client, "show-dependencies"], executable: swift)
        #expect(resolved.status == 0, "\(resolved.stdout)\(resolved.stderr)")
        #expect(resolved.stdout.contains("\(package)<"))
    }

    /// Every self-contained snippet of the README and the DocC articles (those that start
    /// with `import ESECheck`), and one using the ESEFormat types of the API, type-check with
    /// `import ESECheck` alone.
    @Test func theDocumentedCodeNeedsOnlyImportESECheck() throws {
        let modules = URL(fileURLWithPath: TestEnvironment.cliPath).deletingLastPathComponent().path + "/Modules"
        try #require(FileManager.default.fileExists(atPath: modules + "/ESECheck.swiftmodule"), "no built modules at \(modules)")
        let articles = try FileManager.default.contentsOfDirectory(atPath: root + "/Sources/ESECheck/ESECheck.docc")
            .filter { $0.hasSuffix(".md") }.map { root + "/Sources/ESECheck/ESECheck.docc/" + $0 }
        var snippets = try ([root + "/README.md"] + articles).flatMap(Self.swiftBlocks).compactMap { block -> String? in
            guard let start = block.range(of: "import ESECheck\n") else { return nil }
            return String(block[start.lowerBound...])
        }
        #expect(snippets.count >= 2, "the README and GettingStarted each show code that starts with `import ESECheck`")
        snippets.append("""
            import ESECheck
            func describe(_ batch: PageBatchResult) -> [String] {
                let error: JetError = batch.jetError
                return batch.pages.map { (page: PageCheck) -> String in
                    let outcome: PageOutcome = page.outcome
                    return "\\(page.pageNumber) \\(outcome) \\(error.code)"
                }
            }
            """)
        for (index, snippet) in snippets.enumerated() {
            let file = directory.file("snippet\(index).swift")
            try snippet.write(toFile: file, atomically: true, encoding: .utf8)
            let swiftc = try #require(Self.swiftc)
            let checked = try CommandRunner.run(["-typecheck", "-I", modules, file], executable: swiftc)
            #expect(checked.status == 0, "snippet \(index):\n\(snippet)\n\(checked.stderr)")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["ESECHECK_CLIENT_BUILD"] == "1",
                   "set ESECHECK_CLIENT_BUILD=1 to build the README's client package (~20 s; .ci/run does)"))
    func theReadmeClientBuildsAndRuns() throws {
        let swift = try #require(Self.swift)
        let client = try clientPackage()
        let built = try CommandRunner.run(["build", "--package-path", client], executable: swift)
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)")
        let binary = try CommandRunner.run(["build", "--package-path", client, "--show-bin-path"], executable: swift)
        let target = try #require(try String(contentsOfFile: client + "/Package.swift", encoding: .utf8)
            .firstMatch(of: /\.executableTarget\(name: "([A-Za-z]+)"/)?.1)
        let run = try CommandRunner.run([], executable: binary.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/" + target)
        // The README's paths do not exist here: the database is unreadable, and says so.
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("unreadable"), "\(run.stdout)")
    }
}
