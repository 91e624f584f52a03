/// What a check verified, and what it did not: a partial scope never yields `consistent`.
/// Each check not performed is one `Skipped` entry (a page range, a recheck, `--fail-fast`
/// stopping early, a structure check turned off); `pages` names the pages selected when only
/// some were asked for. A complete scope has no entry.
public struct CheckScope: Hashable, Sendable {
    /// One check that was not performed, and why.
    public struct Skipped: Hashable, Sendable {
        /// The machine name of what was not verified (`pagesOutsideRange`, `structure`, …).
        public struct What: StableCode {
            /// The stable machine name, as JSON carries it.
            public let rawValue: String
            /// Creates a name.
            public init(rawValue: String) { self.rawValue = rawValue }

            /// `pagesOutsideRange`: pages outside `--pages A-B`.
            public static let pagesOutsideRange: Self = "pagesOutsideRange"
            /// `pagesNotRechecked`: pages an earlier report did not name (`--recheck`).
            public static let pagesNotRechecked: Self = "pagesNotRechecked"
            /// `remainingPages`: pages `--fail-fast` did not read after the deciding finding.
            public static let remainingPages: Self = "remainingPages"
            /// `pages`: the pages of a database whose backup holds logs only.
            public static let pages: Self = "pages"
            /// `structure`: the B-tree and space-tree walk, turned off (`--no-structure`).
            public static let structure: Self = "structure"
        }

        /// What was not verified.
        public var what: What
        /// Why, in a sentence.
        public var reason: String
        /// Whether the gap is reported as a warning only, leaving the verdict as it is: a check
        /// turned off on request (`--no-structure`) or pages a log-only backup does not hold.
        /// Other gaps make the verdict `incomplete`.
        public var isWarning: Bool

        /// Creates an entry.
        public init(what: What, reason: String, isWarning: Bool = false) {
            self.what = what
            self.reason = reason
            self.isWarning = isWarning
        }
    }

    /// Checks not performed; empty when the scope is complete.
    public var skipped: [Skipped] = []
    /// The page selection, when only some pages were asked for.
    public var pages: PageSelection?
    /// Where `--fail-fast` stopped reading, when it did.
    public var stop: FailFastStop?

    /// A complete scope.
    public init() {}

    /// Whether everything was verified.
    public var isComplete: Bool { skipped.isEmpty }

    /// Whether a gap makes the verdict `incomplete` (one that is not a warning).
    public var leavesVerdictIncomplete: Bool { skipped.contains { !$0.isWarning } }

    /// Adds `entry` unless an entry of the same `what` is already there.
    public mutating func skip(_ entry: Skipped) {
        if !skipped.contains(where: { $0.what == entry.what }) { skipped.append(entry) }
    }

    /// The union of several scopes (a storage group's, from its databases'): every entry
    /// once; the selection when they all share one.
    public static func merged(_ scopes: [CheckScope]) -> CheckScope {
        var result = CheckScope()
        for scope in scopes { for entry in scope.skipped { result.skip(entry) } }
        result.stop = scopes.lazy.compactMap(\.stop).first { $0.decidingPage != nil } ?? scopes.lazy.compactMap(\.stop).first
        let selections = Set(scopes.compactMap(\.pages))
        if selections.count == 1 { result.pages = selections.first }
        return result
    }
}

/// The pages a check was limited to: a range (`--pages A-B`) for every database, or the
/// pages an earlier report named (`--recheck`), per database. Logical page numbers (ESE `pgno`).
public struct PageSelection: Hashable, Sendable {
    /// Where the selection came from.
    public enum Origin: String, Hashable, Sendable {
        /// `--pages A-B`.
        case range
        /// `--recheck REPORT.json`: the pages with findings in an earlier report.
        case recheck
    }

    /// Where the selection came from.
    public var origin: Origin
    /// Pages of every database (`range`), or of databases not named in `byPath`.
    public var ranges: [ClosedRange<UInt32>]
    /// Pages per database path (`recheck`); a database it does not name gets `ranges`.
    public var byPath: [String: [ClosedRange<UInt32>]]

    /// Creates a selection.
    public init(origin: Origin, ranges: [ClosedRange<UInt32>], byPath: [String: [ClosedRange<UInt32>]] = [:]) {
        self.origin = origin
        self.ranges = ranges
        self.byPath = byPath
    }

    /// The selected pages of the database at `path`, sorted and merged.
    public func ranges(for path: String) -> [ClosedRange<UInt32>] {
        let chosen = (byPath[path] ?? ranges).sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in chosen {
            if let last = merged.last, last.upperBound == .max || range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// The selection as it applies to one database (its own ranges only).
    public func restricted(to path: String) -> PageSelection {
        PageSelection(origin: origin, ranges: ranges(for: path))
    }
}
