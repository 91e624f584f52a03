import ESEFormat

/// A database's last page examined as a header-type page (a streaming backup's patch page,
/// recognised as eseutil /k does).
public struct TrailerCheck: Hashable, Sendable {
    /// The physical page index.
    public var physicalPage: Int
    /// The checksum comparison.
    public var checksum: HeaderPageCheck
}

/// Everything checking one database file found.
public struct DatabaseReport: Hashable, Sendable {
    /// The file checked.
    public var path: String
    /// Its size in bytes when opened.
    public var fileSize: UInt64
    /// The header choice and the parsed header, when a valid header was found.
    public var headers: HeaderSelection?
    /// Page verdicts of every data page.
    public var tally = PageTally()
    /// The last page, when it looks like a header-type (patch) page.
    public var trailer: TrailerCheck?
    /// Byte ranges that could not be read (after one retry).
    public var readFailures: [ReadFailure] = []
    /// Why (part of) the file could not be examined; empty when it was examined in full.
    public var errors: [CheckError] = []
    /// Observations that are not failures (header invariants ESE asserts, shadow differences).
    public var warnings: [String] = []
    /// Bytes read while checking.
    public var bytesRead: UInt64 = 0
    /// Wall-clock seconds spent on this file (shared with others when checked in parallel).
    public var elapsedSeconds: Double = 0

    /// Creates an empty report for `path`.
    public init(path: String, fileSize: UInt64) {
        self.path = path
        self.fileSize = fileSize
    }

    /// The parsed header in use.
    public var header: DatabaseHeader? { headers?.header }
    /// The page size, when known.
    public var pageSize: Int? { headers?.pageSize }
    /// Counts by verdict.
    public var pages: PageCounts { tally.counts }

    /// Whether every byte could be read and examined.
    public var isFullyExamined: Bool { errors.isEmpty && readFailures.isEmpty && headers != nil }

    /// Whether no page (or trailer) is bad.
    public var hasNoBadPages: Bool { pages.bad == 0 && (trailer?.checksum.isValid ?? true) }

    /// Whether the file was examined in full and has no bad or misnumbered page:
    /// `ese-verify db`'s success condition.
    public var passed: Bool { isFullyExamined && hasNoBadPages }
}
