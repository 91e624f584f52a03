import ESEFormat

/// What `checkDatabaseHeaders()` found. ESE/CHKSGFILES: `ErrCheckDbHeaders`.
public struct HeaderCheck: Hashable, Sendable {
    /// The databases' common page size (nil when no header is valid). CHKSGFILES: `pcbDbPageSize`.
    public var pageSize: Int?
    /// Pages at the start of each file that are not data pages (header and shadow). CHKSGFILES: `pcHeaderPagesPerDb`.
    public var headerPages = PageLayout.reservedPages
    /// The log generations the databases need: lowest `lGenMinRequired` to highest
    /// `lGenMaxRequired` over the dirty databases; nil when none needs logs.
    public var requiredGenerations: ClosedRange<Int32>?
    /// Per database: the header-level report (header choice, state, errors).
    public var databases: [DatabaseReport]
    /// Problems across databases (different page sizes or log signatures).
    public var problems: [VerdictReason]
    /// What CHKSGFILES' `ErrCheckDbHeaders` would return: success or the first error.
    public var jetError: JetError
    /// The first database whose header failed. CHKSGFILES: `piDbErrorEncountered`.
    public var firstFailedDatabase: Int?
}
