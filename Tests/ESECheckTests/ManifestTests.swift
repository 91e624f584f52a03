import ESECheck
import ESECorpus
import ESEFormat
import ESETestSupport
import Foundation
import Testing

/// Backup manifests: the whole-file hash (`XXH3Tree`) formed from the page pass equals the hash
/// of the file read straight; a copy that differs from its manifest (a page replaced by an older
/// valid one, a log changed, a file missing or extra) is never restorable; a changed manifest
/// is refused.
@Suite struct ManifestTests {
    static func hash(_ path: String) throws -> UInt64 {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        return tree([UInt8](bytes))
    }

    static func tree(_ bytes: [UInt8]) -> UInt64 { XXH3Tree.hash(bytes.span.bytes) }

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
            #expect(entry.hash == (try Self.hash(directory.file(entry.name))), "\(entry.name)")
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
        #expect(pieces.whole(fileSize: UInt64(bytes.count)) == Self.tree(bytes))
        // Without the option nothing is hashed.
        let plain = CheckSession(databases: [.stream(name: "db.edb", fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(2 * 8192)))])
        _ = try plain.checkDatabaseHeaders()
        #expect(plain.fileHashPieces(database: 0) == nil)
    }

    /// 2 KiB pages hold no whole leaf (hashed per batch, leaves across batches read again), a
    /// partial last page is hashed with its batch, 32 KiB pages page by page.
    @Test(arguments: [2048, 4096, 32768])
    func everyPageSizeHashesTheFile(pageSize: Int) throws {
        let directory = TemporaryDirectory()
        let path = try SampleDatabase.write(to: directory.file("db.edb"), pageSize: pageSize, pages: 90)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(repeating: 0x5A, count: 1000))   // a partial last page
        handle.closeFile()
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        var options = CheckOptions()
        options.hashFiles = true
        let session = CheckSession(databases: [.stream(name: "db.edb", fileSize: UInt64(bytes.count),
                                                       leadingBytes: Array(bytes.prefix(2 * pageSize)))], options: options)
        _ = try session.checkDatabaseHeaders()
        // Batches of 3 pages (odd 2 KiB offsets cut leaves), from the end backwards.
        var start = (bytes.count / pageSize) / 3 * 3 * pageSize
        var end = bytes.count
        while end > 0 {
            _ = try? session.checkPages(database: 0, fileOffset: UInt64(start), bytes: Array(bytes[start..<end]).span.bytes)
            end = start
            start = max(0, start - 3 * pageSize)
        }
        _ = try session.finish()
        let pieces = try #require(session.fileHashPieces(database: 0))
        #expect(pieces.gaps(fileSize: UInt64(bytes.count)).isEmpty == (pageSize >= 4096))
        // What FileHasher does at the end: read the gaps.
        var whole = pieces
        for gap in pieces.gaps(fileSize: UInt64(bytes.count)) {
            whole.record(offset: gap.lowerBound, bytes: bytes.span.bytes.extracting(Int(gap.lowerBound)..<Int(gap.upperBound)),
                         fileSize: UInt64(bytes.count))
        }
        #expect(whole.whole(fileSize: UInt64(bytes.count)) == Self.tree(bytes))
    }

    @Test func piecesWithGapsGiveNoHashUntilTheGapsAreRead() {
        let bytes = Self.bytes(count: 3 * 4096 + 100, seed: 3)
        let size = UInt64(bytes.count)
        var pieces = FileHashPieces()
        pieces.record(offset: 0, bytes: bytes.span.bytes.extracting(0..<4096), fileSize: size)
        // A run off the 4 KiB grid hashes only the leaves wholly inside it.
        pieces.record(offset: 8192 - 10, bytes: bytes.span.bytes.extracting((8192 - 10)..<(3 * 4096)), fileSize: size)
        #expect(pieces.gaps(fileSize: size) == [4096..<8192, (3 * 4096)..<size])
        #expect(pieces.whole(fileSize: size) == nil)
        pieces.record(offset: 4096, bytes: bytes.span.bytes.extracting(4096..<8192), fileSize: size)
        // The short last leaf counts only when the run ends the file.
        pieces.record(offset: 3 * 4096, bytes: bytes.span.bytes.extracting((3 * 4096)..<(3 * 4096 + 50)), fileSize: size)
        #expect(pieces.whole(fileSize: size) == nil)
        pieces.record(offset: 3 * 4096, bytes: bytes.span.bytes.extracting((3 * 4096)...), fileSize: size)
        #expect(pieces.gaps(fileSize: size).isEmpty)
        #expect(pieces.whole(fileSize: size) == Self.tree(bytes))
        // Another size than the pieces describe gives no hash.
        #expect(pieces.whole(fileSize: size + 1) == nil && pieces.whole(fileSize: 3 * 4096) == nil)
        var zeros = FileHashPieces()
        zeros.recordZeros(offset: 0, length: 3 << 20)
        #expect(zeros.whole(fileSize: 3 << 20) == Self.tree([UInt8](repeating: 0, count: 3 << 20)))
    }

    /// Seeded bytes.
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var random = DeterministicRandom(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    @Test func piecesInAnyOrderGiveTheSameHash() {
        let bytes = Self.bytes(count: (2 << 20) + 5 * 4096 + 123, seed: 7)
        let size = UInt64(bytes.count), expected = Self.tree(bytes)
        var random = DeterministicRandom(seed: 11)
        for round in 0..<8 {
            // Cut at random leaf boundaries, record the runs shuffled.
            var cuts: [Int] = [0, bytes.count]
            for _ in 0..<(3 + round * 4) { cuts.append(Int(random.next() % UInt64(bytes.count / 4096)) * 4096) }
            cuts = Array(Set(cuts)).sorted()
            var runs = zip(cuts, cuts.dropFirst()).map { ($0, $1) }
            for index in runs.indices.reversed() { runs.swapAt(index, Int(random.next() % UInt64(index + 1))) }
            var pieces = FileHashPieces()
            for (start, end) in runs {
                pieces.record(offset: UInt64(start), bytes: bytes.span.bytes.extracting(start..<end), fileSize: size)
            }
            #expect(pieces.gaps(fileSize: size).isEmpty, "round \(round)")
            #expect(pieces.whole(fileSize: size) == expected, "round \(round)")
        }
    }

    @Test func anyFlippedBitChangesTheFileHash() {
        let bytes = Self.bytes(count: 5 * 4096 + 77, seed: 5)
        let original = Self.tree(bytes)
        var random = DeterministicRandom(seed: 9)
        var seen: Set<UInt64> = [original]
        // Every bit of the first and last bytes of each leaf, and of random bytes anywhere.
        var positions: Set<Int> = []
        for leaf in stride(from: 0, to: bytes.count, by: 4096) { positions.formUnion([leaf, min(leaf + 4095, bytes.count - 1)]) }
        for _ in 0..<100 { positions.insert(Int(random.next() % UInt64(bytes.count))) }
        for position in positions {
            for bit in 0..<8 {
                var changed = bytes
                changed[position] ^= UInt8(1) << UInt8(bit)
                seen.insert(Self.tree(changed))
            }
        }
        #expect(seen.count == positions.count * 8 + 1)   // every flip changes it, no two flips collide
        // Across groups (past the first MiB), and a zero byte appended (the size is hashed).
        let large = Self.bytes(count: (2 << 20) + 4096 + 5, seed: 6)
        let largeHash = Self.tree(large)
        for _ in 0..<12 {
            var changed = large
            changed[Int(random.next() % UInt64(large.count))] ^= UInt8(1) << UInt8(random.next() % 8)
            #expect(Self.tree(changed) != largeHash)
        }
        #expect(Self.tree(bytes + [0]) != original && Self.tree(large + [0]) != largeHash)
    }

    @Test func aLeafRecordedAgainIsReadAgain() throws {
        let bytes = Self.bytes(count: (1 << 20) + 8192, seed: 13)
        let size = UInt64(bytes.count)
        var pieces = FileHashPieces()
        pieces.record(offset: 0, bytes: bytes.span.bytes, fileSize: size)
        #expect(pieces.whole(fileSize: size) == Self.tree(bytes))
        // A resubmitted page of a folded group with other bytes: the whole group is dropped and
        // listed as a gap (its leaves are gone); read again, it gives the hash of the bytes now.
        var changed = bytes
        changed[5000] ^= 0x40
        pieces.record(offset: 4096, bytes: changed.span.bytes.extracting(4096..<8192), fileSize: size)
        #expect(pieces.whole(fileSize: size) == nil)
        let gaps = pieces.gaps(fileSize: size)
        #expect(gaps == [0..<(1 << 20)])
        for gap in gaps { pieces.record(offset: gap.lowerBound, bytes: changed.span.bytes.extracting(Int(gap.lowerBound)..<Int(gap.upperBound)), fileSize: size) }
        #expect(pieces.whole(fileSize: size) == Self.tree(changed))
        // In an open group a leaf recorded again replaces the earlier one.
        var open = FileHashPieces()
        open.record(offset: 0, bytes: bytes.span.bytes.extracting(0..<8192), fileSize: size)
        open.record(offset: 4096, bytes: changed.span.bytes.extracting(4096..<8192), fileSize: size)
        open.record(offset: 8192, bytes: changed.span.bytes.extracting(8192...), fileSize: size)
        #expect(open.whole(fileSize: size) == Self.tree(changed))
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
        // Per database too: a caller reading only database results is not told "restorable".
        #expect(result.report.databases.allSatisfy { !$0.verdict.isRestorable && $0.reasons.contains { $0.code == .manifestMismatch } })
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

    @Test func aFormat1ManifestIsRefusedClearly() throws {
        let body = "ese-verify-manifest 1\nhash crc32c\nverdict recoverable\nfile name=a.log kind=other size=3 crc32c=0badc0de identity=-\n"
        func sealed(_ body: String) -> [UInt8] {
            let digits = String(CRC32C.checksum(Array(body.utf8).span.bytes), radix: 16)
            return Array((body + "manifest-crc32c " + String(repeating: "0", count: 8 - digits.count) + digits + "\n").utf8)
        }
        let error = #expect(throws: CheckError.self) { try BackupManifest.parse(sealed(body)) }
        #expect(error?.message.contains("format 1") == true && error?.message.contains("CRC-32C") == true)
        #expect(error?.message.contains("ese-verify manifest") == true)
        // An unknown hash line is refused too.
        let other = "ese-verify-manifest 2\nhash md5\nverdict recoverable\n"
        #expect(throws: CheckError.self) { try BackupManifest.parse(sealed(other)) }
        #expect(throws: Never.self) { try BackupManifest.parse(sealed("ese-verify-manifest 2\nhash xxh3-64-tree\nverdict recoverable\n")) }
        // Format 2 names its hash and writes 16 hex digits.
        let written = BackupManifest(entries: [.init(name: "a", kind: .other, size: 1, hash: 0x0123_4567_89AB_CDEF)], verdict: .consistent).text
        #expect(written.contains("\nhash xxh3-64-tree\n") && written.contains(" hash=0123456789abcdef "))
    }

    @Test func namesNeedingEscapesRoundTrip() throws {
        let manifest = BackupManifest(entries: [
            .init(name: "a b=c%d\u{7F}é.edb", kind: .other, size: 3, hash: 0xDEAD_BEEF_0000_0001, identity: "1:2:3.000000000"),
            .init(name: "E00.log", kind: .log, size: 0, hash: nil, log: .init(generation: 7, logSignature: "ab", created: "01/02/2026 03:04:05.000 UTC")),
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
                #expect(entry.hash == (try Self.hash(directory + "/" + entry.name)), "\(directory)/\(entry.name)")
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
        #expect(listed.map { $0["hash"] as? String } == manifest.entries.map { $0.hash.map { BackupManifest.hex($0) } })

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
        for entry in manifest.entries { #expect(entry.hash == (try Self.hash(entry.name)), "\(entry.name)") }
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
