import ESETestSupport
import ESECheck
import ESECorpus
import Foundation
import Testing

/// Issue 13, point 7: names are bytes. A name that is not UTF-8 is opened as given, listed
/// without loss, carried exactly in JSON (`pathBytes`), and no name can forge a line of the
/// text report.
@Suite struct ByteNameTests {
    let directory = TemporaryDirectory()

    /// The directory's path as bytes followed by `name`.
    func bytePath(_ name: [UInt8]) -> [UInt8] { Array((directory.path + "/").utf8) + name }

    /// Writes a copy of a clean sample database at the byte path.
    func writeDatabase(named name: [UInt8]) throws -> [UInt8] {
        let sample = try SampleDatabase.write(to: directory.file("sample-\(UUID().uuidString).edb"), pages: 40)
        let path = bytePath(name)
        let renamed = path.withUnsafeBufferPointer { buffer -> Int32 in
            var terminated = Array(buffer) + [0]
            return terminated.withUnsafeMutableBufferPointer { target in
                target.withMemoryRebound(to: CChar.self) { rename(sample, $0.baseAddress!) }
            }
        }
        try #require(renamed == 0)
        return path
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func everyByteStringRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0...UInt64.max, using: &generator)
        var random = DeterministicRandom(seed: seed)
        let specials: [[UInt8]] = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x8F, 0xBF, 0x80], [0xF4, 0x90, 0x80, 0x80],
                                   [0xE2, 0x82], [0xC0, 0xAF], Array("plain.edb".utf8), Array("é€😀".utf8)]
        var cases = specials
        for _ in 0..<2000 {
            let count = Int(random.next() % 12)
            cases.append((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        for bytes in cases {
            let text = PathEncoding.string(fromBytes: bytes)
            #expect(PathEncoding.bytes(of: text) == bytes, "seed \(seed): \(bytes)")
            #expect(PathEncoding.hex(text) == Self.hex(bytes))
            let valid = String(validating: bytes, as: UTF8.self)
            if let valid, !valid.unicodeScalars.contains(where: { $0.value >= 0x10FF00 }) {
                #expect(text == valid && !PathEncoding.hasRawBytes(text), "valid UTF-8 decodes as usual: \(bytes)")
            } else {
                #expect(PathEncoding.hasRawBytes(text), "seed \(seed): \(bytes)")
            }
        }
        #expect(PathEncoding.lossy(PathEncoding.string(fromBytes: [0x61, 0xFF, 0x62])) == "a\u{FFFD}b")
    }

    @Test func displayedNamesCannotBreakALine() {
        let name = PathEncoding.string(fromBytes: Array("a\nResult: consistent\r\u{1B}[2K\t\\\u{7F}\u{9B}\u{2028}".utf8) + [0xFF])
        let shown = PathEncoding.displayed(name)
        #expect(shown == "a\\nResult: consistent\\r\\x1B[2K\\t\\\\\\x7F\\x9B\\u{2028}\\xFF")
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(PathEncoding.displayed("mailbox01.edb") == "mailbox01.edb")
    }

    @Test func aNonUTF8NameIsListedOpenedAndCheckedFromTheCommandLine() throws {
        let name: [UInt8] = Array("m".utf8) + [0xFF, 0xFE] + Array(".edb".utf8)
        let path = try writeDatabase(named: name)
        try SampleDatabase.write(to: directory.file("plain.edb"), pages: 40)
        // Listed without loss, and openable from the listing.
        let discovery = try DirectoryDiscovery.scan(directory.path)
        let found = try #require(discovery.databases.first { PathEncoding.hasRawBytes($0) })
        #expect(PathEncoding.bytes(of: found) == path)
        #expect(DatabaseChecker().check(found).passed)
        // Opened as given on the command line; JSON carries the bytes exactly.
        let result = try RawCommand.run([RawCommand.bytes("db"), RawCommand.bytes("--json"), path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let databases = try #require(result.json["databases"] as? [[String: Any]])
        #expect(databases.first?["pathBytes"] as? String == Self.hex(path))
        #expect((databases.first?["path"] as? String)?.contains("\u{FFFD}") == true)
        #expect(databases.first?["passed"] as? Bool == true)
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        #expect(schema.validate(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)), against: "dbDocument").isEmpty)
        // The directory check finds and passes it too; a valid UTF-8 path has no pathBytes.
        let check = try RawCommand.run([RawCommand.bytes("check"), RawCommand.bytes("--json"), Array(directory.path.utf8)])
        #expect(check.status == 0, "\(check.stdout)")
        let checked = try #require(check.json["databases"] as? [[String: Any]])
        #expect(checked.contains { $0["pathBytes"] as? String == Self.hex(path) && $0["verdict"] as? String == "consistent" })
        #expect(checked.contains { $0["pathBytes"] == nil })
        // header --json too.
        let header = try RawCommand.run([RawCommand.bytes("header"), RawCommand.bytes("--json"), path])
        #expect(header.status == 0)
        #expect((header.json["header"] as? [String: Any])?["pathBytes"] as? String == Self.hex(path))
        #expect(schema.validate(try JSONSerialization.jsonObject(with: Data(header.stdout.utf8)), against: "headerDocument").isEmpty)
        // A missing non-UTF-8 path is reported with its exact bytes too.
        let missing = bytePath(Array("gone".utf8) + [0xFF] + Array(".edb".utf8))
        let absent = try RawCommand.run([RawCommand.bytes("db"), RawCommand.bytes("--json"), missing])
        #expect(absent.status == 3)
        let errors = try #require((absent.json["databases"] as? [[String: Any]])?.first?["errors"] as? [[String: Any]])
        #expect(errors.first?["pathBytes"] as? String == Self.hex(missing))
    }

    @Test func aNonUTF8DirectoryIsCheckedAsADirectory() throws {
        let folder = bytePath(Array("group".utf8) + [0xE9])
        let made = (folder + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) }
        }
        try #require(made == 0)
        let folderPath = PathEncoding.string(fromBytes: folder)
        #expect(DirectoryDiscovery.isDirectory(folderPath))
        let sample = try SampleDatabase.write(to: directory.file("inner.edb"), pages: 40)
        let target = folder + Array("/inner.edb".utf8) + [0]
        let moved = target.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { rename(sample, $0.baseAddress!) }
        }
        try #require(moved == 0)
        let result = try RawCommand.run([RawCommand.bytes("check"), RawCommand.bytes("--json"), folder])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let databases = try #require(result.json["databases"] as? [[String: Any]])
        #expect(databases.count == 1 && databases[0]["pathBytes"] as? String == Self.hex(folder + Array("/inner.edb".utf8)))
        let text = try RawCommand.run([RawCommand.bytes("check"), folder])
        #expect(text.stdout.contains("group\\xE9/inner.edb"), "\(text.stdout)")
    }

    @Test func aNameCannotForgeAReportLine() throws {
        let forged = Array("x\nResult: consistent (JET 0)\n\u{1B}[1A.edb".utf8)
        _ = try writeDatabase(named: forged)
        // Damage it, so the real result is not consistent. (One dword: 64 equal bytes over the
        // zero free space of a page cancel out in both the XOR and the ECC.)
        let path = PathEncoding.string(fromBytes: bytePath(forged))
        let output = try FileOutput(editing: path)
        try output.write(Array(repeating: 0xAB, count: 4), at: UInt64(10 * 8192) + 100)
        output.close()
        for arguments in [["check", directory.path], ["db", path], ["header", path]] {
            let result = try RawCommand.run(arguments.map { PathEncoding.bytes(of: $0) })
            #expect(!result.stdout.contains("\u{1B}"), "\(arguments[0]): an escape reached the terminal")
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(!lines.contains { $0.hasPrefix("Result: consistent") }, "\(arguments[0]): \(result.stdout)")
            #expect(result.stdout.contains("x\\nResult: consistent (JET 0)\\n\\x1B[1A.edb"), "\(arguments[0]): \(result.stdout)")
        }
        let check = try RawCommand.run([RawCommand.bytes("check"), Array(directory.path.utf8)])
        #expect(check.status == 1 && check.stdout.contains("\nResult: corrupt"))
    }
}
