/// The checksums of one database page: one for a small page, four for a large page.
/// ESE: `PAGECHECKSUM` (`rgChecksum[4]`; unused entries are 0).
public struct PageChecksums: Hashable, Sendable, CustomStringConvertible {
    /// Block 0's checksum (stored at bytes 0–7).
    public var block0: UInt64
    /// Block 1's checksum (stored at bytes 40–47 of a large page).
    public var block1: UInt64
    /// Block 2's checksum (stored at bytes 48–55).
    public var block2: UInt64
    /// Block 3's checksum (stored at bytes 56–63).
    public var block3: UInt64
    /// How many entries are meaningful: 1 for small pages, 4 for large pages.
    public var count: Int

    /// Creates a checksum set.
    public init(_ block0: UInt64, _ block1: UInt64 = 0, _ block2: UInt64 = 0, _ block3: UInt64 = 0, count: Int = 1) {
        self.block0 = block0
        self.block1 = block1
        self.block2 = block2
        self.block3 = block3
        self.count = count
    }

    /// The checksum of block `index` (0–3).
    public subscript(index: Int) -> UInt64 {
        get {
            switch index {
            case 0: block0
            case 1: block1
            case 2: block2
            default: block3
            }
        }
        set {
            switch index {
            case 0: block0 = newValue
            case 1: block1 = newValue
            case 2: block2 = newValue
            default: block3 = newValue
            }
        }
    }

    /// The meaningful entries, in block order.
    public var values: [UInt64] { (0..<count).map { self[$0] } }

    /// The entries as `0x…` hexadecimal, separated by colons (eseutil's large-page form).
    public var description: String {
        values.map { XEChecksum(rawValue: $0).description }.joined(separator: ":")
    }
}
