import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// The flush map beside a database (`<db>.jfm`, docs/flush-map.md): a page that misses a write
/// the map records is ESE's −1119 (cpage.cxx:4364-4384) and the database `corrupt`; a map ESE
/// would not use is ignored without a finding; a map that cannot be read is a warning.
@Suite struct FlushMapCheckTests {
    let directory = TemporaryDirectory()

    /// A clean group whose database has a flush map; `stale` pages hold the flush type before
    /// their last write.
    func group(_ name: String, dirty: Bool = false, stale: [Int] = []) throws -> StorageGroupFiles {
        var database = StorageGroupSpec.Database(name: "mailbox01.edb", pageSize: 8192, pageCount: 400, usedFraction: 0.8)
        database.flushMap = true
        var spec = StorageGroupSpec(databases: [database])
        spec.generations = 3
        spec.logFileSectors = 16
        spec.dirty = dirty
        let files = try StorageGroupWriter.write(spec, to: directory.file(name))
        for page in stale { try FaultInjector.apply(Fault(.staleFlushType, database: 0, page: page), to: files, spec: spec) }
        return files
    }

    /// Rewrites the map's header with `edit`, sealed again (or not).
    func editMapHeader(_ files: StorageGroupFiles, seal: Bool = true, _ edit: (inout [UInt8]) -> Void) throws {
        let path = FlushMapWriter.path(forDatabase: files.databases[0])
        let output = try FileOutput(editing: path)
        defer { output.close() }
        var header = try output.read(at: 0, count: 8192)
        edit(&header)
        if seal { PageWriter.sealHeader(&header) }
        try output.write(header, at: 0)
    }

    @Test func lostFlushIsCorruptWithESEsError() throws {
        let files = try group("lost", stale: [60, 61])
        let report = StorageGroupChecker().check(directory: files.directory)
        let database = try #require(report.databases.first)
        let map = try #require(database.report.flushMap)
        #expect(map.status == .compared && map.pagesCompared > 300 && map.mismatchCount == 2)
        #expect(map.mismatches.map(\.page) == [60, 61])
        #expect(map.mismatches[0].expected == FlushMapWriter.flushType(of: 60) && map.mismatches[0].actual != map.mismatches[0].expected)
        #expect(database.verdict == .corrupt && database.jetError == .readLostFlushVerifyFailure)
        #expect(database.reasons.contains { $0.code == .lostFlush && !$0.isWarning })
        #expect(report.jetError == .readLostFlushVerifyFailure && !database.report.passed)
        // Every checksum passes and the trees are whole: only the map sees it.
        #expect(database.report.pages.bad == 0 && database.report.structure?.isDamaged == false)
        let cli = try CommandRunner.run(["db", "--json", files.databases[0]])
        #expect(cli.status == 1 && cli.stdout.contains("\"flushMap\"") && cli.stdout.contains("\"mismatchCount\": 2"))
        // The new field follows its schema (docs/report.schema.json), in `db` and `check`.
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        for (definition, output) in [("dbDocument", cli.stdout), ("checkDocument", try CommandRunner.run(["check", "--json", files.directory]).stdout)] {
            let errors = schema.validate(try JSONSerialization.jsonObject(with: Data(output.utf8)), against: definition)
            #expect(errors.isEmpty, "\(definition): \(errors.prefix(5))")
        }
    }

    /// An all-zero page the map knows: ESE's read fails with −1119 before −1019
    /// (cpage.cxx:4256-4276) — a finding when a tree references it, only counted when it is free.
    @Test func zeroedPageTheMapKnows() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox01.edb", pageSize: 8192, pageCount: 400, usedFraction: 0.8)])
        spec.databases[0].flushMap = true
        spec.generations = 3
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: directory.file("zeroed"))
        try FaultInjector.apply(Fault(.zeroedPage, database: 0, page: 60), to: files, spec: spec)
        // A free page the map (edited) says was written: never read by ESE, no finding.
        let layout = DatabaseLayout(pageCount: 400, pageSize: 8192, usedFraction: 0.8)
        let free = try #require((1...400).first { if case .free = layout.role(of: UInt32($0)) { true } else { false } })
        let path = FlushMapWriter.path(forDatabase: files.databases[0])
        let output = try FileOutput(editing: path)
        var page = try output.read(at: 8192, count: 8192)
        page[64 + free / 4] |= 1 << (6 - 2 * UInt8(free % 4))
        PageWriter.seal(&page, pageNumber: 0, layout: PageLayout(pageSize: 8192)!)
        try output.write(page, at: 8192)
        output.close()
        let database = try #require(StorageGroupChecker().check(directory: files.directory).databases.first)
        let map = try #require(database.report.flushMap)
        #expect(map.zeroedPagesKnown == 2 && map.mismatches.map(\.page) == [60])
        #expect(map.mismatches.first?.actual == 0 && map.mismatches.first?.expected == FlushMapWriter.flushType(of: 60))
        #expect(database.verdict == .corrupt && database.jetError == .readLostFlushVerifyFailure)
        #expect(database.report.structure?.findings.contains { $0.page == 60 && $0.jetError == .pageNotInitialized } == true)
    }

    @Test func matchingMapIsComparedAndPasses() throws {
        let files = try group("clean")
        let database = try #require(StorageGroupChecker().check(directory: files.directory).databases.first)
        #expect(database.verdict == .consistent && database.report.flushMap?.status == .compared)
        #expect(database.report.flushMap?.pagesCompared == database.report.structure?.pagesInUse)
        #expect(database.reasons.isEmpty)
    }

    @Test func mapOfAnotherFlushIsIgnoredAsESEIgnoresIt() throws {
        let files = try group("foreign", stale: [60])
        try editMapHeader(files) { $0[116] ^= 0xFF }            // signFlushMapHdrFlush no longer the database's
        let database = try #require(StorageGroupChecker().check(directory: files.directory).databases.first)
        let map = try #require(database.report.flushMap)
        #expect(map.status == .ignored && map.jetError == .flushMapDatabaseMismatch && map.pagesCompared == 0)
        #expect(database.verdict == .consistent && database.reasons.isEmpty)
        let json = try CommandRunner.run(["check", "--json", files.directory]).stdout
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        #expect(schema.validate(try JSONSerialization.jsonObject(with: Data(json.utf8)), against: "checkDocument").isEmpty)
    }

    @Test func uncleanMapTheLogsCannotRebuildIsIgnored() throws {
        let files = try group("unclean", stale: [60])
        try editMapHeader(files) { $0[36] = 0 }                 // fClean off; a clean database needs no log
        let database = try #require(StorageGroupChecker().check(directory: files.directory).databases.first)
        #expect(database.report.flushMap?.status == .ignored && database.report.flushMap?.jetError == .flushMapUnrecoverable)
        #expect(database.verdict == .consistent && database.reasons.isEmpty)
    }

    @Test func unreadableMapIsAWarningNotSilence() throws {
        let files = try group("damaged", stale: [60])
        try editMapHeader(files, seal: false) { $0[300] ^= 1 }
        let database = try #require(StorageGroupChecker().check(directory: files.directory).databases.first)
        #expect(database.report.flushMap?.status == .unreadable)
        #expect(database.verdict == .consistent)
        #expect(database.reasons.contains { $0.code == .flushMapUnreadable && $0.isWarning })
        let short = try group("short")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: FlushMapWriter.path(forDatabase: short.databases[0])))
        let again = try #require(StorageGroupChecker().check(directory: short.directory).databases.first)
        #expect(again.report.flushMap?.status == .unreadable && again.reasons.contains { $0.code == .flushMapUnreadable })
        // A map that is there but cannot be opened (here a directory) is said, not skipped.
        let path = FlushMapWriter.path(forDatabase: short.databases[0])
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let third = try #require(StorageGroupChecker().check(directory: short.directory).databases.first)
        #expect(third.report.flushMap?.status == .unreadable && third.verdict == .consistent)
    }

    @Test func mapPageOlderThanItsPagesIsNotUsed() throws {
        let files = try group("older", stale: [60])
        let path = FlushMapWriter.path(forDatabase: files.databases[0])
        let output = try FileOutput(editing: path)
        var page = try output.read(at: 8192, count: 8192)
        page.storeLE(UInt64(0x1000), at: 8)                     // dbtimeMax below the pages' times
        PageWriter.seal(&page, pageNumber: 0, layout: PageLayout(pageSize: 8192)!)
        try output.write(page, at: 8192)
        output.close()
        let database = try #require(StorageGroupChecker().check(directory: files.directory).databases.first)
        #expect(database.report.flushMap?.mapPagesUnusable == [0] && database.report.flushMap?.mismatchCount == 0)
        #expect(database.report.flushMap?.mapPagesDamaged == [])
        #expect(database.verdict == .consistent && database.reasons.isEmpty)
        // A map page failing its checksum: not used, and a warning (the copy may have damaged it).
        let damaged = try group("damaged-page", stale: [60])
        let mapOutput = try FileOutput(editing: FlushMapWriter.path(forDatabase: damaged.databases[0]))
        try mapOutput.write([0xFF, 0xFF, 0xFF], at: 8192 + 3000)
        mapOutput.close()
        let second = try #require(StorageGroupChecker().check(directory: damaged.directory).databases.first)
        #expect(second.report.flushMap?.mapPagesDamaged == [0] && second.report.flushMap?.mismatchCount == 0)
        #expect(second.verdict == .consistent && second.reasons.contains { $0.code == .flushMapUnreadable && $0.isWarning })
    }

    @Test func mismatchBeforeReplayIsAWarning() throws {
        let control = try #require(StorageGroupChecker().check(directory: group("dirty-control", dirty: true).directory).databases.first)
        let files = try group("dirty", dirty: true, stale: [60])
        let database = try #require(StorageGroupChecker().check(directory: files.directory).databases.first)
        #expect(database.report.flushMap?.beforeReplay == true && database.report.flushMap?.mismatchCount == 1)
        #expect(database.verdict == control.verdict && database.jetError == control.jetError)
        #expect(database.reasons.contains { $0.code == .lostFlushBeforeReplay && $0.isWarning })
    }

    @Test func streamedDatabaseTakesItsMapAsBytes() throws {
        let files = try group("stream", stale: [60])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: files.databases[0])))
        let source = DatabaseSource.stream(name: "mailbox01.edb", fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(65536)))
        func run(map: Bool) throws -> DatabaseVerdict? {
            let session = CheckSession(databases: [source])
            _ = try session.checkDatabaseHeaders()
            let half = bytes.count / 2 / 8192 * 8192
            let high = Array(bytes[half...]), low = Array(bytes[..<half])
            try session.checkPages(database: 0, fileOffset: UInt64(half), bytes: high.span.bytes)
            try session.checkPages(database: 0, fileOffset: 0, bytes: low.span.bytes)
            if map {
                // ESE sizes maps ahead of the database: an extra, never-written map page is no concern.
                let mapBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: FlushMapWriter.path(forDatabase: files.databases[0]))))
                    + [UInt8](repeating: 0, count: 8192)
                try session.provideFlushMap(database: 0, name: "mailbox01.jfm", bytes: mapBytes.span.bytes)
            }
            return try session.finish().databases.first
        }
        let with = try #require(try run(map: true))
        #expect(with.verdict == .corrupt && with.report.flushMap?.mismatches.map(\.page) == [60])
        #expect(with.report.flushMap?.mapPages == 2 && with.report.flushMap?.mapPagesUnusable == [])
        #expect(!with.reasons.contains { $0.code == .flushMapUnreadable })
        let without = try #require(try run(map: false))
        #expect(without.report.flushMap == nil && without.verdict == .consistent)
        let empty = [UInt8]()
        let unprepared = CheckSession(databases: [source])
        #expect(throws: CheckError.self) { try unprepared.provideFlushMap(database: 0, name: "x", bytes: empty.span.bytes) }
    }

    /// A page resubmitted by the transport replaces the stale copy; a second, different copy
    /// that replaces nothing leaves the page unjudged (which copy is right is unknown).
    @Test func secondCopiesOfAPage() throws {
        let stale = try group("copies-stale", stale: [60])
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: group("copies-good").databases[0])))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: stale.databases[0])))
        let mapBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: FlushMapWriter.path(forDatabase: stale.databases[0]))))
        let goodPage = Array(good[61 * 8192..<62 * 8192])
        let source = DatabaseSource.stream(name: "mailbox01.edb", fileSize: UInt64(bytes.count), leadingBytes: Array(bytes.prefix(65536)))
        for replacing in [true, false] {
            let session = CheckSession(databases: [source])
            _ = try session.checkDatabaseHeaders()
            try session.checkPages(database: 0, fileOffset: 0, bytes: bytes.span.bytes)
            if replacing {
                try session.resubmitPages(database: 0, fileOffset: 61 * 8192, bytes: goodPage.span.bytes)
            } else {
                try session.checkPages(database: 0, fileOffset: 61 * 8192, bytes: goodPage.span.bytes)
            }
            try session.provideFlushMap(database: 0, name: "mailbox01.jfm", bytes: mapBytes.span.bytes)
            let database = try #require(try session.finish().databases.first)
            #expect(database.report.flushMap?.mismatchCount == 0, "replacing \(replacing)")
            #expect(database.verdict == (replacing ? .consistent : .incomplete), "replacing \(replacing)")
        }
    }

    /// No false findings on the real maps written by Windows: clean and dirty databases compare
    /// every page with a flush type, and none differs.
    @Test(.enabled(if: RealCorpus.path != nil, Comment(rawValue: RealCorpus.missing)))
    func realMapsCompareWithoutFindings() throws {
        let root = try #require(RealCorpus.path)
        for folder in ["srum-win10-aptsim-clean", "srum-server2022-1daylater", "srum-win10-belkasoft-dirty"] {
            let report = StorageGroupChecker().check(directory: root + "/museum/" + folder)
            let database = try #require(report.databases.first)
            let map = try #require(database.report.flushMap, "\(folder)")
            #expect(map.status == .compared && map.mismatchCount == 0 && map.mapPagesUnusable.isEmpty, "\(folder)")
            #expect(map.pagesCompared > 50 && map.beforeReplay == (folder == "srum-win10-belkasoft-dirty"), "\(folder)")
            #expect(!database.reasons.contains { [.lostFlush, .lostFlushBeforeReplay, .flushMapUnreadable].contains($0.code) }, "\(folder)")
        }
    }
}
