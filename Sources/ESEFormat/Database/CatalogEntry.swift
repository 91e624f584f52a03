/// A catalog (MSysObjects) record that names a B-tree: a table, an index or a long-value tree,
/// with its objid and root. ESE: the fixed columns `ObjidTable`, `Type`, `Id`,
/// `ColtypOrPgnoFDP` (cat.hxx:90-94) after the record header `RECHDR` (rec.hxx:296-301);
/// `sysobjTable` 1, `sysobjIndex` 3, `sysobjLongValue` 4 (cat.hxx:29-32).
/// docs/structure-format.md §4.
public struct CatalogEntry: Hashable, Sendable {
    /// Which kind of object. ESE: `SYSOBJ`.
    public enum Kind: UInt16, Hashable, Sendable {
        /// A table. ESE: `sysobjTable`.
        case table = 1
        /// An index. ESE: `sysobjIndex`.
        case index = 3
        /// A table's long-value tree. ESE: `sysobjLongValue`.
        case longValue = 4
    }

    /// The object kind.
    public var kind: Kind
    /// The table the object belongs to. ESE: `ObjidTable`.
    public var tableID: UInt32
    /// The object's own objid (its tree's objidFDP). ESE: `Id`.
    public var objectID: UInt32
    /// The object's root page. ESE: `PgnoFDP` (`ColtypOrPgnoFDP`).
    public var rootPage: UInt32

    /// Creates an entry.
    public init(kind: Kind, tableID: UInt32, objectID: UInt32, rootPage: UInt32) {
        self.kind = kind
        self.tableID = tableID
        self.objectID = objectID
        self.rootPage = rootPage
    }

    /// The entry a catalog leaf node holds, or nil when it names no tree (a column, a
    /// callback, a deleted node, a record too short or with `PgnoFDP` null).
    public init?(node: TreeNode, page: RawSpan) {
        guard !node.flags.contains(.deleted), node.data.count >= 18 else { return nil }
        let record = node.data.lowerBound
        let fixedLast = page.uint8(at: record)
        let endOfFixed = Int(page.uint16(at: record + 2))
        // RECHDR then ObjidTable @4, Type @8, Id @10, ColtypOrPgnoFDP @14 (fid 4).
        guard fixedLast >= 4, endOfFixed >= 18, let kind = Kind(rawValue: page.uint16(at: record + 8)) else { return nil }
        // The fixed columns' null bits end the fixed data: (fidFixedLastInRec + 7) / 8 bytes before
        // ibEndOfFixedData, bit fid-1, set = null (rec.hxx:8-11, 522-531).
        let nullByte = record + endOfFixed - (Int(fixedLast) + 7) / 8
        guard nullByte >= record + 18, nullByte < node.data.upperBound else { return nil }
        if page.uint8(at: nullByte) & 0x08 != 0 { return nil }
        self.kind = kind
        tableID = page.uint32(at: record + 4)
        objectID = page.uint32(at: record + 10)
        rootPage = page.uint32(at: record + 14)
    }
}
