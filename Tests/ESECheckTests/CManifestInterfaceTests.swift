import ESETestSupport
import ESECheck
@testable import ESECheckC
import ESECorpus
import Foundation
import Testing

/// Manifests and tar streams through the C entry points (Tests/CAPI/manifest.c): a
/// directory's manifest written and verified, a copy changed, a tar archive checked from a
/// descriptor and a read callback with and without the manifest.
extension CInterfaceTests {
    /// A dirty group of one database and six small logs, in `E00`.
    func manifestGroup() throws -> StorageGroupFiles {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox.edb", pageSize: 8192, pageCount: 300)])
        spec.dirty = true
        spec.generations = 6
        spec.logFileSectors = 16
        return try StorageGroupWriter.write(spec, to: directory.file("E00"))
    }

    @Test func manifestsAndTarStreamsThroughC() throws {
        let files = try manifestGroup()
        let program = try compile("manifest")
        let manifest = directory.file("backup.manifest")
        let written = try CommandRunner.run(["write", files.directory, manifest], executable: program)
        #expect(written.status == 0, "\(written.stdout)\(written.stderr)")
        #expect(written.stdout.contains("write: term 0, verdict recoverable, json manifest yes"))
        let recorded = try BackupManifest.parse([UInt8](try #require(FileManager.default.contents(atPath: manifest))))
        let count = recorded.entries.count

        let same = try CommandRunner.run(["verify", files.directory, manifest], executable: program)
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains("verify: term 0, verdict recoverable, compared 1, recorded copy 1, files \(count), matched \(count), "
                                     + "missing 0, extra 0, resized 0, changed 0, unverified 0"))
        #expect(same.stdout.contains("unreadable manifest: -1022") && same.stdout.contains("not a manifest: -1812"))

        let tar = try #require(TarTools.find("tar"))
        let archive = directory.file("E00.tar")
        try TarCheckTests.archive(files.directory, tool: tar, arguments: [], into: archive)
        let plain = try CommandRunner.run(["tar", archive, "-"], executable: program)
        #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")
        #expect(plain.stdout.contains("fd: term 0, verdict recoverable, compared 0"))
        #expect(plain.stdout.contains("callback: term 0, verdict recoverable, compared 0"))
        #expect(plain.stdout.contains("callback summary: verdict 1, databases 1"))
        #expect(plain.stdout.contains("failing stream: term -1022, verdict unreadable"))
        let matched = try CommandRunner.run(["tar", archive, manifest], executable: program)
        #expect(matched.stdout.contains("fd: term 0, verdict recoverable, compared 1, recorded copy 1, files \(count), matched \(count)"),
                "\(matched.stdout)\(matched.stderr)")
        #expect(matched.stdout.contains("callback: term 0, verdict recoverable, compared 1, recorded copy 1"))

        // A log changed in its unused tail and the checkpoint removed: the pages cannot tell.
        let log = try #require(files.logs[4])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        bytes[bytes.count - 1] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: log))
        try FileManager.default.removeItem(atPath: files.checkpoint)
        let logName = String(log.split(separator: "/").last!), checkpointName = String(files.checkpoint.split(separator: "/").last!)
        let changed = try CommandRunner.run(["verify", files.directory, manifest], executable: program)
        #expect(changed.status == 0, "\(changed.stdout)\(changed.stderr)")
        #expect(changed.stdout.contains("verify: term -106, verdict incomplete, compared 1, recorded copy 0, files \(count), matched \(count - 2), "
                                        + "missing 1, extra 0, resized 0, changed 1, unverified 0"), "\(changed.stdout)")
        #expect(changed.stdout.contains("finding \(logName) 3 recorded \(bytes.count) found \(bytes.count) hashes "))
        #expect(changed.stdout.contains("finding \(checkpointName) 0 recorded "))
        try TarCheckTests.archive(files.directory, tool: tar, arguments: ["--format=pax"], into: archive)
        let tampered = try CommandRunner.run(["tar", archive, manifest], executable: program)
        #expect(tampered.stdout.contains("fd: term -106, verdict incomplete, compared 1, recorded copy 0"), "\(tampered.stdout)")
        #expect(tampered.stdout.contains("callback: term -106, verdict incomplete, compared 1, recorded copy 0, files \(count), "
                                         + "matched \(count - 2), missing 1, extra 0, resized 0, changed 1"))
    }

    @Test func aSessionFedPageByPageWritesItsManifestThroughC() throws {
        let files = try manifestGroup()
        let program = try compile("manifest")
        let manifestPath = directory.file("session.manifest")
        let run = try CommandRunner.run(["session", files.databases[0] + ":" + files.directory, manifestPath], executable: program)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("session: term 0, verdict recoverable, write 0"))
        #expect(run.stdout.contains("session unwritable: -1022"))
        let manifest = try BackupManifest.parse([UInt8](try #require(FileManager.default.contents(atPath: manifestPath))))
        // The same files, sizes and hashes as the directory's own manifest (the database's
        // from the bytes C fed), under their paths.
        let whole = ManifestBuilder().build(directory: files.directory).manifest
        let byName = Dictionary(uniqueKeysWithValues: whole.entries.map { (files.directory + "/" + $0.name, $0) })
        #expect(manifest.entries.count == whole.entries.count)
        for entry in manifest.entries {
            let same = try #require(byName[entry.name], "\(entry.name)")
            #expect(entry.size == same.size && entry.hash != nil && entry.hash == same.hash && entry.kind == same.kind, "\(entry.name)")
        }
        #expect(manifest.entries.first { $0.kind == .database }?.database?.state == "dirtyShutdown")
        // The copy verified against it by the same paths.
        let verified = try CommandRunner.run(["verify", "--quiet", "--manifest", manifestPath] + manifest.entries.map(\.name))
        #expect(verified.status == 0 && verified.stdout.contains("the copy is the one recorded"), "\(verified.stdout)\(verified.stderr)")
    }
}

extension CHeaderContractTests {
    @Test func theManifestLayoutsAreTheHeaders() {
        #expect(MemoryLayout<ManifestResultLayout>.size <= ManifestResultLayout.cSize)
        #expect(MemoryLayout<ManifestFindingLayout>.size == ManifestFindingLayout.cSize)
        #expect(MemoryLayout<ManifestFindingLayout>.offset(of: \.recordedSize) == 40)
        for difference in [ManifestComparison.Difference.missing, .extra, .resized, .changed, .unverified] {
            #expect(Self.header.contains("ESECHECK_MANIFEST_\(difference.rawValue.uppercased()) = \(difference.cValue)"))
        }
    }
}
