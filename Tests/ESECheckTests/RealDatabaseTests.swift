import ESECheck
import ESEFormat
import Foundation
import Testing

/// Conformance with real ESE files written by Windows: every database in
/// `../shared/corpus/real` must agree with `expected.json` (an independent implementation).
@Suite(.enabled(if: TestEnvironment.realCorpus != nil, TestEnvironment.realCorpusMissing))
struct RealDatabaseTests {
    static func expectedDatabases() throws -> [[String: Any]] {
        try TestEnvironment.expectations()["databases"] as? [[String: Any]] ?? []
    }

    /// `expected.json` spells states in upper camel case; reports use lower camel case.
    static func lowerCamel(_ text: String) -> String { text.prefix(1).lowercased() + text.dropFirst() }

    @Test func checkerAgreesWithExpectations() throws {
        let root = try #require(TestEnvironment.realCorpus)
        let expected = try Self.expectedDatabases()
        #expect(expected.count >= 18)
        let reports = DatabaseChecker().check(expected.map { root + "/" + ($0["path"] as! String) })
        for (entry, report) in zip(expected, reports) {
            let name = entry["path"] as! String
            #expect(report.pageSize == entry["pageSize"] as? Int, "\(name)")
            #expect(report.header?.state.name == Self.lowerCamel(entry["state"] as! String), "\(name)")
            let required = entry["requiredLogs"] as! [Int]
            #expect([Int(report.header?.minimumRequiredGeneration ?? -1), Int(report.header?.maximumRequiredGeneration ?? -1)] == required, "\(name)")
            let pages = entry["pages"] as! [String: Int]
            let counts = report.pages
            #expect([counts.ok, counts.uninitialized, counts.correctable, counts.badChecksum, counts.wrongPageNumber]
                    == [pages["ok"], pages["uninitialized"], pages["correctable"], pages["badChecksum"], pages["wrongPageNumber"]], "\(name)")
            let findings = (entry["findings"] as! [[String: Any]]).map { ($0["page"] as! Int, $0["kind"] as! String) }
            let reported = report.tally.sortedFindings.map { (Int($0.pageNumber), $0.outcome.kind.rawValue) }
            #expect(findings.map(\.0) == reported.map(\.0) && findings.map(\.1) == reported.map(\.1), "\(name)")
            #expect(report.headers?.primary.isValid == entry["primaryHeaderValid"] as? Bool, "\(name)")
            #expect(Int(report.header?.logSignature.random ?? 0) == entry["logSignatureRandom"] as? Int, "\(name)")
            #expect(report.errors.isEmpty && report.readFailures.isEmpty, "\(name): \(report.errors)")
        }
    }

    @Test func cliJSONAgreesWithExpectations() throws {
        let root = try #require(TestEnvironment.realCorpus)
        let expected = try Self.expectedDatabases()
        let result = try CommandRunner.run(["db", "--json"] + expected.map { root + "/" + ($0["path"] as! String) })
        // dissect's SRUDB.dat has real bad pages, so the run as a whole reports problems.
        #expect(result.status == 1)
        let document = result.json
        #expect(document["schema"] as? String == "ese-verify/1")
        let databases = try #require(document["databases"] as? [[String: Any]])
        #expect(databases.count == expected.count)
        for (entry, database) in zip(expected, databases) {
            let name = entry["path"] as! String
            #expect(database["pageSize"] as? Int == entry["pageSize"] as? Int, "\(name)")
            #expect(database["state"] as? String == Self.lowerCamel(entry["state"] as! String), "\(name)")
            let required = try #require(database["requiredLogs"] as? [String: Int])
            #expect([required["min"]!, required["max"]!] == entry["requiredLogs"] as! [Int], "\(name)")
            #expect(database["primaryHeaderValid"] as? Bool == entry["primaryHeaderValid"] as? Bool, "\(name)")
            #expect(database["shadowHeaderValid"] as? Bool == true, "\(name)")
            let pages = try #require(database["pages"] as? [String: Int])
            for (key, value) in entry["pages"] as! [String: Int] { #expect(pages[key] == value, "\(name) \(key)") }
            let findings = try #require(database["findings"] as? [[String: Any]])
            #expect(findings.map { $0["page"] as! Int } == (entry["findings"] as! [[String: Any]]).map { $0["page"] as! Int }, "\(name)")
            for finding in findings where finding["kind"] as? String == "badChecksum" {
                #expect(finding["jetError"] as? Int == -1018)
            }
        }
    }

    @Test func cleanRealDatabaseExitsZero() throws {
        let root = try #require(TestEnvironment.realCorpus)
        let result = try CommandRunner.run(["db", root + "/dissect.esedb/large.edb"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("766 pages seen"))
        #expect(result.stdout.contains("0 bad checksums"))
    }

    @Test func mappedAndPositionalReadsAgree() throws {
        let root = try #require(TestEnvironment.realCorpus)
        let path = root + "/dissect.esedb/SRUDB.dat"
        let positional = DatabaseChecker(options: CheckOptions(readMethod: .positional)).check(path)
        let mapped = DatabaseChecker(options: CheckOptions(readMethod: .mapped)).check(path)
        #expect(positional.tally == mapped.tally)
    }
}
