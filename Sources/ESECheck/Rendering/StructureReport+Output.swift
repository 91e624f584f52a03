import ESEFormat

extension StructureReport {
    /// `{"checked":…, "scope":…, "trees":…, "pagesInUse":…, "pagesFree":…, "lastOwnedPage":…,
    /// "trailingPages":…, "highestReferencedPage":…, "pagesNotSupplied":…, "findings":[…],
    /// "findingsOmitted":…}` (docs/json-schema.md).
    public var json: JSONValue {
        .object([
            "checked": .bool(checked), "scope": .string(scope.rawValue),
            "trees": .number(trees), "pagesInUse": .number(pagesInUse), "pagesFree": .number(pagesFree),
            "lastOwnedPage": lastOwnedPage.map { .number($0) } ?? .null,
            "trailingPages": .number(trailingPages), "highestReferencedPage": .number(highestReferencedPage),
            "pagesNotSupplied": .number(pagesNotSupplied),
            "findings": .array(findings.map {
                .object(["page": .number($0.page), "tree": .number($0.tree), "jetError": $0.jetError.json, "message": .string($0.message)])
            }),
            "findingsOmitted": .number(findingsOmitted),
        ])
    }

    /// The text report's lines: one summary line, then one line per finding.
    public var textLines: [String] {
        var lines: [String]
        switch scope {
        case .walked:
            lines = ["Structure: \(trees) trees walked, \(pagesInUse) pages in use, \(pagesFree) free"
                     + (trailingPages > 0 ? ", \(trailingPages) pages past the owned space" : "")
                     + (isDamaged ? ", \(findings.count + findingsOmitted) damaged" : ", no damage")]
        case .skipped: lines = ["Structure: not verified (skipped on request)"]
        case .treesNotDiscoverable: lines = ["Structure: not verified (the database root or the catalog root is not a readable tree root)"]
        case .stateLimit: lines = ["Structure: not verified (the tree evidence exceeded its memory bound)"]
        case .notExamined: lines = ["Structure: not verified (the pages were not examined)"]
        }
        for finding in findings {
            lines.append("ERROR: page \(finding.page) (tree objidFDP \(finding.tree)): \(finding.message) [\(finding.jetError)]")
        }
        if findingsOmitted > 0 { lines.append("\(findingsOmitted) more structure finding(s) not listed") }
        return lines
    }
}
