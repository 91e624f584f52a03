/// Where `--fail-fast` stopped reading a database (`CheckScope.stop`): the finding that decided
/// the verdict, and the pages left unread. Reading stops within one read window (1 MiB with
/// `pread`) of the deciding page on the thread that found it, and other threads stop at their
/// next window.
public struct FailFastStop: Hashable, Sendable {
    /// The page whose finding decided the verdict (ESE `pgno`): the lowest bad or unstable page
    /// when the stop was decided; nil when this database was stopped by another's finding, or
    /// by a read failure or a bad trailer page.
    public var decidingPage: UInt32?
    /// Data pages of the database that were not read because reading stopped.
    public var pagesNotRead: Int
    /// The lowest of those pages (ESE `pgno`); nil when none was left unread.
    public var firstPageNotRead: UInt32?

    /// Creates a record of a stop.
    public init(decidingPage: UInt32? = nil, pagesNotRead: Int = 0, firstPageNotRead: UInt32? = nil) {
        self.decidingPage = decidingPage
        self.pagesNotRead = pagesNotRead
        self.firstPageNotRead = firstPageNotRead
    }

    /// Adds the pages `pages` (logical page numbers) to those not read.
    mutating func noteNotRead(_ pages: ClosedRange<UInt32>) {
        pagesNotRead += pages.count
        firstPageNotRead = min(firstPageNotRead ?? .max, pages.lowerBound)
    }
}
