@testable import ESECheck
import ESEFormat
import Foundation
import Testing

/// Redo's database-time check on real files (`../shared/corpus/real`). The museum sets' replay
/// spans change no page of their databases (the dirty set's database was attached in the last
/// generation with records, at its AttachDB, and nothing follows it), so `check` compares
/// nothing there and must stay as it was. The records before the spans are the stronger test
/// of the extraction: every page record of every real log, for the database its AttachDB
/// binds, was flushed before the clean shutdowns that follow it (Term2 in the same
/// generations), so redo — treating them as inside the required range, where a page newer
/// than a record is fine — must find every page at or past what the records expect. Wrong
/// offsets would read garbage page numbers and times and fail this.
@Suite(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
struct RealPageTimeTests {
    static func museum(_ name: String) -> String { TestEnvironment.realCorpus! + "/museum/" + name }

    @Test(arguments: ["srum-win10-belkasoft-dirty", "srum-win10-aptsim-clean", "srum-server2022-1daylater"])
    func checkFindsNoMismatchOnRealSets(_ set: String) {
        let report = StorageGroupChecker().check(directory: Self.museum(set))
        #expect(report.isRestorable, "\(report.databases.map(\.reasons))")
        for database in report.databases {
            #expect(database.pageTimes?.mismatchCount ?? 0 == 0, "\(database.report.path): \(database.pageTimes?.mismatches.map(\.text) ?? [])")
            #expect(!database.reasons.contains { $0.code == .pageTimesNotChecked })
        }
    }

    @Test(arguments: ["srum-win10-belkasoft-dirty", "srum-win10-aptsim-clean", "srum-server2022-1daylater"])
    func everyLoggedPageIsAtOrPastItsRecords(_ set: String) throws {
        let directory = Self.museum(set)
        let logs = LogSetChecker().check(directory: directory)
        var references: [PageTimeExpectations.Reference] = []
        var order: UInt32 = 0
        for file in logs.files {
            guard let header = file.header, let scan = file.body else { continue }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file.path)))
            let walk = LogRecordWalker.walk(bytes.span.bytes, header: header, scan: scan, collectingPages: true)
            #expect(walk.isClean)
            for page in walk.pageReferences ?? [] where page.databaseID == 1 {
                references.append(.init(pageNumber: page.pageNumber, order: order, timeBefore: page.timeBefore ?? PageTimeExpectations.newPage,
                                        timeAfter: page.timeAfter, inRequiredRange: true, position: page.position, recordType: page.recordType))
                order += 1
                #expect(page.timeBefore.map { $0 < page.timeAfter } ?? true, "\(page)")
            }
        }
        let expectations = PageTimeExpectations(references: references)
        let database = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/SRUDB.dat")))
        let layout = try #require(PageLayout(pageSize: 4096))
        var compared = 0
        var mismatches: [String] = []
        for physical in 2..<(database.count / 4096) {
            let page = UInt32(physical - 1)
            guard expectations.firstIndex(of: page) != nil else { continue }
            let check = try PageVerifier.check(database.span.bytes.extracting(physical * 4096..<(physical + 1) * 4096), pageNumber: page, layout: layout)
            guard let state = PageTimeState(check) else { continue }
            compared += 1
            if let mismatch = expectations.mismatch(page: page, state: state) { mismatches.append(mismatch.text) }
        }
        #expect(references.count > 100, "\(set): \(references.count) page references")
        #expect(compared > 20, "\(set): \(compared) pages compared of \(expectations.pageCount)")
        #expect(mismatches.isEmpty, "\(set): \(mismatches.prefix(5))")
    }
}
