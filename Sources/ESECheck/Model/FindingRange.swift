import ESEFormat

/// A run of consecutive pages with the same finding: `kind` (`correctable`, `badChecksum`,
/// `wrongPageNumber`) on every page from `firstPage` through `lastPage`. A database whose
/// every page is damaged the same way is one range, whatever its size.
public struct FindingRange: Hashable, Sendable {
    /// The finding's kind, as `PageOutcome.kind` names it.
    public var kind: PageOutcome.Kind
    /// The first page of the run (logical page number).
    public var firstPage: UInt32
    /// The last page of the run (logical page number).
    public var lastPage: UInt32

    /// Creates a range.
    public init(kind: PageOutcome.Kind, firstPage: UInt32, lastPage: UInt32) {
        self.kind = kind
        self.firstPage = firstPage
        self.lastPage = lastPage
    }

    /// Pages in the run.
    public var count: Int { Int(lastPage) - Int(firstPage) + 1 }

    /// `first-last`, or the page alone for a run of one.
    public var text: String { firstPage == lastPage ? "\(firstPage)" : "\(firstPage)-\(lastPage)" }
}
