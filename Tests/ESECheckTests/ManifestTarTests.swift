@testable import ESECheck
import ESECorpus
import ESETestSupport
import Foundation
import Testing

/// A manifest checked against a tar archive made by the system's `tar` (GNU tar in every
/// format; bsdtar when installed): read once, every member hashed as it streams past and
/// compared with the manifest; a member changed, missing, extra or resized is found, and the
/// verdict of the storage group is the one `check --tar` gives.
@Suite(.enabled(if: TarTools.find("tar") != nil, "no tar on this machine"))
struct ManifestTarTests {
    /// A dirty group in `root/E00` and its manifest.
    static func group(in root: TemporaryDirectory) throws -> (directory: String, files: StorageGroupFiles, manifest: BackupManifest) {
        let directory = root.file("E00")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let files = try SampleDatabase.writeGroup(to: directory, pageCount: 600, dirty: true, generations: 6)
        let manifest = ManifestBuilder().build(directory: directory).manifest
        #expect(manifest.verdict == .recoverable)
        return (directory, files, manifest)
    }

    static func verify(_ manifest: BackupManifest, archive: String) throws -> ManifestVerification {
        let handle = try #require(FileHandle(forReadingAtPath: archive))
        var reader = TarReader { count in (try handle.read(upToCount: count)).map { [UInt8]($0) } ?? [] }
        // Small windows: a database's hash is formed from many batches on several threads.
        return TarChecker(options: CheckOptions(concurrency: 3, windowBytes: 64 << 10)).verify(manifest, &reader, name: archive)
    }

    @Test func anUnchangedArchiveIsTheRecordedCopyInEveryFormat() throws {
        let root = TemporaryDirectory()
        let (directory, _, manifest) = try Self.group(in: root)
        let extracted = StorageGroupChecker().check(directory: directory)
        for (number, format) in TarCheckTests.formats.enumerated() {
            let archive = root.file("g\(number).tar")
            try TarCheckTests.archive(directory, tool: format.tool, arguments: format.arguments, into: archive)
            let result = try Self.verify(manifest, archive: archive)
            #expect(result.comparison.matches, "\(format): \(result.comparison.findings)")
            #expect(result.comparison.matched == manifest.entries.count, "\(format)")
            #expect(result.report.verdict == extracted.verdict && result.report.jetError == .success, "\(format)")
            #expect(!result.report.problems.contains { $0.code == .manifestMismatch }, "\(format)")
        }
    }

    @Test func aTamperedMissingOrExtraMemberIsFound() throws {
        let root = TemporaryDirectory()
        let (directory, files, manifest) = try Self.group(in: root)
        // A log changed in its unused tail (every page and record still valid), a database
        // page's bytes changed, a log removed, a file added (an extra member keeps its path in
        // the archive).
        let log = try #require(files.logs[4]), removed = try #require(files.logs[2])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        bytes[bytes.count - 1] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: log))
        try FileManager.default.removeItem(atPath: removed)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
        let archive = root.file("tampered.tar")
        try TarCheckTests.archive(directory, tool: try #require(TarTools.find("tar")), arguments: ["--format=pax"], into: archive)
        let result = try Self.verify(manifest, archive: archive)
        let found = Dictionary(uniqueKeysWithValues: result.comparison.findings.map { ($0.name, $0.difference) })
        let name = { (path: String) in String(path.split(separator: "/").last!) }
        #expect(found == [name(log): .changed, name(removed): .missing, "E00/notes.txt": .extra], "\(result.comparison.findings)")
        #expect(Set(result.listing.findings.map(\.difference)) == [.missing, .extra])
        #expect(!result.report.verdict.isRestorable && result.report.problems.contains { $0.code == .manifestMismatch })

        // A database page changed: the hash formed from the page batches differs.
        let database = try #require(files.databases.first)
        let handle = try #require(FileHandle(forUpdatingAtPath: database))
        try handle.seek(toOffset: 30 * 8192 + 700)
        try handle.write(contentsOf: Data([0x11, 0x22]))
        try handle.close()
        let damaged = root.file("damaged.tar")
        try TarCheckTests.archive(directory, tool: try #require(TarTools.find("tar")), arguments: ["--format=gnu"], into: damaged)
        let second = try Self.verify(manifest, archive: damaged)
        #expect(second.comparison.findings.first { $0.name == name(database) }?.difference == .changed)
        #expect(second.report.verdict == .corrupt)
    }

    @Test func membersAreNamedAsTheManifestNamesThem() {
        let manifest = BackupManifest(entries: [.init(name: "a.edb", kind: .database, size: 1, hash: 1),
                                                .init(name: "db/b.edb", kind: .database, size: 1, hash: 1)], verdict: .consistent)
        let members = ["E00/a.edb", "./x/db/b.edb", "E00/old/a.edb", "c.log"].map { BackupManifest.Entry(name: $0, kind: .other, size: 1, hash: 1) }
        #expect(TarChecker.manifestNames(members, manifest: manifest).map(\.name) == ["a.edb", "db/b.edb", "E00/old/a.edb", "c.log"])
    }

    @Test func theCommandLineVerifiesAFileAndStandardInput() throws {
        let root = TemporaryDirectory()
        let (directory, files, _) = try Self.group(in: root)
        let manifestPath = root.file("backup.manifest")
        #expect(try CommandRunner.run(["manifest", "--quiet", "--out", manifestPath, directory]).status == 0)
        let archive = root.file("g.tar")
        try TarCheckTests.archive(directory, tool: try #require(TarTools.find("tar")), arguments: [], into: archive)
        let fromFile = try CommandRunner.run(["verify", "--json", "--manifest", manifestPath, "--tar", archive])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect((fromFile.json["manifest"] as? [String: Any])?["isRecordedCopy"] as? Bool == true)
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        #expect(schema.validate(fromFile.json, against: "checkDocument").isEmpty, "\(schema.validate(fromFile.json, against: "checkDocument"))")
        try FileManager.default.removeItem(atPath: try #require(files.logs[3]))
        try TarCheckTests.archive(directory, tool: try #require(TarTools.find("tar")), arguments: [], into: archive)
        let fromStdin = try CommandRunner.run(["-c", "\(TestEnvironment.cliPath) verify --manifest '\(manifestPath)' --tar - < '\(archive)'"],
                                              executable: "/bin/sh")
        #expect(fromStdin.status == 1)
        #expect(fromStdin.stdout.contains("the copy differs") && fromStdin.stdout.contains("missing"))
        #expect(try CommandRunner.run(["verify", "--manifest", manifestPath, "--tar", archive, directory]).status == 2)
    }
}
