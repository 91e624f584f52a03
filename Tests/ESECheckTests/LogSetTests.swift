import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// Copies a directory's files into a fresh temporary directory.
func copyDirectory(_ source: String, into directory: TemporaryDirectory, subfolder: String = "set") throws -> String {
    let target = directory.file(subfolder)
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: source) {
        try FileManager.default.copyItem(atPath: source + "/" + name, toPath: target + "/" + name)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target + "/" + name)
    }
    return target
}

/// Rewrites a log header field and reseals the header checksum.
func editLogHeader(_ path: String, _ edit: (inout ByteImage) -> Void) throws {
    let file = try FileOutput(editing: path)
    defer { file.close() }
    var header = ByteImage(try file.read(at: 0, count: LogFileHeader.size))
    edit(&header)
    header.sealHeader()
    try file.write(header.bytes, at: 0)
}

/// The three real SRUM log sets and edited copies of them.
@Suite(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
struct RealLogSetTests {
    let directory = TemporaryDirectory()

    static func museum(_ name: String) -> String { TestEnvironment.realCorpus! + "/museum/" + name }

    @Test func realSetsMatchExpectations() throws {
        let sets = try #require(TestEnvironment.expectations()["logSets"] as? [[String: Any]])
        #expect(sets.count == 3)
        for expected in sets {
            let path = TestEnvironment.realCorpus! + "/" + (expected["directory"] as! String)
            let report = LogSetChecker().check(directory: path)
            #expect(report.baseName == expected["baseName"] as? String)
            let generations = expected["generations"] as! [Int]
            #expect(report.files.compactMap(\.generation).map(Int.init) == generations, "\(path)")
            #expect(report.breaks.isEmpty, "\(report.breaks)")
            #expect(report.isWhole, "\(report.files.flatMap(\.problems))")
            for (file, entry) in zip(report.files, expected["files"] as! [[String: Any]]) {
                #expect(file.name.fileName == entry["file"] as? String)
                #expect(file.headerValid == entry["headerValid"] as? Bool)
                #expect(file.format?.rawValue == entry["format"] as? String)
                #expect(file.body?.validUnits == entry["validSegments"] as? Int, "\(file.name)")
                #expect(file.problems.isEmpty, "\(file.name): \(file.problems)")
            }
            #expect(report.checkpoint?.isValid == true)
        }
    }

    @Test func cliJSONShape() throws {
        let result = try CommandRunner.run(["logs", "--json", Self.museum("srum-win10-belkasoft-dirty")])
        #expect(result.status == 0, "\(result.stdout)")
        let logs = try #require(result.json["logs"] as? [String: Any])
        #expect(logs["baseName"] as? String == "SRU")
        #expect((logs["generations"] as? [String: Int]) == ["first": 78, "last": 82])
        let files = try #require(logs["files"] as? [[String: Any]])
        #expect(files.map { $0["file"] as! String } == ["SRU0004E.log", "SRU0004F.log", "SRU00050.log", "SRU00051.log", "SRU.log"])
        #expect(files.allSatisfy { $0["format"] as? String == "v8" && $0["valid"] as? Bool == true })
        #expect((logs["breaks"] as? [Any])?.isEmpty == true)
        #expect((logs["checkpoint"] as? [String: Any])?["generation"] as? Int == 81)
    }

    @Test func deletedMiddleGenerationIsAGapWithTheExactRange() throws {
        let set = try copyDirectory(Self.museum("srum-win10-aptsim-clean"), into: directory)
        try FileManager.default.removeItem(atPath: set + "/SRU0001C.log")
        try FileManager.default.removeItem(atPath: set + "/SRU0001D.log")
        let report = LogSetChecker().check(directory: set)
        #expect(report.breaks.count == 1)
        #expect(report.breaks.first?.kind == .gap && report.breaks.first?.after == 27 && report.breaks.first?.missing == 28...29)
        #expect(!report.isWhole)
        let text = try CommandRunner.run(["logs", set])
        #expect(text.status == 1 && text.stdout.contains("Missing log files: SRU{0001C - 0001D}.log"))
    }

    @Test func logFromAnotherSetIsASignatureBreakAtItsPlace() throws {
        let set = try copyDirectory(Self.museum("srum-win10-aptsim-clean"), into: directory)
        try FileManager.default.removeItem(atPath: set + "/SRU0001C.log")
        try FileManager.default.copyItem(atPath: Self.museum("srum-win10-belkasoft-dirty") + "/SRU00050.log", toPath: set + "/SRU0001C.log")
        let report = LogSetChecker().check(directory: set)
        let signatureBreaks = report.breaks.filter { $0.kind == .signature }
        #expect(signatureBreaks.count == 1)
        #expect(signatureBreaks.first?.after == 27 && signatureBreaks.first?.file == "SRU0001C.log")
        let foreign = try #require(report.files.first { $0.name.fileName == "SRU0001C.log" })
        #expect(foreign.problems.contains { $0.code == "foreignSignature" && $0.jetError == .badLogSignature })
        #expect(foreign.problems.contains { $0.code == "generationMismatch" })
        #expect(report.files.filter { !$0.isValid }.count == 1)
    }

    @Test func flippedByteInsideAMiddleGenerationDamagesOnlyIt() throws {
        let set = try copyDirectory(Self.museum("srum-win10-aptsim-clean"), into: directory)
        let file = try FileOutput(editing: set + "/SRU0001B.log")
        var byte = try file.read(at: 3 * 4096 + 1000, count: 1)
        byte[0] ^= 0xFF
        try file.write(byte, at: 3 * 4096 + 1000)
        file.close()
        let report = LogSetChecker().check(directory: set)
        let damaged = report.files.filter { !$0.isValid }
        #expect(damaged.map(\.name.fileName) == ["SRU0001B.log"])
        #expect(damaged.first?.problems.contains { $0.code == "bodyDamaged" && $0.sector == 3 } == true)
        #expect(damaged.first?.body?.damage?.reason == .segmentCorrupt)
        #expect(report.breaks.isEmpty)
        #expect(!report.isWhole)
    }

    @Test func singleFlippedBitInASegmentIsCorrected() throws {
        let set = try copyDirectory(Self.museum("srum-win10-aptsim-clean"), into: directory)
        let file = try FileOutput(editing: set + "/SRU0001B.log")
        try file.flipBit(atFileBit: UInt64(3 * 4096 + 1000) * 8 + 2)
        file.close()
        let report = LogSetChecker().check(directory: set)
        #expect(report.isWhole)
        let corrected = try #require(report.files.first { $0.name.fileName == "SRU0001B.log" })
        #expect(corrected.body?.corrections == [SectorCorrection(sector: 3, bit: 1000 * 8 + 2)])
        #expect(report.breaks.isEmpty, "the accumulated checksum uses the stored values")
    }

    @Test func zeroedTailOfTheCurrentLogIsEndOfData() throws {
        let set = try copyDirectory(Self.museum("srum-win10-aptsim-clean"), into: directory)
        let file = try FileOutput(editing: set + "/SRU.log")
        try file.write([UInt8](repeating: 0, count: 6 * 4096), at: 10 * 4096)
        file.close()
        let report = LogSetChecker().check(directory: set)
        #expect(report.isWhole, "\(report.files.flatMap(\.problems))")
        let current = try #require(report.files.last)
        #expect(current.isCurrent && current.problems.isEmpty)
        #expect(current.body?.validUnits == 9)
        #expect(current.body?.endOfData == LogPosition(generation: 32, sector: 10, byteOffset: 0))
    }

    @Test func corruptHeaderIsReportedAndTheRestStillChecked() throws {
        let set = try copyDirectory(Self.museum("srum-win10-aptsim-clean"), into: directory)
        let file = try FileOutput(editing: set + "/SRU0001D.log")
        try file.write([0x55], at: 100)
        file.close()
        let report = LogSetChecker().check(directory: set)
        let bad = report.files.filter { !$0.isValid }
        #expect(bad.map(\.name.fileName) == ["SRU0001D.log"])
        #expect(bad.first?.problems.first?.code == "headerChecksum")
        #expect(report.files.filter(\.isValid).count == 7)
        #expect(report.files.allSatisfy { $0.name.fileName == "SRU0001D.log" || $0.body?.validUnits == 14 })
    }

    @Test func changedPreviousGenerationTimeIsASequenceBreak() throws {
        let set = try copyDirectory(Self.museum("srum-win10-aptsim-clean"), into: directory)
        try editLogHeader(set + "/SRU0001E.log") { $0.set(UInt64(0x0102_0304_0506_0708), at: 24) }
        let report = LogSetChecker().check(directory: set)
        #expect(report.breaks.map(\.kind) == [.prevGenTime])
        #expect(report.breaks.first?.after == 29 && report.breaks.first?.file == "SRU0001E.log")
        #expect(report.breaks.first?.jetError == .invalidLogSequence)
    }

    @Test func changedAccumulatedChecksumIsASequenceBreak() throws {
        let set = try copyDirectory(Self.museum("srum-win10-aptsim-clean"), into: directory)
        try editLogHeader(set + "/SRU0001E.log") { $0.set(UInt64(0xDEAD_BEEF), at: 653) }
        let report = LogSetChecker().check(directory: set)
        #expect(report.breaks.map(\.kind) == [.accumulatedChecksum])
        #expect(report.breaks.first?.after == 29)
    }
}

/// Generated v8 and v7 log sets, damage that only the generator can make, and bad input.
@Suite struct GeneratedLogSetTests {
    let directory = TemporaryDirectory()

    func group(_ format: LogBodyFormat, generations: Int = 6, dirty: Bool = true) throws -> StorageGroupFiles {
        try SampleDatabase.writeGroup(to: directory.file("group-\(format)"), database: "db.edb", pageCount: 20, dirty: dirty,
                                      generations: generations, logFileSectors: format == .v8 ? 32 : 160, logFormat: format)
    }

    @Test(arguments: [LogBodyFormat.v8, .v7])
    func generatedSetIsWhole(format: LogBodyFormat) throws {
        let files = try group(format)
        let report = LogSetChecker().check(directory: files.directory)
        #expect(report.baseName == "E00")
        #expect(report.isWhole, "\(report.files.flatMap(\.problems)) \(report.breaks)")
        #expect(report.files.count == 6 && report.files.allSatisfy { $0.format == format })
        #expect(report.generations == 1...6)
        #expect(report.auxiliary.allSatisfy { $0.state == .empty })
        #expect(report.checkpoint?.checkpoint?.generation == 4)
        #expect(!report.hasWarnings)
    }

    @Test func progressPlansTheBytesOfEveryLog() throws {
        let files = try group(.v8, generations: 9)
        let progress = CheckProgress()
        let report = LogSetChecker(options: CheckOptions(progress: progress)).check(directory: files.directory)
        let total = report.files.reduce(0) { $0 + Int($1.fileSize) }
        #expect(total > 0)
        #expect(progress.bytesPlanned == total && progress.bytesDone == total)
        #expect(progress.filesPlanned == 9 && progress.filesDone == 9)
    }

    @Test func v8AccumulatedChecksumChainsEveryGeneration() throws {
        let files = try group(.v8)
        let report = LogSetChecker().check(directory: files.directory)
        for (prior, next) in zip(report.files, report.files.dropFirst()) {
            #expect(next.header?.previousGenerationAccumulatedChecksum == prior.body?.accumulatedChecksum)
            #expect(next.header?.previousGenerationAccumulatedChecksum != 0)
        }
    }

    @Test func v8TornTailOfTheCurrentLogIsPatchable() throws {
        let files = try group(.v8)
        let current = try #require(files.log(6))
        let body = try #require(LogSetChecker().check(directory: files.directory).files.last?.body)
        let tail = try #require(body.lastGoodSector)
        let output = try FileOutput(editing: current)
        try output.write([UInt8](repeating: 0x77, count: 100), at: UInt64(tail * 4096 + 200))
        output.close()
        let report = LogSetChecker().check(directory: files.directory)
        let file = try #require(report.files.last)
        #expect(file.body?.tornWriteSector == tail)
        #expect(file.problems.map(\.code) == ["tornWrite"] && file.problems.first?.severity == .warning)
        #expect(report.isWhole && report.hasWarnings)
        let cli = try CommandRunner.run(["logs", files.directory])
        #expect(cli.status == 0 && cli.stdout.contains("PATCHABLE"))
    }

    @Test func v7RangeChecksumDamageInAFinishedGenerationIsCorruption() throws {
        let files = try group(.v7)
        let path = try #require(files.log(3))
        let output = try FileOutput(editing: path)
        try output.write([0x11, 0x22, 0x33], at: 4096 + 300)  // inside the first record's forward range
        output.close()
        let report = LogSetChecker().check(directory: files.directory)
        let damaged = try #require(report.files.first { $0.generation == 3 })
        #expect(damaged.body?.damage?.reason == .segmentCorrupt)
        #expect(!damaged.isValid && !report.isWhole)
    }

    @Test func v7ShadowPatchesATornLastSectorOfTheCurrentLog() throws {
        let files = try group(.v7)
        let path = try #require(files.log(6))
        let before = try #require(LogSetChecker().check(directory: files.directory).files.last?.body)
        let end = before.endOfData
        #expect(before.isClean && before.validUnits == 3)
        // Damage the last (single-sector) flush's data before its record: its shadow holds a good copy.
        let output = try FileOutput(editing: path)
        try output.write([0xEE ^ 0x5A], at: UInt64(Int(end.sector) * 512 + Int(end.byteOffset) - 1))
        output.close()
        let report = LogSetChecker().check(directory: files.directory)
        let current = try #require(report.files.last)
        #expect(current.body?.tornWriteSector == (Int(end.sector) * 512 + Int(end.byteOffset) - 1) / 512)
        #expect(current.body?.endOfData == end)
        #expect(current.problems.map(\.code) == ["tornWrite"] && current.isValid && report.isWhole)
    }

    @Test func v7ShortChecksumAndUnwrittenSecondSectorIsATornWrite() throws {
        var random = DeterministicRandom(seed: 3)
        let header = LogHeaderFields(generation: 9, format: .v7, sectorSize: 512, fileSectors: 64, pageSize: 8192,
                                     createTime: LogTime(secondsSince1970: 1_800_000_000), previousGenerationTime: LogTime(rawValue: 0),
                                     signature: StorageGroupWriter.logSignature(seed: 1), checkpoint: LogPosition(generation: 9, sector: 8, byteOffset: 0))
        var bytes = LogWriter.v7File(header, content: LogContent(filler: LogRecordFiller(seed: 3)), flushes: 3,
                                     tail: .multiSector(sectors: 2), random: &random).bytes
        let clean = bytes.withUnsafeBytes { LegacyLogScanner.scan(RawSpan(_unsafeBytes: $0), header: try! LogFileHeader(parsing: RawSpan(_unsafeBytes: $0))) }
        #expect(clean.isClean && clean.validUnits == 3)
        let lastSector = Int(clean.endOfData.sector) - 1
        // The second sector of the last (two-sector) flush never reached the disk: still the pattern.
        bytes.replaceSubrange(lastSector * 512..<(lastSector + 1) * 512, with: LogExtendPattern.bytes(count: 512))
        let torn = bytes.withUnsafeBytes { LegacyLogScanner.scan(RawSpan(_unsafeBytes: $0), header: try! LogFileHeader(parsing: RawSpan(_unsafeBytes: $0))) }
        #expect(torn.tornWriteSector == lastSector - 1 && torn.damage == nil)
        // Garbage there instead is corruption.
        bytes.replaceSubrange(lastSector * 512..<lastSector * 512 + 4, with: [1, 2, 3, 4])
        let corrupt = bytes.withUnsafeBytes { LegacyLogScanner.scan(RawSpan(_unsafeBytes: $0), header: try! LogFileHeader(parsing: RawSpan(_unsafeBytes: $0))) }
        #expect(corrupt.damage != nil && corrupt.tornWriteSector == nil)
    }

    @Test func v7DataAfterTheEndOfTheLogIsCorruption() throws {
        let files = try group(.v7)
        let path = try #require(files.log(2))
        let end = try #require(LogSetChecker().check(directory: files.directory).files[1].body?.endOfData)
        let output = try FileOutput(editing: path)
        try output.write([0, 0, 0, 0], at: UInt64((Int(end.sector) + 3) * 512))
        output.close()
        let damaged = try #require(LogSetChecker().check(directory: files.directory).files[1].body)
        #expect(damaged.damage?.reason == .corruptAfterEmptySegment && damaged.damage?.sector == Int(end.sector) + 3)
    }

    @Test func v7RecordFieldsAreValidatedNotTrusted() throws {
        let files = try group(.v7)
        let path = try #require(files.log(2))
        let output = try FileOutput(editing: path)
        try output.write([0xFF, 0xFF, 0xFF, 0x7F], at: 4096 + 9)  // cbNext of the first record: far beyond the file
        output.close()
        let report = LogSetChecker().check(directory: files.directory)
        #expect(report.files[1].body?.damage != nil)
    }

    @Test func nonLogFilesNamedLikeLogs() throws {
        let folder = directory.file("fake")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var random = DeterministicRandom(seed: 1)
        for generation in 1...3 {
            let bytes = (0..<8192).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = FileManager.default.createFile(atPath: folder + "/" + LogFileName.name(baseName: "E07", generation: Int32(generation)), contents: Data(bytes))
        }
        _ = FileManager.default.createFile(atPath: folder + "/E07.log", contents: Data("hello".utf8))
        let report = LogSetChecker().check(directory: folder)
        #expect(report.files.count == 4 && report.files.allSatisfy { !$0.isValid })
        #expect(report.files.prefix(3).allSatisfy { $0.problems.first?.code == "headerChecksum" })
        #expect(report.files.last?.problems.first?.code == "tooShort")
        let cli = try CommandRunner.run(["logs", folder])
        #expect(cli.status == 1)
    }

    @Test func truncatedLog() throws {
        let files = try group(.v8)
        let output = try FileOutput(editing: try #require(files.log(3)))
        try output.truncate(to: 10 * 4096 + 100)
        output.close()
        let report = LogSetChecker().check(directory: files.directory)
        let cut = try #require(report.files.first { $0.generation == 3 })
        #expect(cut.problems.contains { $0.code == "sizeMismatch" && $0.jetError == .logFileSizeMismatch })
        #expect(cut.body?.damage?.reason == .truncated)
    }

    @Test func tenThousandEmptyFilesNamedLikeLogs() throws {
        let folder = directory.file("many")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for generation in 1...10_000 {
            _ = FileManager.default.createFile(atPath: folder + "/" + LogFileName.name(baseName: "E09", generation: Int32(generation)), contents: nil)
        }
        let start = ContinuousClock.now
        let report = LogSetChecker().check(directory: folder)
        #expect(report.files.count == 10_000)
        #expect(report.files.allSatisfy { $0.problems.first?.code == "emptyFile" })
        #expect(report.breaks.isEmpty)
        #expect(start.duration(to: .now) < .seconds(60))
    }

    @Test func severalSetsNeedABaseName() throws {
        let a = try group(.v8)
        var spec = StorageGroupSpec(databases: [])
        spec.baseName = "E01"
        spec.generations = 3
        try StorageGroupWriter.write(spec, to: a.directory)
        let report = LogSetChecker().check(directory: a.directory)
        #expect(report.errors.first?.code == .invalidUse)
        #expect(LogSetChecker().check(directory: a.directory, baseName: "E01").isWhole)
        #expect(LogSetChecker().check(directory: a.directory, baseName: "e00").isWhole)
    }

    @Test func fileNames() {
        #expect(LogFileName("E000001A.log")?.kind == .generation(0x1A, digits: 5))
        #expect(LogFileName("E000000001A.log")?.kind == .generation(0x1A, digits: 8))
        #expect(LogFileName("E0000000001A.log") == nil)
        #expect(LogFileName("edb0000D.log")?.generation == 13)
        #expect(LogFileName("SRU.log")?.kind == .current)
        #expect(LogFileName("E00.jtx")?.kind == .current)
        #expect(LogFileName("E00tmp.log")?.kind == .temporary)
        #expect(LogFileName("SRUres00002.jrs")?.kind == .reserve(2))
        #expect(LogFileName("res1.log")?.kind == .reserve(1))
        #expect(LogFileName("E00.chk")?.kind == .checkpoint)
        #expect(LogFileName("edb.jcp")?.kind == .checkpoint)
        #expect(LogFileName("E00FFFFFFFF.log") == nil, "beyond the largest generation")
        #expect(LogFileName("notes.txt") == nil)
        #expect(LogFileName.name(baseName: "E00", generation: 0x1A) == "E000001A.log")
        #expect(LogFileName.name(baseName: "E00", generation: 0x123456) == "E0000123456.log")
    }
}
