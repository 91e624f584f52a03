/// The fixed header at the start of every database page. ESE: `PGHDR` (40 bytes) and,
/// for 16/32 KiB pages, `PGHDR2` (80 bytes).
public struct PageHeader: Hashable, Sendable {
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
        return (page.uint32(at: 16), page.uint32(at: 20))
    }

    /// Parses the header of `page`, using the large layout when `layout.isLarge`.
    /// - Throws: `FormatError.truncated` when the span is shorter than the header.
    public init(parsing page: RawSpan, layout: PageLayout) throws(FormatError) {
        guard page.byteCount >= layout.headerSize else {
            throw FormatError(.truncated, structure: layout.isLarge ? "PGHDR2" : "PGHDR",
                              expected: "\(layout.headerSize) bytes", found: "\(page.byteCount) bytes")
        }
        checksum = page.uint64(at: 0)
        databaseTime = page.uint64(at: 8)
        previousPage = page.uint32(at: 16)
        nextPage = page.uint32(at: 20)
        objectID = page.uint32(at: 24)
        freeBytes = page.uint16(at: 28)
        uncommittedFreeBytes = page.uint16(at: 30)
        firstFreeByte = page.uint16(at: 32)
        tagState = page.uint16(at: 34)
        flags = PageFlags(rawValue: page.uint32(at: 36))
        if layout.isLarge {
            blockChecksums = [page.uint64(at: 40), page.uint64(at: 48), page.uint64(at: 56)]
            pageNumber = page.uint32(at: 64)
        } else {
            blockChecksums = []
            pageNumber = nil
        }
    }
}
