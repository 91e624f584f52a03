/// Page flags. ESE: `PGHDR.fFlags` (`fPage*` in `cpage.hxx`).
public struct PageFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Root of a B-tree. ESE: `fPageRoot`.
    public static let root = PageFlags(rawValue: 0x1)
    /// Leaf page. ESE: `fPageLeaf`.
    public static let leaf = PageFlags(rawValue: 0x2)
    /// Parent of leaf pages. ESE: `fPageParentOfLeaf`.
    public static let parentOfLeaf = PageFlags(rawValue: 0x4)
    /// Empty page. ESE: `fPageEmpty`.
    public static let empty = PageFlags(rawValue: 0x8)
    /// Rebuilt by repair. ESE: `fPageRepair`.
    public static let repair = PageFlags(rawValue: 0x10)
    /// Space-tree page. ESE: `fPageSpaceTree`.
    public static let spaceTree = PageFlags(rawValue: 0x20)
    /// Secondary-index page. ESE: `fPageIndex`.
    public static let index = PageFlags(rawValue: 0x40)
    /// Long-value page. ESE: `fPageLongValue`.
    public static let longValue = PageFlags(rawValue: 0x80)
    /// Index with non-unique keys. ESE: `fPageNonUniqueKeys`.
    public static let nonUniqueKeys = PageFlags(rawValue: 0x400)
    /// New record format. ESE: `fPageNewRecordFormat`.
    public static let newRecordFormat = PageFlags(rawValue: 0x800)
    /// The page carries new-format (XOR+ECC) checksums. ESE: `fPageNewChecksumFormat`.
    public static let newChecksumFormat = PageFlags(rawValue: 0x2000)
    /// Scrubbed. ESE: `fPageScrubbed`.
    public static let scrubbed = PageFlags(rawValue: 0x4000)
    /// Pre-initialized. ESE: `fPagePreInit`.
    public static let preInitialized = PageFlags(rawValue: 0x20000)
    /// Being deleted with its B-tree. ESE: `fPageFDPDelete`.
    public static let fdpDelete = PageFlags(rawValue: 0x40000)

    /// The bit offset of `newChecksumFormat` within a page: byte 37, bit 5. A flip of this
    /// bit cannot be corrected. ESE: `IbitNewChecksumFormatFlag`.
    public static let newChecksumFormatBitOffset = 9 * 32 + 13

    /// The flush type used for lost-flush detection (0 unknown, 1–3 rock/paper/scissors).
    /// ESE: `maskFlushType`.
    public var flushType: Int { Int((rawValue >> 15) & 3) }
}

/// Which checksum format a page uses, decided only by `PageFlags.newChecksumFormat`.
public enum ChecksumFormat: String, Hashable, Sendable {
    /// XOR seeded with 0x89ABCDEF plus the page number in bytes 4–7; detection only.
    case legacyXOR
    /// XOR with the page number folded in plus a 32-bit ECC; corrects single-bit errors.
    case eccXOR
}
