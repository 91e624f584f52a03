import ESECheck
import Foundation

/// `--recheck REPORT.json`: the pages an earlier `--json` report of `db` or `check` named —
/// its findings and finding ranges, unstable pages and unreadable byte ranges — per database path.
enum RecheckList {
    /// The selection of the pages `path`'s report named.
    static func selection(fromReport path: String) throws(Arguments.UsageError) -> PageSelection {
        guard let data = FileManager.default.contents(atPath: path),
              let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let databases = document["databases"] as? [[String: Any]] else {
            throw Arguments.UsageError(message: "--recheck needs a report written by ese-verify db or check --json; cannot read '\(path)'")
        }
        var byPath: [String: [ClosedRange<UInt32>]] = [:]
        for database in databases {
            guard let name = database["path"] as? String else { continue }
            byPath[name] = pages(of: database)
        }
        return PageSelection(origin: .recheck, ranges: [], byPath: byPath)
    }

    /// The page ranges one database object names.
    static func pages(of database: [String: Any]) -> [ClosedRange<UInt32>] {
        func number(_ value: Any?) -> UInt64? { (value as? NSNumber)?.uint64Value }
        var ranges: [ClosedRange<UInt32>] = []
        for finding in database["findings"] as? [[String: Any]] ?? [] {
            if let page = number(finding["page"]), page >= 1, page <= UInt64(UInt32.max) { ranges.append(UInt32(page)...UInt32(page)) }
        }
        for range in database["findingRanges"] as? [[String: Any]] ?? [] {
            if let first = number(range["firstPage"]), let last = number(range["lastPage"]), first >= 1, first <= last,
               last <= UInt64(UInt32.max) {
                ranges.append(UInt32(first)...UInt32(last))
            }
        }
        for page in database["unstablePages"] as? [[String: Any]] ?? [] {
            if let number = number(page["page"]), number >= 1, number <= UInt64(UInt32.max) { ranges.append(UInt32(number)...UInt32(number)) }
        }
        if let pageSize = number(database["pageSize"]), pageSize > 0 {
            for failure in database["readFailures"] as? [[String: Any]] ?? [] {
                guard let offset = number(failure["offset"]), let length = number(failure["length"]), length > 0 else { continue }
                // Physical page p holds logical page p - 1 (0 and 1 are the headers).
                let first = max(offset / pageSize, 2) - 1, last = (offset + length - 1) / pageSize
                if last >= 2, first <= last - 1, last - 1 <= UInt64(UInt32.max) { ranges.append(UInt32(first)...UInt32(last - 1)) }
            }
        }
        return ranges
    }
}
