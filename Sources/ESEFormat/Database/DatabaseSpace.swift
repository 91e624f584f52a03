/// The space a database owns, as its root records it: the size ESE allocated, which a copy
/// must hold whole. ESE: the database root (`pgnoSystemRoot` = 1) with its `SPACE_HEADER`
/// (space.hxx) in the external header, and the root's OwnExt tree, whose keys are the last
/// page of each owned extent, big-endian, and whose data is the extent's page count
/// (space.cxx, "OE [pgnoLast] [cpgExt]").
public enum DatabaseSpace {
    /// The root's space header. ESE: `SPACE_HEADER` (16 bytes).
    public struct SpaceHeader: Hashable, Sendable {
        /// Primary extent size (v1) or last allocation size (v2). ESE: `m_cpgPrimary`.
        public var primaryPages: UInt32
        /// The parent FDP (0 for the database root). ESE: `m_pgnoParent`.
        public var parentPage: UInt32
        /// Flags: 0x01 multiple extents, 0x02 non-unique, 0x04 v2. ESE: `m_ulSPHFlags`.
        public var flags: UInt32
        /// The OwnExt tree's root page when the space has multiple extents (the AvailExt root
        /// is the next page). ESE: `m_pgnoOE`.
        public var ownExtentRoot: UInt32

        /// Whether the space spans several extents (an OwnExt tree exists). ESE: `FMultipleExtent`.
        public var hasMultipleExtents: Bool { flags & 0x01 != 0 }
        /// Whether `primaryPages` is the primary extent (v1) rather than the last allocation (v2).
        public var isVersion1: Bool { flags & 0x04 == 0 }
    }

    /// The space header in the external header of the database root page (pgno 1), or nil
    /// when the page is not a root or its external header is too short.
    public static func spaceHeader(root page: RawSpan, layout: PageLayout) -> SpaceHeader? {
        guard let count = PageNodes.count(page, layout: layout), count >= 1,
              PageFlags(rawValue: page.uint32(at: PageHeader.Offset.flags)).contains(.root),
              let header = PageNodes.node(page, layout: layout, index: 0), header.bytes.count >= 16 else { return nil }
        let at = header.bytes.lowerBound
        return SpaceHeader(primaryPages: page.uint32(at: at), parentPage: page.uint32(at: at + 4),
                           flags: page.uint32(at: at + 8), ownExtentRoot: page.uint32(at: at + 12))
    }

    /// The last page the database owns: from the root alone when its space is one v1 extent
    /// (pages 1 through the primary size), else from the OwnExt root when it is a leaf of the
    /// database root's tree (objidFDP 1). Nil when the pages do not say (a multi-level OwnExt
    /// tree, a compressed key, a page that is not what the root names).
    public static func lastOwnedPage(root: RawSpan, ownExtentRoot: RawSpan?, layout: PageLayout) -> UInt32? {
        guard let header = spaceHeader(root: root, layout: layout) else { return nil }
        guard header.hasMultipleExtents else { return header.isVersion1 && header.primaryPages > 0 ? header.primaryPages : nil }
        guard let page = ownExtentRoot, let count = PageNodes.count(page, layout: layout), count >= 2 else { return nil }
        let flags = PageFlags(rawValue: page.uint32(at: PageHeader.Offset.flags))
        guard flags.contains(.spaceTree), flags.contains(.leaf), page.uint32(at: PageHeader.Offset.objectID) == 1 else { return nil }
        var last: UInt32?
        for index in 1..<count {
            guard let node = PageNodes.keyAndData(page, layout: layout, index: index) else { return nil }
            guard !node.flags.contains(.deleted) else { continue }
            guard node.key.count == 4 else { return nil }
            let k = node.key.lowerBound
            let pageNumber = UInt32(page.uint8(at: k)) << 24 | UInt32(page.uint8(at: k + 1)) << 16
                | UInt32(page.uint8(at: k + 2)) << 8 | UInt32(page.uint8(at: k + 3))
            last = max(last ?? 0, pageNumber)
        }
        return last
    }
}
