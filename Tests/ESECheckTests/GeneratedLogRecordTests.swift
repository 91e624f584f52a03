import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// The generator writes real records: every log of generated storage groups walks clean as
/// ESE's reader walks it, with Init2 and an AttachDB per database in the first generation,
/// and for clean groups DetachDB and Term2 at the end of the current log, at the positions
/// the database headers and the checkpoint name (log-records.md §1-3).
@Suite struct GeneratedLogRecordTests {
    struct Case: Sendable, CustomStringConvertible {
        var format: LogBodyFormat
        var dirty: Bool
        var pageSize: Int
        var sectors: Int
        var generations: Int
        var databases: Int
        var description: String { "\(format) \(dirty ? "dirty" : "clean") \(pageSize / 1024)k \(sectors) sectors ×\(generations), \(databases) db" }
    }

    static let cases: [Case] = [
        Case(format: .v8, dirty: false, pageSize: 4096, sectors: 16, generations: 5, databases: 1),
        Case(format: .v8, dirty: true, pageSize: 8192, sectors: 16, generations: 6, databases: 2),
        Case(format: .v8, dirty: false, pageSize: 32768, sectors: 64, generations: 3, databases: 3),
        Case(format: .v8, dirty: true, pageSize: 32768, sectors: 8, generations: 2, databases: 1),
        Case(format: .v8, dirty: false, pageSize: 8192, sectors: 8, generations: 1, databases: 2),
        Case(format: .v8, dirty: false, pageSize: 8192, sectors: 256, generations: 2, databases: 6),
        Case(format: .v7, dirty: false, pageSize: 4096, sectors: 160, generations: 4, databases: 1),
        Case(format: .v7, dirty: true, pageSize: 8192, sectors: 160, generations: 5, databases: 2),
        Case(format: .v7, dirty: false, pageSize: 32768, sectors: 24, generations: 2, databases: 3),
        Case(format: .v7, dirty: false, pageSize: 8192, sectors: 80, generations: 1, databases: 1),
    ]

    let directory = TemporaryDirectory()

    @Test(arguments: cases)
    func everyGeneratedLogWalksClean(_ item: Case) throws {
        var spec = StorageGroupSpec(databases: (0..<item.databases).map {
            .init(name: "db\($0).edb", pageSize: item.pageSize, pageCount: 24)
        })
        spec.logFormat = item.format
        spec.dirty = item.dirty
        spec.generations = item.generations
        spec.logFileSectors = item.sectors
        spec.seed = UInt64(item.sectors * 7 + item.generations)
        let files = try StorageGroupWriter.write(spec, to: directory.file("g"))
        let report = LogSetChecker(options: CheckOptions(walkLogRecords: true)).check(directory: files.directory)
        #expect(report.isWhole, "\(report.files.flatMap(\.problems).map(\.message))")
        let headers = try files.databases.map { path in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(item.pageSize))
            return try DatabaseHeader(parsing: bytes.span.bytes)
        }
        var fragmented = 0
        for generation in spec.firstGeneration...spec.lastGeneration {
            let file = try #require(report.file(generation: generation))
            let walk = try #require(file.records, "generation \(generation)")
            #expect(walk.firstInvalid == nil, "generation \(generation): \(String(describing: walk.firstInvalid))")
            #expect(walk.format == item.format)
            #expect(walk.recordsWalked > 0 && !walk.endsInFragment)
            #expect(walk.count(of: .init2) == (generation == spec.firstGeneration ? 1 : 0))
            fragmented += walk.skippedFragments
            let attaches = walk.databaseRecords.filter { $0.type == .attachDB }
            let detaches = walk.databaseRecords.filter { $0.type == .detachDB }
            if generation == spec.firstGeneration {
                #expect(attaches.count == item.databases)
                for (index, (record, header)) in zip(attaches, headers).enumerated() {
                    #expect(record.path == "C:\\ESE\\" + spec.databases[index].name)
                    #expect(record.position == header.attachPosition)
                    #expect(record.databaseSignature == header.databaseSignature)
                    #expect(record.logSignature == header.logSignature)
                    #expect(record.consistentPosition == LogPosition.zero)
                }
            } else {
                #expect(attaches.isEmpty)
            }
            if generation == spec.lastGeneration, !item.dirty {
                #expect(walk.count(of: .term2) == 1)
                #expect(walk.lastRecord?.type == .term2)
                let checkpoint = try #require(report.checkpoint?.checkpoint)
                #expect(walk.cleanEnd == checkpoint, "cleanEnd \(String(describing: walk.cleanEnd)) checkpoint \(checkpoint)")
                #expect(detaches.count == item.databases)
                for (index, (record, header)) in zip(detaches, headers).enumerated() {
                    #expect(record.databaseID == UInt8(index + 1))
                    #expect(record.position == header.consistentPosition && record.position == header.detachPosition)
                    #expect(header.state == .cleanShutdown)
                }
            } else {
                #expect(walk.count(of: .term2) == 0 && walk.cleanEnd == nil && detaches.isEmpty)
            }
        }
        // The attach ids match the attach lists' ids, in order.
        let firstWalk = try #require(report.file(generation: spec.firstGeneration)?.records)
        #expect(firstWalk.databaseRecords.filter { $0.type == .attachDB }.map(\.databaseID) == (0..<item.databases).map { UInt8($0 + 1) })
        #expect(fragmented == 0, "no log starts inside a fragment")
    }

    @Test func largeV8LogsHoldRecordsSplitAcrossSegments() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 8192, pageCount: 24)])
        spec.generations = 2
        spec.logFileSectors = 32
        let files = try StorageGroupWriter.write(spec, to: directory.file("fragments"))
        for generation in spec.firstGeneration...spec.lastGeneration {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try #require(files.log(generation)))))
            // A FragmentBegin ends segment 1 and the next segments start with Fragments.
            var begins = 0, pieces = 0
            for segment in 1..<(bytes.count / 4096 - 1) where bytes[segment * 4096 + 40] == LogRecordType.fragment.rawValue { pieces += 1 }
            bytes.withUnsafeBytes { raw in
                let span = RawSpan(_unsafeBytes: raw)
                let header = try! LogFileHeader(parsing: span.extracting(0..<4096))
                let walk = LogRecordWalker.walk(span, header: header, scan: SegmentScanner.scan(span, header: header))
                #expect(walk.firstInvalid == nil)
                begins = walk.count(of: LogRecordType(rawValue: 29))
            }
            #expect(pieces == 2, "generation \(generation): a record over two segment boundaries")
            #expect(begins > 0)
        }
    }

    @Test func generationStaysDeterministicAndBulkSegmentsShareTheirBody() {
        let first = LogRecordFiller(seed: 5), second = LogRecordFiller(seed: 5), other = LogRecordFiller(seed: 6)
        #expect(first.segmentBody == second.segmentBody && first.segmentBody != other.segmentBody)
        #expect(first.segmentBody.count == 4056)
    }
}
