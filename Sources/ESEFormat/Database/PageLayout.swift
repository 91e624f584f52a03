/// The geometry of database pages of one size: header size, checksum blocks, and the
/// mapping between logical page numbers and file offsets.
///
/// Small pages (2, 4, 8 KiB) have a 40-byte header and one checksum. Large pages
/// (16, 32 KiB) have an 80-byte header and four checksums, one per block: 4 KiB blocks
/// on 16 KiB pages, 8 KiB blocks on 32 KiB pages. ESE: `FIsSmallPage`, `CbBlockSize`.
public struct PageLayout: Hashable, Sendable {
    /// Page sizes a database may use. ESE: `FValidCbPage` (2 KiB is legacy).
    public static let validPageSizes: [Int] = [2048, 4096, 8192, 16384, 32768]

    /// Pages reserved at the start of a database file: the header and its shadow.
    /// ESE: `cpgDBReserved`.
    public static let reservedPages = 2

    /// Page size in bytes. ESE: `cbPage`.
    public let pageSize: Int

    /// Creates the layout for `pageSize`, or nil when it is not a valid page size.
    public init?(pageSize: Int) {
        guard Self.validPageSizes.contains(pageSize) else { return nil }
        self.pageSize = pageSize
    }

    /// Whether pages carry the large-page header and four checksums.
    public var isLarge: Bool { pageSize > 8192 }

    /// Size of the page header. ESE: `sizeof(PGHDR)` or `sizeof(PGHDR2)`.
    public var headerSize: Int { isLarge ? 80 : 40 }

    /// Size of each checksum block.
    public var blockSize: Int {
        if !isLarge { return pageSize }
        return pageSize <= 16384 ? 4096 : 8192
    }

    /// Number of checksum blocks (1 or 4).
    public var blockCount: Int { isLarge ? 4 : 1 }

    /// Byte range of checksum block `index` inside the page.
    public func blockRange(_ index: Int) -> Range<Int> {
        let start = index * blockSize
        return start..<min(start + blockSize, pageSize)
    }

    /// Logical page number of the page at physical index `physicalIndex` (0 and 1 are the
    /// header and shadow). ESE: `PgnoOfOffset`.
    public func pageNumber(physicalIndex: Int) -> UInt32? {
        guard physicalIndex >= Self.reservedPages, physicalIndex - 1 <= Int(UInt32.max) else { return nil }
        return UInt32(physicalIndex - 1)
    }

    /// Logical page number of the page starting at `fileOffset`, or nil for a header
    /// page or an offset not on a page boundary. ESE: `PgnoOfOffset`.
    public func pageNumber(fileOffset: UInt64) -> UInt32? {
        guard fileOffset % UInt64(pageSize) == 0 else { return nil }
        let physical = fileOffset / UInt64(pageSize)
        guard physical >= UInt64(Self.reservedPages), physical - 1 <= UInt64(UInt32.max) else { return nil }
        return UInt32(physical - 1)
    }

    /// File offset of logical page `pageNumber` (≥ 1). ESE: `OffsetOfPgno`.
    public func fileOffset(pageNumber: UInt32) -> UInt64 {
        (UInt64(pageNumber) + 1) * UInt64(pageSize)
    }
}
