import ESETestSupport
import ESECheck
import ESECorpus
import Foundation
import Testing

/// Memory, output and descriptors stay bounded whatever the input: every page damaged, a
/// thousand databases under a small descriptor limit.
@Suite struct BoundedResourceTests {
    let directory = TemporaryDirectory()

    /// A database of `pages` 4 KiB data pages, every one damaged: the two header pages of a
    /// generated database, then pages that are not blank and fail their checksums.
    static func everyPageDamaged(at path: String, pages: Int) throws {
        let template = path + ".template"
        try SampleDatabase.write(to: template, pageSize: 4096, pages: 2)
        let headers = try Data(contentsOf: URL(fileURLWithPath: template)).prefix(2 * 4096)
        try FileManager.default.removeItem(atPath: template)
        FileManager.default.createFile(atPath: path, contents: headers)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        let pagesPerWrite = 256
        var block = [UInt8](repeating: 0, count: pagesPerWrite * 4096)
        for first in stride(from: 0, to: pages, by: pagesPerWrite) {
            let count = min(pagesPerWrite, pages - first)
            for page in 0..<count {
                let fill = UInt8(truncatingIfNeeded: (first + page) % 251 + 1)
                block.withUnsafeMutableBytes { $0[page * 4096..<(page + 1) * 4096].initializeMemory(as: UInt8.self, repeating: fill) }
            }
            try handle.write(contentsOf: block[0..<count * 4096])
        }
    }

    /// Peak resident memory of a finished command, from `/usr/bin/time -v`, in KiB.
    static func peakKiB(_ stderr: String) -> Int? {
        stderr.split(separator: "\n").first { $0.contains("Maximum resident set size") }
            .flatMap { $0.split(separator: ":").last }
            .flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "/usr/bin/time is needed to measure peak memory"))
    func everyPageDamagedStaysSmall() throws {
        // 512 MiB of 4 KiB pages, every one bad: at most 256 MiB of memory and 16 MiB of JSON
        // (measured: ~40 MiB and ~0.5 MiB, debug build).
        let pages = 131072
        let path = directory.file("all-bad.edb")
        try Self.everyPageDamaged(at: path, pages: pages)
        let run = try CommandRunner.run(["-v", TestEnvironment.cliPath, "check", "--json", "--quiet", path], executable: "/usr/bin/time")
        #expect(run.status == 1, "\(run.stderr)")
        let json = run.json
        let database = try #require((json["databases"] as? [[String: Any]])?.first)
        let counts = try #require(database["pages"] as? [String: Any])
        #expect(counts["badChecksum"] as? Int == pages)
        #expect((database["findings"] as? [Any])?.count == 1000)
        #expect(database["findingsOmitted"] as? Int == pages - 1000)
        let ranges = try #require(database["findingRanges"] as? [[String: Any]])
        #expect(ranges.count == 1 && ranges.first?["firstPage"] as? Int == 1 && ranges.first?["lastPage"] as? Int == pages)
        #expect(ranges.first?["count"] as? Int == pages && database["findingRangesOmitted"] as? Int == 0)
        #expect(run.stdout.utf8.count <= 16 << 20, "JSON of \(run.stdout.utf8.count) bytes")
        let peak = try #require(Self.peakKiB(run.stderr))
        #expect(peak <= 256 << 10, "peak RSS \(peak) KiB")

        let capped = try CommandRunner.run(["db", "--json", "--quiet", "--max-findings", "3", path])
        let object = try #require((capped.json["databases"] as? [[String: Any]])?.first)
        #expect((object["findings"] as? [Any])?.count == 3 && object["findingsOmitted"] as? Int == pages - 3)
        let text = try CommandRunner.run(["db", "--quiet", "--max-findings", "2", path])
        #expect(text.stdout.contains("\(pages - 2) more page finding(s) not listed one by one"))
        #expect(text.stdout.contains("pages 1-\(pages): badChecksum (\(pages) pages)"))
        #expect(text.stdout.split(separator: "\n").filter { $0.hasPrefix("ERROR: page") }.count == 2)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "/usr/bin/time is needed to measure peak memory"))
    func aHugeLogWithABadHeaderIsNotReadWhole() throws {
        // 200 MiB (sparse), its header garbage: only the header is worth reading.
        let logs = directory.file("logs")
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let path = logs + "/E0000001.log"
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x5A, count: 4096))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 200 << 20)
        try handle.close()
        let run = try CommandRunner.run(["-v", TestEnvironment.cliPath, "logs", "--json", "--quiet", logs], executable: "/usr/bin/time")
        #expect(run.status == 1, "\(run.stdout)")
        #expect(run.stdout.contains("headerChecksum"))
        let peak = try #require(Self.peakKiB(run.stderr))
        #expect(peak <= 64 << 10, "peak RSS \(peak) KiB for a log whose header is bad")
    }

    /// A tar member that declares 32 TiB (a pax `size` record) and holds one small database
    /// before the stream ends: the per-page records (structure words, flush types, page times)
    /// grow with the pages that arrive, not with the size the header declares (measured before:
    /// 17 GB peak, 47 s).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "/usr/bin/time is needed to measure peak memory"))
    func aTarMemberClaiming32TiBCostsWhatArrives() throws {
        let database = try SampleDatabase.write(to: directory.file("small.edb"), pageSize: 8192, pages: 64)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: database)))
        let record = Array("23 size=35184372088832\n".utf8)
        var stream = HostileTarTests.header("PaxHeaders/mailbox.edb", size: record.count, type: UInt8(ascii: "x"))
            + HostileTarTests.padded(record)
        stream += HostileTarTests.header("mailbox.edb", size: 0, type: UInt8(ascii: "0")) + bytes
        let archive = directory.file("claims-32TiB.tar")
        try Data(stream).write(to: URL(fileURLWithPath: archive))
        let run = try CommandRunner.run(["-v", TestEnvironment.cliPath, "check", "--json", "--quiet", "--tar", archive],
                                        executable: "/usr/bin/time")
        #expect(run.status != 0, "\(run.stdout)")
        #expect(run.json["verdict"] as? String != "consistent")
        let peak = try #require(Self.peakKiB(run.stderr))
        #expect(peak <= 256 << 10, "peak RSS \(peak) KiB for a member that only claims 32 TiB")
    }

    @Test func aThousandDatabasesUnderADescriptorLimitOf64() throws {
        let database = try SampleDatabase.write(to: directory.file("one.edb"), pageSize: 4096, pages: 8)
        let links = directory.file("links")
        try FileManager.default.createDirectory(atPath: links, withIntermediateDirectories: true)
        var paths: [String] = []
        for index in 0..<1000 {
            let path = links + "/db\(index).edb"
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: database)
            paths.append(path)
        }
        let list = directory.file("list")
        try paths.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
        let script = "ulimit -n 64 && xargs -d '\\n' \"$0\" check --json --quiet --jobs 4 < \"$1\""
        let run = try CommandRunner.run(["-c", script, TestEnvironment.cliPath, list], executable: "/bin/bash")
        #expect(run.status == 0, "\(run.stderr.prefix(2000))")
        let databases = try #require(run.json["databases"] as? [[String: Any]])
        #expect(databases.count == 1000)
        #expect(databases.allSatisfy { $0["verdict"] as? String == "consistent" })
        #expect(run.json["verdict"] as? String == "consistent")
    }
}
