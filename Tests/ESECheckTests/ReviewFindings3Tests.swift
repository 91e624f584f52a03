@testable import ESECheck
import ESETestSupport
@testable import ESEFormat
import Foundation
import Testing

/// Findings of the third adversarial review (C API, manifests, discovery): each input made a
/// manifest match a copy that is not the recorded one.
@Suite struct ReviewFindings3Tests {
    /// Two databases whose names differ only in Unicode normalisation (`é` precomposed, U+00E9,
    /// and decomposed, `e` U+0301) are two files on Linux, but Swift's `String` equality is
    /// canonical equivalence: the manifest's per-file dictionaries merged them, so both entries
    /// got the hash formed from one database's pages, and replacing the other with another
    /// valid database left the manifest matching. Names are bytes: keyed by their bytes now.
    @Test func namesDifferingOnlyInNormalisationAreTwoFiles() throws {
        let directory = TemporaryDirectory()
        let composed = directory.file("b\u{E9}.edb"), decomposed = directory.file("be\u{301}.edb")
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        _ = try SampleDatabase.write(to: composed, pages: 40, seed: 1)
        _ = try SampleDatabase.write(to: decomposed, pages: 40, seed: 2)
        let (manifest, report) = ManifestBuilder().build(directory: directory.path)
        #expect(report.databases.count == 2)
        let hashes = manifest.entries.filter { $0.kind == .database }.compactMap(\.hash)
        #expect(hashes.count == 2 && hashes[0] != hashes[1], "each file hashed from its own bytes")
        // Replace the decomposed one with another valid database of the same size.
        _ = try SampleDatabase.write(to: decomposed, pages: 40, seed: 3)
        let result = ManifestBuilder().verify(manifest, directory: directory.path)
        #expect(!result.comparison.matches)
        #expect(result.comparison.findings.contains { $0.difference == .changed && Array($0.name.utf8) == Array("be\u{301}.edb".utf8) })
        #expect(!result.report.verdict.isRestorable)
    }

    /// The same for the manifest a session writes (`esecheck_write_manifest`): the two files
    /// were merged into one database's index and both recorded with one hash.
    @Test func aSessionManifestHashesEachNormalisationOfAName() throws {
        let directory = TemporaryDirectory()
        let composed = directory.file("b\u{E9}.edb"), decomposed = directory.file("be\u{301}.edb")
        _ = try SampleDatabase.write(to: composed, pages: 40, seed: 1)
        _ = try SampleDatabase.write(to: decomposed, pages: 40, seed: 2)
        var options = CheckOptions()
        options.hashFiles = true
        let session = CheckSession(databases: [.file(composed), .file(decomposed)], options: options)
        let report = SessionFeeder(options: options).run(session, checkLogs: false)
        let manifest = ManifestBuilder(options: options).manifest(of: session, report: report)
        let hashes = manifest.entries.filter { $0.kind == .database }.compactMap(\.hash)
        #expect(hashes.count == 2 && hashes[0] != hashes[1], "each file hashed from its own bytes")
    }
}

extension ReviewFindings3Tests {
    typealias F = RecoveryFixture

    /// A copy of a database beside the original (same `signDb`, another file name): ESE finds
    /// a listed database by the attach entry's path — or the alternate recovery path plus its
    /// file name (fmp.cxx:1054-1069, recovery.md S5) — so the original is the one attached.
    /// Before, the first file of the signature in name order was matched: a healthy copy
    /// (`a-copy.edb`) stood in for an original that recovery fails with -543, and the set was
    /// recoverable.
    @Test func aCopyBesideTheOriginalDoesNotStandInForIt() {
        let original = F.dirtyDatabase(5...12, path: "/restore/mailbox01.edb")
        let copy = F.dirtyDatabase(10...12, path: "/restore/a-copy.edb")
        let input = F.input(8...12, current: 13, checkpoint: 10, [copy, original])
        let result = RecoveryModel.evaluate(input)
        // The original is attached and fails as ESE fails it (logredo.cxx:5940-6008: -543).
        #expect(result.decisions[1].outcome == .notRecoverable && result.decisions[1].jetError.code == -543)
        // The copy is in no attach list and no record attaches it: recovery never replays it.
        #expect(result.decisions[0].outcome != .recoverable)
    }
}

extension ReviewFindings3Tests {
    /// `path` with its copy of the sample database's header pages marked as a patch file's
    /// (`JET_filetypeStreamingFile`, daedef.hxx:2997), checksums resealed.
    static func writePatchFile(_ path: String, from database: String) throws {
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: database)))
        for header in [0, 8192] {
            var page = Array(bytes[header..<header + 8192])
            page.storeLE(FileType.streamingFile.rawValue, at: FileType.headerOffset)
            PageWriter.sealHeader(&page)
            bytes.replaceSubrange(header..<header + 8192, with: page)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A file whose header is a patch file's (or has another file type or attribute ESE's
    /// attach refuses with -1206, db.cxx:2851-2878) given as a database: before, its header
    /// only drew a warning and a whole patch file renamed `.edb` was certified consistent.
    @Test func aPatchFileIsNeverACertifiedDatabase() throws {
        let directory = TemporaryDirectory()
        let database = try SampleDatabase.write(to: directory.file("source.bin"), pages: 40)
        try Self.writePatchFile(directory.file("mailbox.edb"), from: database)
        let report = StorageGroupChecker().check(databases: [directory.file("mailbox.edb")], logDirectory: nil)
        #expect(report.databases.count == 1)
        #expect(!report.verdict.isRestorable && !report.databases[0].verdict.isRestorable)
    }

    /// A patch file beside its database in a directory is listed as not checked, not checked as
    /// a database (which would now fail the set): the set stays as its database is.
    @Test func aPatchFileBesideItsDatabaseIsSkipped() throws {
        let directory = TemporaryDirectory()
        let database = try SampleDatabase.write(to: directory.file("mailbox.edb"), pages: 40)
        try Self.writePatchFile(directory.file("mailbox.pat"), from: database)
        let report = StorageGroupChecker().check(directory: directory.path)
        #expect(report.databases.count == 1 && report.verdict == .consistent)
        #expect(report.skippedFiles.contains { $0.contains("mailbox.pat") })
    }
}
