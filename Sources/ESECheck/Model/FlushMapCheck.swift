import ESEFormat

/// The comparison of a database's pages with its flush map (`<db>.jfm`): ESE's lost-flush
/// check (−1119, cpage.cxx:4364-4384) made for every page at once. docs/flush-map.md.
public struct FlushMapCheck: Hashable, Sendable {
    /// What became of the map.
    public enum Status: String, Hashable, Sendable {
        /// The map is one ESE would trust: every page it knows was compared.
        case compared
        /// A map ESE would not use (another database's, an older one, one that cannot be
        /// rebuilt, an unsupported version): ESE deletes it and starts a new one, so nothing
        /// is compared — and nothing is wrong (flushmap.cxx:2154-2240, 294-588).
        case ignored
        /// The map could not be read or parsed (too short, its header fails its checksum, not a
        /// flush map): ESE would replace it too, but the copy may have damaged it — a warning.
        case unreadable
    }

    /// A page whose flush type differs from the one the map recorded: the page misses its
    /// last write (a lost flush).
    public struct Mismatch: Hashable, Sendable {
        /// The database page. ESE: `pgno`.
        public var page: UInt32
        /// The flush type the map records (1–3). ESE: `pgftExpected`.
        public var expected: Int
        /// The flush type on the page (1–3), 0 for an all-zero page a tree references. ESE: `Pgft()`.
        public var actual: Int
        /// The map page holding the state. ESE: `fmpgno`.
        public var mapPage: Int
    }

    /// The map file (or the name it was handed in under).
    public var path: String
    /// What became of it.
    public var status: Status
    /// Why it was ignored or unreadable.
    public var reason: String?
    /// The error ESE logs for the map when it sets it aside (−1018, −1812, −1918, −1919, −1920).
    public var jetError: JetError?
    /// Whether the map was closed cleanly. ESE: `FMFILEHDR::FClean()`.
    public var clean: Bool?
    /// Map pages in the file (each describes 32,512 database pages).
    public var mapPages = 0
    /// Map pages (of those describing the file's pages) ESE would treat as unknown: all zero,
    /// failing their checksum, or vouching for a lower database time than a page they describe holds (ESE then invalidates the map
    /// page: flushmap.cxx:2932-2952).
    public var mapPagesUnusable: [Int] = []
    /// Of those, the map pages failing their checksum (damage the copy may have done: a
    /// warning); all-zero map pages were never written and outdated ones are ESE's own event.
    public var mapPagesDamaged: [Int] = []
    /// Pages both the map and the page know a flush type for: the pages compared.
    public var pagesCompared = 0
    /// All-zero pages the map says were written (ESE −1119 on their read). Those a tree
    /// references are also mismatches (with `actual` 0); the rest are free pages ESE never reads.
    public var zeroedPagesKnown = 0
    /// Whether the database needs log replay: recovery takes the flush state of the pages it
    /// replays from the pages themselves (bf.cxx:19196-19235), so mismatches are warnings.
    public var beforeReplay = false
    /// Every mismatch counted.
    public var mismatchCount = 0
    /// The mismatches of the lowest pages, at most the finding limit.
    public var mismatches: [Mismatch] = []

    /// Creates a result for the map at `path`.
    public init(path: String, status: Status) {
        self.path = path
        self.status = status
    }

    /// Whether pages miss a write the map records.
    public var hasLostFlushes: Bool { mismatchCount > 0 }
}

extension VerdictReason.Code {
    /// `lostFlush`: pages miss a write the flush map records (−1119).
    public static let lostFlush: Self = "lostFlush"
    /// `lostFlushBeforeReplay`: flush types differ in a database recovery has yet to replay.
    public static let lostFlushBeforeReplay: Self = "lostFlushBeforeReplay"
    /// `flushMapUnreadable`: the flush map beside the database could not be read or parsed.
    public static let flushMapUnreadable: Self = "flushMapUnreadable"
}
