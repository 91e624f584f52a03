// The final report as the C result calls read it, built once by `esecheck_term`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ESECheck

/// The report of a finished session in the shapes esecheck.h hands out. Immutable once
/// built; it owns the C strings of the reasons (`esecheck_reason`), freed with the session,
/// so any thread may read it.
final class CResults: @unchecked Sendable {
    /// One database's page runs (logical page numbers), in the order of `CoverageMap`.
    struct PageRanges {
        var missing: [PageRangeLayout]
        var duplicated: [PageRangeLayout]
        var conflicting: [PageRangeLayout]

        init(_ coverage: CoverageMap) {
            func layouts(_ ranges: [ClosedRange<Int>]) -> [PageRangeLayout] {
                ranges.map { PageRangeLayout(first: UInt32(clamping: $0.lowerBound), last: UInt32(clamping: $0.upperBound)) }
            }
            missing = layouts(coverage.missing)
            duplicated = layouts(coverage.duplicated)
            conflicting = layouts(coverage.conflicting)
        }
    }

    let summary: SummaryLayout
    let replayPlan: ReplayPlanLayout
    let databases: [DatabaseResultLayout]
    let ranges: [PageRanges]
    let reasons: [[ReasonLayout]]
    /// Each database's structure walk.
    let structures: [StructureLayout]
    /// Each database's structure findings, as listed in the report.
    let structureFindings: [[StructureFindingLayout]]
    /// Every string `reasons` and `structureFindings` point to, freed in `deinit`.
    private let strings: [UnsafeMutablePointer<CChar>]

    init(_ report: StorageGroupReport) {
        var strings: [UnsafeMutablePointer<CChar>] = []
        func owned(_ text: String) -> UnsafePointer<CChar>? {
            guard let copy = strdup(text) else { return nil }
            strings.append(copy)
            return UnsafePointer(copy)
        }
        summary = SummaryLayout(report)
        replayPlan = ReplayPlanLayout(report)
        ranges = report.databases.map { PageRanges($0.coverage) }
        databases = zip(report.databases, ranges).map { DatabaseResultLayout($0, ranges: $1) }
        reasons = report.databases.map { database in
            database.reasons.map { reason in
                ReasonLayout(code: owned(reason.code.rawValue), message: owned(reason.message),
                             jetError: reason.jetError?.code ?? 0, isWarning: reason.isWarning ? 1 : 0)
            }
        }
        structures = report.databases.map { StructureLayout($0.report.structure) }
        structureFindings = report.databases.map { database in
            (database.report.structure?.findings ?? []).map { finding in
                StructureFindingLayout(message: owned(finding.message), page: finding.page, tree: finding.tree,
                                       jetError: finding.jetError.code)
            }
        }
        self.strings = strings
    }

    deinit {
        for string in strings { free(string) }
    }
}
