/// The fixed header at the start of every database page. ESE: `PGHDR` (40 bytes) and,
/// for 16/32 KiB pages, `PGHDR2` (80 bytes).
public struct PageHeader: Hashable, Sendable {
    /// Byte offsets of the header's fields: the one place they are written down.
    /// ESE: `PGHDR` and `PGHDR2` (cpage.hxx).
    public enum Offset {
        /// The checksum of the page (small) or of block 0 (large). ESE: `checksum`.
        public static let checksum = 0
        /// ESE: `dbtimeDirtied`.
        public static let databaseTime = 8
        /// ESE: `pgnoPrev`.
        public static let previousPage = 16
        /// ESE: `pgnoNext`.
        public static let nextPage = 20
        /// ESE: `objidFDP`.
        public static let objectID = 24
        /// ESE: `cbFree`.
        public static let freeBytes = 28
        /// ESE: `cbUncommittedFree`.
        public static let uncommittedFreeBytes = 30
        /// ESE: `ibMicFree`.
        public static let firstFreeByte = 32
        /// ESE: `itagState`.
        public static let tagState = 34
        /// ESE: `fFlags`.
        public static let flags = 36
        /// Large pages: the checksums of blocks 1–3. ESE: `PGHDR2.rgChecksum`.
        public static let blockChecksums = 40
        /// Large pages: the page's own number. ESE: `PGHDR2.pgno`.
        public static let pageNumber = 64
    }

    /// The stored checksum of the first block. ESE: `checksum`.
    public var checksum: UInt64
    /// Database time of the last change. ESE: `dbtimeDirtied`.
    public var databaseTime: UInt64
    /// Previous sibling page. ESE: `pgnoPrev`.
    public var previousPage: UInt32
    /// Next sibling page. ESE: `pgnoNext`.
    public var nextPage: UInt32
    /// The B-tree that owns the page. ESE: `objidFDP`.
    public var objectID: UInt32
    /// Free bytes. ESE: `cbFree`.
    public var freeBytes: UInt16
    /// Free bytes not yet committed. ESE: `cbUncommittedFree`.
    public var uncommittedFreeBytes: UInt16
    /// First free byte after the header. ESE: `ibMicFree`.
    public var firstFreeByte: UInt16
    /// Tag count (bits 0–11) and reserved tag count (bits 12–14). ESE: `itagState`.
    public var tagState: UInt16
    /// Page flags. ESE: `fFlags`.
    public var flags: PageFlags
    /// Stored checksums of blocks 1–3 (large pages only; empty on small pages).
    /// ESE: `PGHDR2.rgChecksum`.
    public var blockChecksums: [UInt64]
    /// The page's own number (large pages only). ESE: `PGHDR2.pgno`.
    public var pageNumber: UInt32?

    /// Number of tags. ESE: `itagMicFree`.
    public var tagCount: Int { Int(tagState & 0x0FFF) }

    /// The checksum format the page declares.
    public var checksumFormat: ChecksumFormat {
        flags.contains(.newChecksumFormat) ? .eccXOR : .legacyXOR
    }

    /// The sibling links of a page without parsing the rest of its header: (`pgnoPrev`,
    /// `pgnoNext`), or nil when the span is shorter than a page header.
    public static func siblingLinks(_ page: RawSpan) -> (previous: UInt32, next: UInt32)? {
        guard page.byteCount >= 40 else { return nil }
        return (page.uint32(at: Offset.previousPage), page.uint32(at: Offset.nextPage))
    }

    /// Parses the header of `page`, using the large layout when `layout.isLarge`.
    /// - Throws: `FormatError.truncated` when the span is shorter than the header.
    public init(parsing page: RawSpan, layout: PageLayout) throws(FormatError) {
        guard page.byteCount >= layout.headerSize else {
            throw FormatError(.truncated, structure: layout.isLarge ? "PGHDR2" : "PGHDR",
                              expected: "\(layout.headerSize) bytes", found: "\(page.byteCount) bytes")
        }
        checksum = page.uint64(at: Offset.checksum)
        databaseTime = page.uint64(at: Offset.databaseTime)
        previousPage = page.uint32(at: Offset.previousPage)
        nextPage = page.uint32(at: Offset.nextPage)
        objectID = page.uint32(at: Offset.objectID)
        freeBytes = page.uint16(at: Offset.freeBytes)
        uncommittedFreeBytes = page.uint16(at: Offset.uncommittedFreeBytes)
        firstFreeByte = page.uint16(at: Offset.firstFreeByte)
        tagState = page.uint16(at: Offset.tagState)
        flags = PageFlags(rawValue: page.uint32(at: Offset.flags))
        if layout.isLarge {
            blockChecksums = [0, 8, 16].map { page.uint64(at: Offset.blockChecksums + $0) }
            pageNumber = page.uint32(at: Offset.pageNumber)
        } else {
            blockChecksums = []
            pageNumber = nil
        }
    }
}
