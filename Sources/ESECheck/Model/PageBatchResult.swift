import ESEFormat

/// What one `checkPages` call found. The shape of CHKSGFILES' `PAGE_INFO` array, with all four
/// checksums of large pages (as `JET_PAGEINFO2`).
public struct PageBatchResult: Hashable, Sendable {
    /// One check per data page in the batch, in order.
    public var pages: [PageCheck]
    /// Checks of header pages the batch included (file offsets 0 and one page).
    public var headerPages: [HeaderPageCheck]
    /// Success, or what the final verdict will hold against these pages: −1018 when a data
    /// page is bad, −535 for a bad trailer page, −1021 when a page conflicts with a copy
    /// checked before, −4001 for a partial last page. CHKSGFILES: `ErrCheckDbPages`' result.
    public var jetError: JetError
    /// The trailer (patch) page, when the batch holds the last page and it is header-type.
    public var trailer: TrailerCheck?
    /// File offsets of pages of the batch whose copy disagrees with one checked before
    /// (header pages: with the copy the header check read). They are not verified until
    /// resubmitted.
    public var conflictingOffsets: [UInt64] = []
    /// Bytes of a partial page the batch ended with (the file is not a whole number of
    /// pages); 0 when none. The partial page is not checked and is reported (`partialPage`).
    public var partialPageBytes = 0
    /// Where that partial page starts.
    public var partialPageOffset: UInt64?

    /// Creates a result.
    public init(pages: [PageCheck], headerPages: [HeaderPageCheck], jetError: JetError) {
        self.pages = pages
        self.headerPages = headerPages
        self.jetError = jetError
    }
}
