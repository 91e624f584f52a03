import ESECheck
import ESECorpus
import ESEFormat
import ESETestSupport
import Foundation
import Testing

/// Backup manifests: the whole-file CRC-32C formed from the page pass equals the CRC-32C of
/// the file read straight; a copy that differs from its manifest (a page replaced by an older
/// valid one, a log changed, a file missing or extra) is never restorable; a changed manifest
/// is refused.
@Suite struct ManifestTests {
    static func crc(_ path: String) throws -> UInt32 {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        return crc32c([UInt8](bytes))
    }

    static func crc32c(_ bytes: [UInt8]) -> UInt32 { CRC32C.checksum(bytes.span.bytes) }

    static func group() throws -> (TemporaryDirectory, StorageGroupFiles) {
        let directory = TemporaryDirectory()
        let files = try SampleDatabase.writeGroup(to: directory.path, pageCount: 700, dirty: true, generations: 6)
        return (directory, files)
    }

    @Test(arguments: [ReadMethod.positional, .mapped])
    func wholeFileHashesMatchTheFiles(method: ReadMethod) throws {
        let (directory, _) = try Self.group()
        // Small windows and chunks: pieces arrive out of order on several threads.
        let options = CheckOptions(readMethod: method, concurrency: 3, windowBytes: 64 << 10, chunkBytes: 128 << 10)
        let (manifest, report) = ManifestBuilder(options: options).build(directory: directory.path)
        #expect(report.verdict == .recoverable)
        #expect(manifest.verdict == .recoverable)
        #expect(manifest.entries.contains { $0.kind == .database } && manifest.entries.filter { $0.kind == .log }.count >= 6)
        for entry in manifest.entries {
            #expect(entry.crc32c == (try Self.crc(directory.file(entry.name))), "\(entry.name)")
            #expect(entry.size == UInt64(try #require(FileManager.default.contents(atPath: directory.file(entry.name))).count))
        }
        let database = try #require(manifest.entries.first { $0.kind == .database })
        #expect(database.database?.state == "dirtyShutdown")
        #expect(database.database?.requiredGenerations != nil)
        #expect(database.database?.dataPages == 700 || (database.database?.dataPages ?? 0) > 0)
        let log = try #require(manifest.entries.first { $0.kind == .log })
        #expect(log.log != nil && log.log!.logSignature.count == 56)
    }

    @Test func theSessionHashesWhatItChecks() throws {
        let directory = TemporaryDirectory()
        let path = try SampleDatabase.write(to: directory.file("db.edb"), pages: 64)
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        var options = CheckOptions()
        options.hashFiles = true
        let session = CheckSession(databases: [.stream(name: "db.edb", fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(2 * 8192)))],
                                   options: options)
        _ = try session.checkDatabaseHeaders()
        // Pages from the end backwards, in uneven batches.
        var end = bytes.count
        while end > 0 {
            let start = max(0, end - 3 * 8192)
            let batch = Array(bytes[start..<end])
            try session.checkPages(database: 0, fileOffset: UInt64(start), bytes: batch.span.bytes)
            end = start
        }
        _ = try session.finish()
        let pieces = try #require(session.fileHashPieces(database: 0))
        #expect(pieces.gaps(fileSize: UInt64(bytes.count)).isEmpty)
        #expect(pieces.whole(fileSize: UInt64(bytes.count)) == Self.crc32c(bytes))
        // Without the option nothing is hashed.
        let plain = CheckSession(databases: [.stream(name: "db.edb", fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(2 * 8192)))])
        _ = try plain.checkDatabaseHeaders()
        #expect(plain.fileHashPieces(database: 0) == nil)
    }

    @Test func piecesWithGapsOrOverlapsGiveNoHash() {
        var pieces = FileHashPieces()
        pieces.record(offset: 0, length: 10, crc: 1)
        pieces.record(offset: 20, length: 10, crc: 2)
        #expect(pieces.gaps(fileSize: 40) == [10..<20, 30..<40])
        #expect(pieces.whole(fileSize: 40) == nil)
        pieces.record(offset: 5, length: 10, crc: 3)
        #expect(pieces.whole(fileSize: 30) == nil)
        var zeros = FileHashPieces()
        zeros.recordZeros(offset: 0, length: 100)
        #expect(zeros.whole(fileSize: 100) == Self.crc32c([UInt8](repeating: 0, count: 100)))
    }

    @Test func anUnchangedCopyMatches() throws {
        let (directory, _) = try Self.group()
        let manifest = ManifestBuilder().build(directory: directory.path).manifest
        let parsed = try BackupManifest.parse(Array(manifest.text.utf8))
        #expect(parsed == manifest)
        let result = ManifestBuilder().verify(parsed, directory: directory.path)
        #expect(result.listing.matches && result.comparison.matches)
        #expect(result.comparison.matched == manifest.entries.count)
        #expect(result.report.verdict == .recoverable && result.report.jetError == .success)
    }

    @Test func aPageReplacedByAnOlderValidOneIsFound() throws {
        let directory = TemporaryDirectory(), older = TemporaryDirectory()
        let path = try SampleDatabase.write(to: directory.file("mailbox.edb"), pages: 200, seed: 1)
        let other = try SampleDatabase.write(to: older.file("mailbox.edb"), pages: 200, seed: 2)
        let manifest = ManifestBuilder().build(directory: directory.path).manifest
        #expect(manifest.verdict == .consistent)
        // A page from the other database: valid, the same page number, other bytes (generated
        // databases share their layout, so take the first in-use page whose bytes differ).
        let otherBytes = try Data(contentsOf: URL(fileURLWithPath: other))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let physical = try #require((2..<202).first { index in
            let range = index * 8192..<(index + 1) * 8192
            return bytes[range] != otherBytes[range] && bytes[range].contains { $0 != 0 } && otherBytes[range].contains { $0 != 0 }
        })
        let offset = UInt64(physical * 8192)
        let page = Data(otherBytes[Int(offset)..<Int(offset) + 8192])
        #expect(bytes[Int(offset)..<Int(offset) + 8192] != page)
        bytes.replaceSubrange(Int(offset)..<Int(offset) + 8192, with: page)
        try bytes.write(to: URL(fileURLWithPath: path))
        // The pages alone cannot tell: the check still says consistent.
        #expect(StorageGroupChecker().check(directory: directory.path).verdict == .consistent)
        let result = ManifestBuilder().verify(manifest, directory: directory.path)
        #expect(result.listing.matches)
        #expect(result.comparison.findings.map(\.difference) == [.changed])
        #expect(result.report.verdict == .incomplete && result.report.jetError == .taskDropped)
        #expect(result.report.problems.contains { $0.code == .manifestMismatch })
    }

    @Test func aChangedLogAMissingAndAnExtraFileAreFound() throws {
        let (directory, files) = try Self.group()
        let manifest = ManifestBuilder().build(directory: directory.path).manifest
        // A log rewritten in its unused tail, the checkpoint removed, a stray file added, a log cut.
        let log = try #require(files.logs[3])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        bytes[bytes.count - 1] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: log))
        try FileManager.default.removeItem(atPath: files.checkpoint)
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory.file("notes.txt")))
        let cut = try #require(files.logs[2])
        let cutBytes = try Data(contentsOf: URL(fileURLWithPath: cut))
        try cutBytes.prefix(cutBytes.count - 512).write(to: URL(fileURLWithPath: cut))
        let result = ManifestBuilder().verify(manifest, directory: directory.path)
        let found = Dictionary(uniqueKeysWithValues: result.comparison.findings.map { ($0.name, $0.difference) })
        let name = { (path: String) in String(path.split(separator: "/").last!) }
        #expect(found[name(log)] == .changed)
        #expect(found[name(files.checkpoint)] == .missing)
        #expect(found["notes.txt"] == .extra)
        #expect(found[name(cut)] == .resized)
        // The listing names all but the changed one before any page is read.
        #expect(Set(result.listing.findings.map(\.difference)) == [.missing, .extra, .resized])
        #expect(!result.report.verdict.isRestorable)
    }

    @Test func aChangedManifestIsRefused() throws {
        let (directory, _) = try Self.group()
        let text = ManifestBuilder().build(directory: directory.path).manifest.text
        var bytes = Array(text.utf8)
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "=")))
        bytes[index + 1] ^= 0x01
        #expect(throws: CheckError.self) { try BackupManifest.parse(bytes) }
        #expect(throws: CheckError.self) { try BackupManifest.parse(Array(bytes.dropLast(3))) }
        #expect(throws: CheckError.self) { try BackupManifest.parse([]) }
        #expect(throws: CheckError.self) { try BackupManifest.parse(Array("garbage\nmanifest-crc32c 00000000\n".utf8)) }
    }

    @Test func namesNeedingEscapesRoundTrip() throws {
        let manifest = BackupManifest(entries: [
            .init(name: "a b=c%d\u{7F}é.edb", kind: .other, size: 3, crc32c: 0xDEAD_BEEF, identity: "1:2:3.000000000"),
            .init(name: "E00.log", kind: .log, size: 0, crc32c: nil, log: .init(generation: 7, logSignature: "ab", created: "01/02/2026 03:04:05.000 UTC")),
        ], verdict: .corrupt)
        #expect(try BackupManifest.parse(Array(manifest.text.utf8)) == manifest)
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func realFilesAreHashedAsStored() throws {
        let root = try #require(TestEnvironment.realCorpus)
        let directories = try FileManager.default.subpathsOfDirectory(atPath: root).map { root + "/" + $0 }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
                && ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).contains { $0.lowercased().hasSuffix(".edb") }
        }
        #expect(!directories.isEmpty)
        for directory in directories.prefix(4) {
            let manifest = ManifestBuilder().build(directory: directory).manifest
            #expect(manifest.entries.contains { $0.kind == .database }, "\(directory)")
            for entry in manifest.entries {
                #expect(entry.crc32c == (try Self.crc(directory + "/" + entry.name)), "\(directory)/\(entry.name)")
            }
            #expect(ManifestBuilder().verify(manifest, directory: directory).comparison.matches, "\(directory)")
        }
    }

    @Test func theCommandLineWritesAndVerifies() throws {
        let (directory, files) = try Self.group()
        let outDirectory = TemporaryDirectory()
        let out = outDirectory.file("backup.manifest")
        let written = try CommandRunner.run(["manifest", "--quiet", "--out", out, directory.path])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("manifest: "))
        let verified = try CommandRunner.run(["verify", "--quiet", "--manifest", out, directory.path])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("the copy is the one recorded"))
        try FileManager.default.removeItem(atPath: try #require(files.logs[2]))
        let tampered = try CommandRunner.run(["verify", "--quiet", "--manifest", out, directory.path])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("missing"))
        var text = try String(contentsOfFile: out, encoding: .utf8)
        text = text.replacingOccurrences(of: "verdict recoverable", with: "verdict consistent")
        try text.write(toFile: out, atomically: true, encoding: .utf8)
        #expect(try CommandRunner.run(["verify", "--quiet", "--manifest", out, directory.path]).status == 3)
    }

    static func json(_ arguments: [String]) throws -> (status: Int32, document: [String: Any]) {
        let result = try CommandRunner.run(arguments)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return (result.status, try #require(parsed as? [String: Any], "\(result.stdout)\(result.stderr)"))
    }

    @Test func theJSONOfManifestAndVerifyMatchesTheSchema() throws {
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        let (directory, files) = try Self.group()
        let outDirectory = TemporaryDirectory()
        let out = outDirectory.file("backup.manifest")
        let written = try Self.json(["manifest", "--json", "--out", out, directory.path])
        #expect(written.status == 0)
        #expect(schema.validate(written.document, against: "checkDocument").isEmpty, "\(schema.validate(written.document, against: "checkDocument"))")
        let recorded = try #require(written.document["manifest"] as? [String: Any])
        let manifest = try BackupManifest.parse([UInt8](try #require(FileManager.default.contents(atPath: out))))
        #expect(recorded["operation"] as? String == "write" && recorded["path"] as? String == out)
        #expect(recorded["fileCount"] as? Int == manifest.entries.count && recorded["unhashed"] as? Int == 0)
        #expect(recorded["recordedVerdict"] as? String == "recoverable" && written.document["verdict"] as? String == "recoverable")
        let listed = try #require(recorded["files"] as? [[String: Any]])
        #expect(listed.map { $0["name"] as? String } == manifest.entries.map(\.name))
        #expect(listed.map { $0["hash"] as? String } == manifest.entries.map { $0.crc32c.map { String(format: "%08x", $0) } })

        let same = try Self.json(["verify", "--json", "--manifest", out, directory.path])
        #expect(same.status == 0 && schema.validate(same.document, against: "checkDocument").isEmpty)
        let matched = try #require(same.document["manifest"] as? [String: Any])
        #expect(matched["operation"] as? String == "verify" && matched["isRecordedCopy"] as? Bool == true)
        #expect(matched["matched"] as? Int == manifest.entries.count)

        // A log changed in place, the checkpoint removed, a file added, a log cut.
        let log = try #require(files.logs[3]), cut = try #require(files.logs[2])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        bytes[bytes.count - 1] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: log))
        try FileManager.default.removeItem(atPath: files.checkpoint)
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory.file("notes.txt")))
        let cutBytes = try Data(contentsOf: URL(fileURLWithPath: cut))
        try cutBytes.prefix(cutBytes.count - 512).write(to: URL(fileURLWithPath: cut))
        let tampered = try Self.json(["verify", "--json", "--manifest", out, directory.path])
        #expect(tampered.status == 1)
        #expect(schema.validate(tampered.document, against: "checkDocument").isEmpty, "\(schema.validate(tampered.document, against: "checkDocument"))")
        #expect(tampered.document["verdict"] as? String != "recoverable")
        let differs = try #require(tampered.document["manifest"] as? [String: Any])
        #expect(differs["isRecordedCopy"] as? Bool == false)
        func names(_ list: Any?) -> [String] { (list as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        let base = { (path: String) in String(path.split(separator: "/").last!) }
        #expect(names(differs["changed"]) == [base(log)])
        #expect(names(differs["missing"]) == [base(files.checkpoint)])
        #expect(names(differs["extra"]) == ["notes.txt"])
        #expect(names(differs["resized"]) == [base(cut)])
        let changed = try #require((differs["changed"] as? [[String: Any]])?.first)
        #expect(changed["recordedHash"] as? String != nil && changed["recordedHash"] as? String != changed["foundHash"] as? String)
        let listing = try #require(differs["listing"] as? [String: Any])
        #expect(names(listing["missing"]) == [base(files.checkpoint)] && names(listing["resized"]) == [base(cut)])
        #expect(((tampered.document["problems"] as? [[String: Any]]) ?? []).contains { $0["code"] as? String == "manifestMismatch" })
        // The schema holds the verify shape: without isRecordedCopy the document is refused.
        var broken = tampered.document
        broken["manifest"] = differs.filter { $0.key != "isRecordedCopy" }
        #expect(!schema.validate(broken, against: "checkDocument").isEmpty)
    }

    @Test func aManifestOfFilesRecordsAndVerifiesTheFilesGiven() throws {
        let (directory, files) = try Self.group()
        let logs = files.logs.keys.sorted().compactMap { files.logs[$0] }
        let given = files.databases + logs + [files.checkpoint, directory.path + "/.//notes.txt"]
        try Data("n".utf8).write(to: URL(fileURLWithPath: directory.file("notes.txt")))
        let (manifest, report) = try ManifestBuilder().build(files: given)
        #expect(report.verdict == .recoverable && manifest.verdict == .recoverable)
        #expect(Set(manifest.entries.map(\.name)) == Set(given.map(ManifestBuilder.manifestName)))
        #expect(manifest.entries.contains { $0.name == directory.path + "/notes.txt" && $0.kind == .other })
        #expect(manifest.entries.filter { $0.kind == .log }.count == logs.count)
        for entry in manifest.entries { #expect(entry.crc32c == (try Self.crc(entry.name)), "\(entry.name)") }
        let database = try #require(manifest.entries.first { $0.kind == .database })
        #expect(database.database?.state == "dirtyShutdown")
        // Files of the directory that were not given are no part of it.
        #expect(try ManifestBuilder().verify(manifest, files: given).comparison.matches)

        // A log changed, one not given, one given that the manifest does not hold.
        let changed = try #require(logs.last), left = try #require(logs.first)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: changed))
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: changed))
        let other = directory.file("other.bin")
        try Data("o".utf8).write(to: URL(fileURLWithPath: other))
        let result = try ManifestBuilder().verify(manifest, files: given.filter { $0 != left } + [other])
        let found = Dictionary(uniqueKeysWithValues: result.comparison.findings.map { ($0.name, $0.difference) })
        #expect(found == [changed: .changed, left: .missing, other: .extra], "\(result.comparison.findings)")
        #expect(Set(result.listing.findings.map(\.difference)) == [.missing, .extra])
        #expect(!result.report.verdict.isRestorable)
    }

    @Test func logSetFilesInTwoDirectoriesAreRefused() throws {
        let (directory, files) = try Self.group()
        let elsewhere = TemporaryDirectory()
        let log = try #require(files.logs.values.first)
        try FileManager.default.copyItem(atPath: log, toPath: elsewhere.file("E00.log"))
        #expect(throws: CheckError.self) { try ManifestBuilder().build(files: [files.databases[0], log, elsewhere.file("E00.log")]) }
        _ = directory
    }

    @Test func theCommandLineRecordsFilesByTheirPathsAndVerifiesACopyElsewhere() throws {
        let (directory, files) = try Self.group()
        let names = ([files.databases[0], files.checkpoint] + files.logs.values.sorted()).map { String($0.split(separator: "/").last!) }
        let outDirectory = TemporaryDirectory()
        let out = outDirectory.file("files.manifest")
        let list = names.map { "'\($0)'" }.joined(separator: " ")
        let written = try CommandRunner.run(["-c", "cd '\(directory.path)' && \(TestEnvironment.cliPath) manifest --quiet --out '\(out)' \(list)"],
                                            executable: "/bin/sh")
        #expect(written.status == 0, "\(written.stdout)\(written.stderr)")
        let manifest = try BackupManifest.parse([UInt8](try #require(FileManager.default.contents(atPath: out))))
        #expect(manifest.entries.map(\.name).sorted() == names.sorted())
        // The copy restored elsewhere, verified by the same relative paths.
        let copy = TemporaryDirectory()
        for name in names { try FileManager.default.copyItem(atPath: directory.file(name), toPath: copy.file(name)) }
        let verified = try CommandRunner.run(["-c", "cd '\(copy.path)' && \(TestEnvironment.cliPath) verify --json --manifest '\(out)' \(list)"],
                                             executable: "/bin/sh")
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect((verified.json["manifest"] as? [String: Any])?["isRecordedCopy"] as? Bool == true)
        try FileManager.default.removeItem(atPath: copy.file(names[1]))
        let missing = try CommandRunner.run(["-c", "cd '\(copy.path)' && \(TestEnvironment.cliPath) verify --manifest '\(out)' \(list)"],
                                            executable: "/bin/sh")
        #expect(missing.status == 1 && missing.stdout.contains("missing \(names[1])"), "\(missing.stdout)")
        // A path that does not exist cannot be recorded.
        #expect(try CommandRunner.run(["manifest", "--out", out, copy.file("nothing.edb")]).status == 3)
    }
}
