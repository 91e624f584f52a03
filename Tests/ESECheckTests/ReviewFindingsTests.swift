import ESECheck
import ESECorpus
import ESETestSupport
import Foundation
import Testing

/// Inputs an adversarial review found certified when they must not be (each fails without its fix).
@Suite(.enabled(if: TarTools.find("tar") != nil, "no tar on this machine"))
struct ReviewFindingsTests {
    /// Runs `tar` with `arguments` in `directory`.
    static func tar(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(TarTools.find("tar")))
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// A sound storage group written to `root/group/E00` (four generations, 300 pages).
    static func group(in root: TemporaryDirectory, _ group: String = "g", dirty: Bool = false) throws -> StorageGroupFiles {
        let directory = root.file(group + "/E00")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try SampleDatabase.writeGroup(to: directory, pageCount: 300, dirty: dirty, generations: 4)
    }

    /// A copy of `database` with one byte of page 40 flipped, written to `path`.
    static func writeDamagedCopy(of database: String, to path: String) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: database))
        bytes[40 * 8192 + 1000] ^= 0xA5
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    /// A sound storage group archived as `E00/…`, then a damaged copy of its database appended
    /// under the same member name (`tar -r`). Extraction keeps the later member — the damaged
    /// one — so the archive must not be certified on the strength of the first.
    @Test func aMemberRepeatedLaterInTheArchiveIsNotCertifiedFromItsFirstCopy() throws {
        let root = TemporaryDirectory()
        let files = try Self.group(in: root, "good", dirty: true)
        let name = URL(fileURLWithPath: files.databases[0]).lastPathComponent
        try Self.writeDamagedCopy(of: files.databases[0], to: root.file("bad/E00/" + name))
        let archive = root.file("group.tar")
        try Self.tar(["--format=gnu", "-cf", archive, "E00"], in: root.file("good"))
        try Self.tar(["--format=gnu", "-rf", archive, "E00/" + name], in: root.file("bad"))

        // What extraction gives: the damaged database.
        let extracted = root.file("extracted")
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        try Self.tar(["-xf", archive], in: extracted)
        #expect(StorageGroupChecker().check(directory: extracted + "/E00").verdict == .corrupt)

        let report = try TarCheckTests.check(archive: archive)
        let restorable = report.isRestorable
        #expect(!restorable && report.verdict == .incomplete, "\(report.verdict)")
        #expect(report.problems.contains { $0.code == .duplicateMember })
        // Per database too (the C API's per-database results).
        #expect(report.databases.allSatisfy { !$0.verdict.isRestorable }, "\(report.databases.map(\.verdict))")
    }
}

extension ReviewFindingsTests {
    /// An archive cut inside its last member is `unreadable`; each database's own verdict (what
    /// the C API's per-database results give) must not stay restorable either.
    @Test func aCutArchiveLeavesNoDatabaseRestorable() throws {
        let root = TemporaryDirectory()
        _ = try Self.group(in: root)
        let archive = root.file("group.tar")
        try Self.tar(["--format=gnu", "-cf", archive, "E00"], in: root.file("g"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        let whole = try TarCheckTests.check(archive: archive)
        #expect(whole.verdict == .consistent)
        let cut = root.file("cut.tar")
        try bytes.prefix(bytes.count - 10240 - 700).write(to: URL(fileURLWithPath: cut))
        let report = try TarCheckTests.check(archive: cut)
        #expect(report.verdict == .unreadable)
        #expect(!report.databases.isEmpty && report.databases.allSatisfy { !$0.verdict.isRestorable },
                "\(report.databases.map(\.verdict))")
    }
}

extension ReviewFindingsTests {
    /// The block where each member's header starts, and where the end-of-archive blocks start
    /// (`tar -tR`).
    static func memberBlocks(_ archive: String) throws -> [Int] {
        let process = Process(), pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: try #require(TarTools.find("tar")))
        process.arguments = ["-tR", "-f", archive]
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("block "), let colon = line.firstIndex(of: ":") else { return nil }
            return Int(line[line.index(line.startIndex, offsetBy: 6)..<colon])
        }
    }

    /// An archive cut exactly where a member's header starts reads as a shorter archive: no
    /// partial member, no bad header. Only the missing end-of-archive blocks tell the cut; the
    /// members after it (a second database, logs) are gone, so it must not be certified.
    @Test func anArchiveCutAtAMemberBoundaryIsNotCertified() throws {
        let root = TemporaryDirectory()
        _ = try Self.group(in: root)
        let archive = root.file("group.tar")
        try Self.tar(["--format=gnu", "-cf", archive, "E00"], in: root.file("g"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        let blocks = try Self.memberBlocks(archive)
        #expect(blocks.count > 3)
        // The whole archive, and one that ends with a single zero block (GNU tar accepts it), are sound.
        #expect(try TarCheckTests.check(archive: archive).verdict == .consistent)
        let lone = root.file("lone.tar")
        try bytes.prefix(blocks.last! * 512 + 512).write(to: URL(fileURLWithPath: lone))
        #expect(try TarCheckTests.check(archive: lone).verdict == .consistent)
        // Cut before the last member, and before the end-of-archive blocks.
        for block in [blocks[blocks.count - 2], blocks.last!] {
            let cut = root.file("cut\(block).tar")
            try bytes.prefix(block * 512).write(to: URL(fileURLWithPath: cut))
            let report = try TarCheckTests.check(archive: cut)
            let restorable = report.isRestorable
            #expect(!restorable && report.problems.contains { $0.code == .archiveUnreadable }, "cut at block \(block): \(report.verdict)")
        }
    }
}

extension ReviewFindingsTests {
    /// A GNU sparse member (`tar -S`, type `S`) with more than four data segments carries
    /// extension blocks between its header and its data, not counted in its size. Skipping only
    /// the size left the reader inside the data, where a zero block read as the end of the
    /// archive: every later member — here a damaged database — silently dropped.
    @Test func membersAfterAGNUSparseFileAreRead() throws {
        let root = TemporaryDirectory()
        let files = try Self.group(in: root)
        // Six data segments (one extension block), the last 512 bytes of each zero.
        let sparse = try #require(FileHandle(forWritingAtPath: { FileManager.default.createFile(atPath: root.file("g/sparse.bin"), contents: nil); return root.file("g/sparse.bin") }()))
        for segment in 0..<6 {
            try sparse.seek(toOffset: UInt64(segment) * 65536)
            try sparse.write(contentsOf: Data(repeating: 0xAB, count: 3584) + Data(count: 512))
        }
        try sparse.close()
        try Self.writeDamagedCopy(of: files.databases[0], to: root.file("g/later/other.edb"))
        let archive = root.file("group.tar")
        try Self.tar(["-S", "--format=gnu", "-cf", archive, "E00", "sparse.bin", "later/other.edb"], in: root.file("g"))
        let report = try TarCheckTests.check(archive: archive)
        #expect(report.databases.contains { $0.report.path.hasSuffix("later/other.edb") && $0.verdict == .corrupt },
                "\(report.databases.map { ($0.report.path, $0.verdict) })")
        let restorable = report.isRestorable
        #expect(!restorable)
        #expect(report.skippedFiles.contains { $0.hasSuffix("/sparse.bin") })
    }
}

extension ReviewFindingsTests {
    /// A database stored as a GNU sparse member (`tar -S`: type `S` in the GNU format, a regular
    /// member with `GNU.sparse.*` pax records in the pax format) is not read by the check; the
    /// group must not be `consistent` without it, as it was with only a warning.
    @Test func aDatabaseMemberThatIsNotARegularFileIsNeverCertified() throws {
        let root = TemporaryDirectory()
        let files = try Self.group(in: root)
        // Holes where the database has zero pages' worth of 64 KiB: `tar -S` stores it sparse.
        let database = files.databases[0]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: database))
        try FileManager.default.removeItem(atPath: database)
        FileManager.default.createFile(atPath: database, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: database))
        for start in stride(from: 0, to: bytes.count, by: 65536) {
            let piece = bytes[start..<min(bytes.count, start + 65536)]
            guard piece.contains(where: { $0 != 0 }) else { continue }
            try handle.seek(toOffset: UInt64(start))
            try handle.write(contentsOf: piece)
        }
        try handle.truncate(atOffset: UInt64(bytes.count))
        try handle.close()
        #expect(StorageGroupChecker().check(directory: root.file("g/E00")).verdict == .consistent)
        for format in ["gnu", "pax"] {
            let archive = root.file("group-\(format).tar")
            try Self.tar(["-S", "--format=\(format)", "-cf", archive, "E00"], in: root.file("g"))
            let report = try TarCheckTests.check(archive: archive)
            let restorable = report.isRestorable
            #expect(!restorable && report.problems.contains { $0.code == .memberNotChecked }, "\(format): \(report.verdict)")
        }
    }
}

extension ReviewFindingsTests {
    /// A member header zeroed in the archive (a lost block) reads as the end-of-archive block:
    /// tar stops there, and every member after it — here a damaged database — is gone. Data
    /// after the end-of-archive blocks, where only zero padding belongs, says so.
    @Test func dataAfterTheEndOfArchiveBlockIsNotIgnored() throws {
        let root = TemporaryDirectory()
        let files = try Self.group(in: root)
        try Self.writeDamagedCopy(of: files.databases[0], to: root.file("g/later/other.edb"))
        let archive = root.file("group.tar")
        try Self.tar(["--format=gnu", "-cf", archive, "E00", "later/other.edb"], in: root.file("g"))
        let whole = try TarCheckTests.check(archive: archive)
        #expect(whole.verdict == .corrupt)
        let blocks = try Self.memberBlocks(archive)
        let last = blocks[blocks.count - 2]     // later/other.edb's header
        var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        bytes.replaceSubrange(last * 512..<last * 512 + 512, with: Data(count: 512))
        let zeroed = root.file("zeroed.tar")
        try bytes.write(to: URL(fileURLWithPath: zeroed))
        let report = try TarCheckTests.check(archive: zeroed)
        let restorable = report.isRestorable
        #expect(!restorable && report.problems.contains { $0.code == .archiveUnreadable }, "\(report.verdict)")
    }
}

/// Hand-made tar streams: hostile headers no archiver writes.
@Suite struct HostileTarTests {
    /// A ustar header block for `name` of `size` bytes and type `type`, its checksum right.
    static func header(_ name: String, size: Int, type: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        block.replaceSubrange(0..<name.utf8.count, with: Array(name.utf8))
        let octal = Array(String(size, radix: 8).utf8)
        block.replaceSubrange(124 + 11 - octal.count..<124 + 11, with: octal)
        block[156] = type
        block.replaceSubrange(257..<265, with: Array("ustar".utf8) + [0, 48, 48])
        block.replaceSubrange(148..<156, with: [UInt8](repeating: 32, count: 8))
        let sum = Array(String(block.reduce(0) { $0 + Int($1) }, radix: 8).utf8)
        block.replaceSubrange(148..<148 + 7, with: [UInt8](repeating: 48, count: 6 - sum.count) + sum + [0])
        return block
    }

    /// `content` padded to whole blocks.
    static func padded(_ content: [UInt8]) -> [UInt8] {
        content + [UInt8](repeating: 0, count: (512 - content.count % 512) % 512)
    }

    /// Pax records whose length leaves no room for the newline ("2 \n", "3 a\n"…) must not crash
    /// the reader (a range whose end is before its start).
    @Test func paxRecordsTooShortForTheirOwnFields() throws {
        for records in ["2 ", "3 x", "2 \n", "10 path", "1 "] {
            let content = Array(records.utf8)
            var stream = Self.header("PaxHeaders/a", size: content.count, type: UInt8(ascii: "x")) + Self.padded(content)
            stream += Self.header("a.txt", size: 3, type: UInt8(ascii: "0")) + Self.padded(Array("abc".utf8))
            stream += [UInt8](repeating: 0, count: 1024)
            var offset = 0
            var reader = TarReader { count in
                defer { offset = min(stream.count, offset + count) }
                return Array(stream[offset..<min(stream.count, offset + count)])
            }
            let entry = try reader.next()
            #expect(entry?.path == "a.txt" && entry?.size == 3, "\(records)")
            #expect(try reader.next() == nil)
        }
    }
}
