import ESEFormat
import Foundation
import Testing

/// The record walker on every real v8 log of the shared corpus (three SRUM log sets): no
/// invalid record, and the records ESE writes where it writes them.
@Suite(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
struct RealLogRecordTests {
    static let sets = ["srum-server2022-1daylater", "srum-win10-aptsim-clean", "srum-win10-belkasoft-dirty"]

    /// Every generation and current log of a set, walked, with its header.
    static func walks(_ set: String) throws -> [(name: String, header: LogFileHeader, scan: LogBodyScan, walk: LogRecordWalk)] {
        let directory = TestEnvironment.realCorpus! + "/museum/" + set
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("SRU") && $0.hasSuffix(".log") && $0 != "SRUtmp.log" }.sorted()
        return try names.map { name in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            let header = try LogFileHeader(parsing: bytes.span.bytes)
            let scan = SegmentScanner.scan(bytes.span.bytes, header: header)
            return (name, header, scan, LogRecordWalker.walk(bytes.span.bytes, header: header, scan: scan))
        }
    }

    @Test(arguments: sets)
    func everyRealLogWalksClean(_ set: String) throws {
        let logs = try Self.walks(set)
        #expect(logs.count >= 2)
        var initSeen = false
        for log in logs {
            let walk = log.walk
            let summary = walk.countsByType.map { "\($0.type.name)=\($0.count)" }.joined(separator: " ")
            print("\(set)/\(log.name) gen \(log.header.generation): \(walk.recordsWalked) records, first \(walk.firstRecord.map { "\($0.type.name)" } ?? "-"), last \(walk.lastRecord.map { "\($0.type.name)@\($0.position)" } ?? "-"), cleanEnd \(walk.cleanEnd.map { "\($0)" } ?? "-"), db \(walk.databaseRecords.map { "\($0.type.name)(\($0.databaseID)) \($0.path ?? "")@\($0.position)" }) — \(summary)")
            #expect(log.scan.isClean, "\(log.name): body scan")
            #expect(walk.firstInvalid == nil, "\(log.name): \(String(describing: walk.firstInvalid))")
            #expect(walk.format == .v8)
            // Only a current log that was never written (no valid segment) has no record.
            #expect(walk.recordsWalked > 0 || log.scan.lastGoodSector == nil, "\(log.name): no records")
            if let first = walk.firstRecord {
                // The first record of a generation sits at the first segment's start, as ESE positions it.
                #expect(first.position == LogPosition(generation: log.header.generation, sector: log.header.headerSectors, byteOffset: 0))
                #expect(first.fileOffset >= Int(log.header.headerSectors) * 4096 + 40)
            }
            #expect(walk.countByType.reduce(0, +) == walk.recordsWalked)
            // Records never span files: the walk never starts inside a record.
            #expect(walk.skippedFragments == 0, "\(log.name)")
            #expect(!walk.endsInFragment, "\(log.name)")
            #expect(walk.count(of: .nop) == 0, "\(log.name): v8 NOP padding is never a record")
            // No type ESE cannot size, nothing past lrtypMax.
            for type in [40, 41, 43, 44, 47, 55, 56] { #expect(walk.countByType[type] == 0) }
            initSeen = initSeen || walk.count(of: .initialize) + walk.count(of: .init2) > 0
            // A clean end is a termination record, the last record of the file.
            if let clean = walk.cleanEnd {
                #expect(walk.lastRecord?.type.isTermination == true, "\(log.name)")
                #expect(clean.generation == log.header.generation)
            }
            for database in walk.databaseRecords {
                #expect(database.position.generation == log.header.generation)
                #expect(database.databaseID >= 1, "\(log.name): \(database)")
                #expect(database.path?.isEmpty == false, "\(log.name): \(database)")
            }
        }
        #expect(initSeen, "\(set): no Init or Init2 record in any generation")
        // A cleanly closed set: the current log ends with Term2, where the checkpoint points (logredo.cxx:15049-15085).
        let current = try #require(logs.first { $0.name == "SRU.log" })
        let directory = TestEnvironment.realCorpus! + "/museum/" + set
        let checkpointBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/SRU.chk")))
        let selection = CheckpointSelection.select(from: checkpointBytes.span.bytes)
        let checkpoint = try #require(selection).header.checkpoint
        if set.contains("dirty") {
            #expect(current.walk.cleanEnd == nil)
        } else {
            #expect(current.walk.lastRecord?.type == .term2)
            #expect(current.walk.cleanEnd == checkpoint)
            // The clean detach at shutdown wrote the position of the ShutDownMark that followed the
            // database's AttachDB into its header (io.cxx:741-762; later sessions here attach no
            // database): the reader's lgpos convention, checked on real files.
            let database = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/SRUDB.dat")).prefix(65536))
            let detach = try HeaderSelection.select(from: database.span.bytes).header.detachPosition
            let log = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/SRU.log")))
            #expect(detach.generation == current.header.generation)
            #expect(log[Int(detach.sector) * 4096 + Int(detach.byteOffset)] == LogRecordType.shutDownMark.rawValue)
            if let attach = current.walk.databaseRecords.last(where: { $0.type == .attachDB }) {
                #expect(attach.position < detach)
            }
            #expect(try #require(current.walk.lastShutDownMark).position >= detach)
            #expect(!current.walk.endsWithShutDownMark)  // Term2 follows it
        }
    }

    @Test func logsRecordsCommandOnARealSet() throws {
        let directory = TestEnvironment.realCorpus! + "/museum/srum-win10-aptsim-clean"
        let schema = try SchemaValidator(path: TestEnvironment.packageRoot + "/docs/report.schema.json")
        let result = try CommandRunner.run(["logs", "--json", "--records", "--quiet", directory])
        #expect(result.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        #expect(schema.validate(parsed, against: "logsDocument").isEmpty)
        let files = try #require(((parsed as? [String: Any])?["logs"] as? [String: Any])?["files"] as? [[String: Any]])
        let walks = try Self.walks("srum-win10-aptsim-clean")
        #expect(files.count == walks.count)
        for file in files {
            let name = try #require(file["file"] as? String)
            let walk = try #require(walks.first { $0.name == name }).walk
            let records = try #require(file["records"] as? [String: Any], "\(name)")
            #expect(records["count"] as? Int == walk.recordsWalked)
            #expect(records["walked"] as? Int == walk.bytesWalked)
            #expect(records["firstInvalid"] is NSNull)
            let byType = try #require(records["byType"] as? [String: Int])
            #expect(byType.values.reduce(0, +) == walk.recordsWalked)
            #expect(byType["Insert"] == walk.count(of: LogRecordType(rawValue: 29)))
            #expect((file["problems"] as? [Any])?.isEmpty == true)
        }
        // Records are always walked (and in the JSON); --records adds the counts to the text.
        let plain = try CommandRunner.run(["logs", "--quiet", directory])
        #expect(!plain.stdout.contains("Log records:"))
        let text = try CommandRunner.run(["logs", "--records", "--quiet", directory])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Log records:"))
        #expect(text.stdout.contains("SRU.log: 281 records in 57344 bytes; ends cleanly at (0x20,E,0)"))
        #expect(text.stdout.contains("Term2 3"))
    }
}
