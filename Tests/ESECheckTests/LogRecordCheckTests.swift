import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// `CheckOptions.walkLogRecords`: the record walk in the log report, and an invalid record
/// making the set not whole (`invalidRecord`, −501).
@Suite struct LogRecordCheckTests {
    let directory = TemporaryDirectory()

    @Test(arguments: [LogBodyFormat.v8, .v7])
    func recordsAreWalkedUnlessTurnedOff(format: LogBodyFormat) throws {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 8192, pageCount: 20)])
        spec.logFormat = format
        spec.generations = 3
        spec.logFileSectors = format == .v8 ? 16 : 80
        let files = try StorageGroupWriter.write(spec, to: directory.file("group-\(format)"))
        let plain = LogSetChecker(options: CheckOptions(walkLogRecords: false)).check(directory: files.directory)
        #expect(plain.isWhole)
        #expect(plain.files.allSatisfy { $0.records == nil })
        #expect(LogSetChecker().check(directory: files.directory).files.allSatisfy { $0.records != nil }, "walked by default")
        // The generator writes real records: every log walks clean, v7 from its first LRCHECKSUM.
        let walked = LogSetChecker(options: CheckOptions(walkLogRecords: true)).check(directory: files.directory)
        #expect(walked.isWhole)
        for file in walked.files where file.body?.lastGoodSector != nil || format == .v7 {
            let records = try #require(file.records, "\(file.path)")
            #expect(records.format == format)
            #expect(records.recordsWalked >= 1 && records.firstInvalid == nil)
            #expect(!file.problems.contains { $0.code == "invalidRecord" } && file.isValid)
            #expect(records.firstRecord?.type == (format == .v7 ? .checksum : file.generation == 1 ? .init2 : LogRecordType(rawValue: 8)))
        }
    }

    @Test(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
    func aDamagedRecordInARealLogIsFoundWhereItIs() throws {
        let source = TestEnvironment.realCorpus! + "/museum/srum-win10-aptsim-clean"
        let copy = directory.file("aptsim")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source) where name.hasPrefix("SRU") && !name.hasSuffix(".dat") {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: copy + "/" + name)
        }
        let clean = LogSetChecker(options: CheckOptions(walkLogRecords: true)).check(directory: copy)
        #expect(clean.isWhole)
        let current = try #require(clean.files.first { $0.isCurrent })
        #expect(current.records?.recordsWalked == 281 && current.records?.cleanEnd == LogPosition(generation: 32, sector: 14, byteOffset: 0))
        // The first record of the current log (segment 1, offset 40) gets type 0xFF, and the
        // segment is sealed again so that only the record is wrong.
        let path = copy + "/SRU.log"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[4096 + 40] = 0xFF
        var segment = Array(bytes[4096..<8192])
        PageWriter.seal(&segment, pageNumber: 1, layout: PageLayout(pageSize: 4096)!)
        bytes.replaceSubrange(4096..<8192, with: segment)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let damaged = LogSetChecker(options: CheckOptions(walkLogRecords: true)).check(directory: copy)
        #expect(!damaged.isWhole)
        let file = try #require(damaged.files.first { $0.isCurrent })
        #expect(file.body?.isClean == true)
        let invalid = try #require(file.records?.firstInvalid)
        #expect(invalid.reason == .typeOutOfRange && invalid.type.rawValue == 0xFF)
        #expect(invalid.position == LogPosition(generation: 32, sector: 1, byteOffset: 0))
        #expect(invalid.sector == 1 && invalid.fileOffset == 4096 + 40)
        #expect(file.problems.map(\.code) == ["invalidRecord"])
        #expect(damaged.files.filter { !$0.isCurrent }.allSatisfy { $0.isValid })
    }
}
