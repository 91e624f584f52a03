import ESECheck
import ESECorpus
import ESETestSupport
import Foundation
import Testing

/// The archivers installed.
enum TarTools {
    static func find(_ name: String) -> String? {
        ["/usr/bin/", "/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A storage group inside a tar stream, made by the system's `tar` (GNU tar; bsdtar when
/// installed), checked without extraction: the same verdict as the directory, per database.
@Suite(.enabled(if: TarTools.find("tar") != nil, "no tar on this machine"))
struct TarCheckTests {
    static func tool(_ name: String) -> String? { TarTools.find(name) }

    /// Archives `directory`'s files (as `E00/<name>`) with `tool` and `arguments`.
    static func archive(_ directory: String, tool: String, arguments: [String], into out: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.currentDirectoryURL = URL(fileURLWithPath: directory).deletingLastPathComponent()
        process.arguments = arguments + ["-cf", out, URL(fileURLWithPath: directory).lastPathComponent]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    static func check(archive path: String, options: CheckOptions = CheckOptions()) throws -> StorageGroupReport {
        let handle = try #require(FileHandle(forReadingAtPath: path))
        var reader = TarReader { count in (try handle.read(upToCount: count)).map { [UInt8]($0) } ?? [] }
        return TarChecker(options: options).check(&reader, name: path)
    }

    static func verdicts(_ report: StorageGroupReport) -> [String: Verdict] {
        Dictionary(uniqueKeysWithValues: report.databases.map { (String($0.report.path.split(separator: "/").last!), $0.verdict) })
    }

    static var formats: [(tool: String, arguments: [String])] {
        var list: [(String, [String])] = []
        if let tar = tool("tar") { list += [(tar, ["--format=gnu"]), (tar, ["--format=ustar"]), (tar, ["--format=pax"])] }
        if let bsdtar = tool("bsdtar") { list += [(bsdtar, []), (bsdtar, ["--format", "pax"])] }
        return list
    }

    /// Groups: sound and dirty (recoverable), a log missing, a page damaged.
    static func groups(in root: TemporaryDirectory) throws -> [String] {
        var paths: [String] = []
        for (index, damage) in ["none", "missingLog", "badPage"].enumerated() {
            let directory = root.file("group\(index)/E00")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let files = try SampleDatabase.writeGroup(to: directory, pageCount: 900, dirty: true, generations: 6)
            if damage == "missingLog" { try FileManager.default.removeItem(atPath: try #require(files.logs[4])) }
            if damage == "badPage" {
                let handle = try #require(FileHandle(forUpdatingAtPath: files.databases[0]))
                try handle.seek(toOffset: 40 * 8192 + 1000)
                try handle.write(contentsOf: Data([0xA5, 0x5A, 0xFF]))
                try handle.close()
            }
            paths.append(directory)
        }
        return paths
    }

    @Test func sameVerdictAsTheDirectoryInEveryFormat() throws {
        let root = TemporaryDirectory()
        let expectedVerdicts: [Verdict] = [.recoverable, .missingLogs, .corrupt]
        for (index, directory) in try Self.groups(in: root).enumerated() {
            let extracted = StorageGroupChecker().check(directory: directory)
            #expect(extracted.verdict == expectedVerdicts[index])
            for (number, format) in Self.formats.enumerated() {
                let archive = root.file("g\(index)-\(number).tar")
                try Self.archive(directory, tool: format.tool, arguments: format.arguments, into: archive)
                // Small windows: many batches on several threads.
                let report = try Self.check(archive: archive, options: CheckOptions(concurrency: 3, windowBytes: 64 << 10))
                #expect(report.verdict == extracted.verdict, "\(format)")
                #expect(report.jetError == extracted.jetError, "\(format)")
                #expect(Self.verdicts(report) == Self.verdicts(extracted), "\(format)")
                #expect(report.databases.map(\.report.pages) == extracted.databases.map(\.report.pages), "\(format)")
                #expect(report.logs?.report?.files.count == extracted.logs?.report?.files.count, "\(format)")
            }
        }
    }

    @Test func aCutOrDamagedArchiveIsNeverRestorable() throws {
        let root = TemporaryDirectory()
        let directory = try Self.groups(in: root)[0]
        let archive = root.file("g.tar")
        try Self.archive(directory, tool: try #require(Self.tool("tar")), arguments: ["--format=gnu"], into: archive)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        // Inside a member's content, inside a header, and inside the first member.
        for cut in [bytes.count / 2, 512 + 100, 3 * 512 + 700] {
            let path = root.file("cut\(cut).tar")
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            let report = try Self.check(archive: path)
            let restorable = report.isRestorable
            #expect(!restorable, "cut at \(cut)")
        }
        var damaged = bytes
        damaged[100] ^= 0x40      // a header byte: the header checksum fails
        try damaged.write(to: URL(fileURLWithPath: root.file("bad.tar")))
        let report = try Self.check(archive: root.file("bad.tar"))
        #expect(report.verdict == .unreadable && report.problems.contains { $0.code == .archiveUnreadable })
    }

    @Test func theCommandLineReadsAFileAndStandardInput() throws {
        let root = TemporaryDirectory()
        let directory = try Self.groups(in: root)[0]
        let archive = root.file("g.tar")
        try Self.archive(directory, tool: try #require(Self.tool("tar")), arguments: ["--format=pax"], into: archive)
        let fromFile = try CommandRunner.run(["check", "--json", "--tar", archive])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.json["verdict"] as? String == "recoverable")
        let fromStdin = try CommandRunner.run(["-c", "\(TestEnvironment.cliPath) check --json --tar - < '\(archive)'"], executable: "/bin/sh")
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        #expect(fromStdin.json["verdict"] as? String == "recoverable")
        #expect(try CommandRunner.run(["check", "--tar", archive, directory]).status == 2)
    }

    /// A flush map in the archive is compared with its database as beside a file (−1119).
    @Test func flushMapMemberIsCompared() throws {
        let root = TemporaryDirectory()
        var database = StorageGroupSpec.Database(name: "mailbox01.edb", pageSize: 8192, pageCount: 200, usedFraction: 0.8)
        database.flushMap = true
        var spec = StorageGroupSpec(databases: [database])
        spec.generations = 3
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: root.file("E00"))
        try FaultInjector.apply(Fault(.staleFlushType, database: 0, page: 60), to: files, spec: spec)
        let tar = try #require(Self.tool("tar"))
        try Self.archive(files.directory, tool: tar, arguments: [], into: root.file("group.tar"))
        let report = try Self.check(archive: root.file("group.tar"))
        let checked = try #require(report.databases.first)
        #expect(checked.report.flushMap?.mismatches.map(\.page) == [60] && checked.report.flushMap?.path.hasSuffix("E00/mailbox01.jfm") == true)
        #expect(checked.verdict == .corrupt && checked.jetError == .readLostFlushVerifyFailure)
    }
}
