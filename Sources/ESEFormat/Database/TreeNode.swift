/// A B-tree node as ESE stores it: optional prefix count, key suffix, data. ESE: `KEYDATAFLAGS`
/// read by `NDILineToKeydataflags` (node.cxx:143-227), `cbKeyCount`/`cbPrefixOverhead` = 2
/// (daeconst.hxx:220-221), `usNDCbKeyMask` = 0x1FFF (node.hxx:245). docs/structure-format.md §1.
public struct TreeNode: Hashable, Sendable {
    /// The node's flags (`fNDVersion`, `fNDDeleted`, `fNDCompressed`).
    public var flags: PageNodes.Flags
    /// Bytes of the key taken from the page's external header (tag 0). ESE: `key.prefix.Cb()`.
    public var prefixCount: Int
    /// The key bytes stored in the node. ESE: `key.suffix`.
    public var suffix: Range<Int>
    /// The node's data. ESE: `data`.
    public var data: Range<Int>

    /// Why a node cannot be read, in ESE's words where it has them.
    public enum Problem: Error, Hashable, Sendable {
        /// The tag points outside the data area (cpage.cxx `ErrCheckPage` already rejects it).
        case tagOutOfBounds
        /// The key counts and key leave no data byte: ESE `JET_errNodeCorrupted`
        /// ("SuffixLeavesRoomForZeroData", node.cxx:194-206).
        case noRoomForData
    }

    /// Node `index` (≥ 1) of an initialized page, or the problem that stops reading it.
    public static func read(_ page: RawSpan, layout: PageLayout, index: Int) -> Result<TreeNode, Problem> {
        guard index >= 1, let node = PageNodes.node(page, layout: layout, index: index) else { return .failure(.tagOutOfBounds) }
        var cursor = node.bytes.lowerBound
        var overhead = 2
        var prefix = 0
        if node.flags.contains(.compressed) {
            guard node.bytes.count >= 2 else { return .failure(.noRoomForData) }
            prefix = Int(page.uint16(at: cursor) & 0x1FFF)
            cursor += 2
            overhead += 2
        }
        // node.cxx:178-206: the line must hold the counts, the suffix and at least one data byte.
        guard node.bytes.count > overhead else { return .failure(.noRoomForData) }
        let suffixCount = Int(page.uint16(at: cursor) & 0x1FFF)
        let suffixStart = cursor + 2
        guard suffixCount < node.bytes.count - overhead else { return .failure(.noRoomForData) }
        let dataStart = suffixStart + suffixCount
        return .success(TreeNode(flags: node.flags, prefixCount: prefix, suffix: suffixStart..<dataStart,
                                 data: dataStart..<node.bytes.upperBound))
    }

    /// The whole key: the first `prefixCount` bytes of the external header (tag 0) followed by
    /// the suffix, or nil when the external header is shorter than the prefix.
    public func key(in page: RawSpan, layout: PageLayout) -> [UInt8]? {
        var key: [UInt8] = []
        if prefixCount > 0 {
            guard let header = PageNodes.node(page, layout: layout, index: 0), header.bytes.count >= prefixCount else { return nil }
            key = page.bytes(at: header.bytes.lowerBound, count: prefixCount)
        }
        return key + page.bytes(at: suffix.lowerBound, count: suffix.count)
    }
}
