/// The tag array of a database page and the nodes it points to. ESE: `CPAGE` tags
/// (`TAG::Cb`, `TAG::Ib`, `TAG::FFlags`, cpage.cxx) and `KEYDATAFLAGS` nodes (node.hxx).
///
/// Tags are 4 bytes each, stored backwards from the end of the page: tag `i` at
/// `pageSize − 4·(i+1)`, `cb` then `ib` (relative to the end of the page header). Small pages
/// keep 13-bit values with the node flags in the top 3 bits of `ib`; large pages keep 15-bit
/// values with the node flags in the top 3 bits of the node's first 16-bit word.
/// Tag 0 is the page's external header. Every read is bounds-checked against the page.
public enum PageNodes {
    /// Node flags. ESE: `fNDVersion` (1), `fNDDeleted` (2), `fNDCompressed` (4).
    public struct Flags: OptionSet, Hashable, Sendable {
        /// The raw 3-bit value.
        public let rawValue: UInt8
        /// Creates flags from their raw value.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The node has versions in the version store. ESE: `fNDVersion`.
        public static let versioned = Flags(rawValue: 1)
        /// The node is flagged deleted. ESE: `fNDDeleted`.
        public static let deleted = Flags(rawValue: 2)
        /// The key is prefix-compressed. ESE: `fNDCompressed`.
        public static let compressed = Flags(rawValue: 4)
    }

    /// One node: its flags and where its bytes lie in the page.
    public struct Node: Hashable, Sendable {
        /// The node's flags.
        public var flags: Flags
        /// The node's bytes within the page.
        public var bytes: Range<Int>
    }

    /// Tags on the page (`itagMicFree`), or nil when the tag array cannot fit in the page.
    public static func count(_ page: RawSpan, layout: PageLayout) -> Int? {
        guard page.byteCount == layout.pageSize else { return nil }
        let count = Int(page.uint16(at: PageHeader.Offset.tagState) & 0x0FFF)
        guard layout.headerSize + 4 * count <= layout.pageSize else { return nil }
        return count
    }

    /// Node `index` (0 is the external header), or nil when its tag points outside the data
    /// area between the page header and the tag array.
    public static func node(_ page: RawSpan, layout: PageLayout, index: Int) -> Node? {
        guard let count = count(page, layout: layout), (0..<count).contains(index) else { return nil }
        let tag = layout.pageSize - 4 * (index + 1)
        let rawSize = page.uint16(at: tag), rawOffset = page.uint16(at: tag + 2)
        let mask: UInt16 = layout.isLarge ? 0x7FFF : 0x1FFF
        let size = Int(rawSize & mask), offset = Int(rawOffset & mask)
        let start = layout.headerSize + offset, end = start + size
        guard end <= layout.pageSize - 4 * count else { return nil }
        var flags = UInt8(truncatingIfNeeded: rawOffset >> 13)
        if layout.isLarge {
            flags = size >= 2 ? UInt8(truncatingIfNeeded: page.uint16(at: start) >> 13) : 0
        }
        return Node(flags: Flags(rawValue: flags & 0x7), bytes: start..<end)
    }

    /// The key and data of an uncompressed node (index ≥ 1), or nil when the node is prefix-
    /// compressed or its key length runs past the node. ESE: `NDIGetKeydataflags`.
    public static func keyAndData(_ page: RawSpan, layout: PageLayout, index: Int) -> (flags: Flags, key: Range<Int>, data: Range<Int>)? {
        guard index >= 1, let node = node(page, layout: layout, index: index), !node.flags.contains(.compressed),
              node.bytes.count >= 2 else { return nil }
        let keySize = Int(page.uint16(at: node.bytes.lowerBound) & 0x1FFF)
        let keyStart = node.bytes.lowerBound + 2
        guard keyStart + keySize <= node.bytes.upperBound else { return nil }
        return (node.flags, keyStart..<keyStart + keySize, keyStart + keySize..<node.bytes.upperBound)
    }
}
