import ESEFormat

/// What the structure walk found in one database: the B-trees and space trees reached from the
/// database root and the catalog, the pages they hold, and every page where a tree is damaged
/// (docs/structure-format.md). `checked` is false when the walk did not run, and `scope` says
/// why: a database whose structure was not verified is never silently `consistent` (the
/// verdict carries a `structureNotVerified` warning).
public struct StructureReport: Hashable, Sendable {
    /// Whether the walk ran, or why it did not.
    public enum Scope: String, Hashable, Sendable {
        /// The walk ran over every tree it could reach.
        case walked
        /// Skipped on request (`--no-structure`, `CheckOptions.verifyStructure` false).
        case skipped
        /// The database root (pgno 1) or the catalog root (pgno 4) is not a tree root with its
        /// `SPACE_HEADER` (a page failed its checksum, was not supplied, or is not what ESE writes
        /// there): the trees cannot be found.
        case treesNotDiscoverable
        /// The pages that name other pages outgrew the memory bound (4 bytes per page).
        case stateLimit
        /// The database's pages were not examined (no valid header, or pages not checked).
        case notExamined
    }

    /// One damaged place in a tree.
    public struct Finding: Hashable, Sendable {
        /// The page. ESE: `pgno`.
        public var page: UInt32
        /// The tree (objidFDP) the page was reached from.
        public var tree: UInt32
        /// −1019 (a zeroed page a tree references) or −1206 (structural damage).
        public var jetError: JetError
        /// What is wrong.
        public var message: String
    }

    /// Whether the walk ran.
    public var checked: Bool { scope == .walked }
    /// Whether the walk ran, or why not.
    public var scope: Scope
    /// B-trees walked (database root, catalog, tables, indexes, long-value trees, space trees).
    public var trees = 0
    /// Pages reached by the walk: the pages in use.
    public var pagesInUse = 0
    /// Pages the AvailExt trees list as free.
    public var pagesFree: UInt64 = 0
    /// The last page the database root's OwnExt tree owns, when the walk read it.
    public var lastOwnedPage: UInt32?
    /// Pages of the file past the owned space (ESE extends files ahead of allocation, so this
    /// is information, not damage).
    public var trailingPages = 0
    /// The highest page a tree references past the end of the file (0 when none): the file is
    /// truncated.
    public var highestReferencedPage: UInt32 = 0
    /// Pages a tree references that were never supplied (a streamed session that did not send
    /// them; the coverage already makes the database `incomplete`).
    public var pagesNotSupplied = 0
    /// Damage found, page by page (at most the finding limit).
    public var findings: [Finding] = []
    /// Findings beyond the limit, counted only.
    public var findingsOmitted = 0

    /// Creates a report with a scope.
    public init(scope: Scope) { self.scope = scope }

    /// Whether any tree is damaged.
    public var isDamaged: Bool { !findings.isEmpty || findingsOmitted > 0 }

    /// The JET error of the first finding (−1019 before −1206 when both occur).
    public var jetError: JetError? {
        if findings.contains(where: { $0.jetError == .pageNotInitialized }) { return .pageNotInitialized }
        return findings.first?.jetError
    }
}
