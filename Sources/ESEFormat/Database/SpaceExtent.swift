/// One extent of an OwnExt or AvailExt tree: the pages `lastPage − pageCount + 1 … lastPage`.
/// ESE: the node key `SPEXTKEY` (space.cxx:1134-1290: 4 bytes big-endian `pgnoLast`, or a
/// pool byte with 0x80 set and then `pgnoLast`) and data `SPEXTDATA` (space.cxx:1378, the
/// 4-byte `cpgExtent`). docs/structure-format.md §3.
public struct SpaceExtent: Hashable, Sendable {
    /// The extent's last page. ESE: `PgnoLast()`.
    public var lastPage: UInt32
    /// Pages in the extent. ESE: `CpgExtent()`.
    public var pageCount: UInt32
    /// The space pool (AvailExt only; 0 is the legacy general pool). ESE: `SpacePool`.
    public var pool: UInt8

    /// Creates an extent.
    public init(lastPage: UInt32, pageCount: UInt32, pool: UInt8 = 0) {
        self.lastPage = lastPage
        self.pageCount = pageCount
        self.pool = pool
    }

    /// The extent a space-tree node holds, or nil when its key or data has another shape.
    public init?(node: TreeNode, page: RawSpan, layout: PageLayout) {
        guard node.data.count >= 4, let key = node.key(in: page, layout: layout) else { return nil }
        let start: Int
        switch key.count {
        case 4: start = 0; pool = 0
        case 5:
            // space.cxx:1150-1156: the new key's first byte carries fSPAvailExtReservedPool (0x80).
            guard key[0] & 0x80 != 0 else { return nil }
            start = 1; pool = key[0] & 0x07
        default: return nil
        }
        lastPage = UInt32(key[start]) << 24 | UInt32(key[start + 1]) << 16 | UInt32(key[start + 2]) << 8 | UInt32(key[start + 3])
        pageCount = page.uint32(at: node.data.lowerBound)
    }
}
