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
    /// The last page the database owns, from its root's space (the root page's space header
    /// and OwnExt tree): the size ESE allocated. Nil when those pages were not read or do
    /// not say.
    public var ownedPages: UInt32?
    /// The highest page number a sibling link (`pgnoPrev`, `pgnoNext`) of a good page names.
    public var highestLinkedPage: UInt32 = 0
    /// What the structure walk found (nil until the session finishes).
    public var structure: StructureReport?
    /// The comparison with the flush map (`<db>.jfm`), when there is one (nil until the session
    /// finishes, and when no map was found or handed in).
    public var flushMap: FlushMapCheck?
    /// Pages that failed their checksum and read differently when read again (`--retries`),
    /// by page number.
    public var unstablePages: [UnstablePage] = []
    /// What was verified and what was not (a page range, a recheck, `--fail-fast`).
    public var scope = CheckScope()
    /// What the run took from a state file instead of reading (`--state`); nil when it
    /// read everything itself.
    public var resumed: ResumedProgress?
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

    /// Data pages the file holds (pages after the header and its shadow).
    public var dataPages: Int {
        guard let pageSize, pageSize > 0 else { return 0 }
        return max(0, Int(fileSize / UInt64(pageSize)) - PageLayout.reservedPages)
    }

    /// Why the file is shorter than the database it holds, when the file itself proves it — also
    /// when it ends exactly on a page boundary: only header pages; the root's space owning pages
    /// beyond the end; a good page linking to a page beyond the end. Nil when nothing proves it.
    public var truncation: String? {
        guard headers != nil else { return nil }
        let pages = dataPages
        if pages == 0 {
            return "the file holds only its header pages: every database has at least its root page (pgno 1)"
        }
        if let owned = ownedPages ?? structure?.lastOwnedPage, Int(owned) > pages {
            return "the database owns pages 1-\(owned) (its root's space tree), but the file ends after page \(pages): \(Int(owned) - pages) pages are missing"
        }
        if Int(highestLinkedPage) > pages {
            return "a page links to page \(highestLinkedPage), but the file ends after page \(pages)"
        }
        if let referenced = structure?.highestReferencedPage, Int(referenced) > pages {
            return "a tree references page \(referenced), but the file ends after page \(pages)"
        }
        return nil
    }

    /// Whether the file was examined in full, is not shorter than the database, has no bad
    /// or misnumbered page, no unstable page, no damaged tree, and its scope is complete:
    /// `ese-verify db`'s success condition.
    public var passed: Bool {
        isFullyExamined && hasNoBadPages && truncation == nil && !structureDamageIsFinal && !lostFlushIsFinal && unstablePages.isEmpty
            && !scope.leavesVerdictIncomplete
    }

    /// Whether pages miss a write the flush map records, in a database that needs no replay
    /// (recovery resets the flush state of the pages it replays: bf.cxx:19196-19235).
    public var lostFlushIsFinal: Bool {
        (flushMap?.hasLostFlushes ?? false) && !(flushMap?.beforeReplay ?? false)
    }

    /// Whether the structure walk found damage that stands as it is: in a database that needs
    /// no log replay. Damage in a dirty database may be trees caught mid-flight, which recovery
    /// repairs (a warning then).
    public var structureDamageIsFinal: Bool {
        (structure?.isDamaged ?? false) && !(header?.state.needsLogReplay ?? false)
    }
}
