import ESEFormat

/// A contiguous run of data pages of one database, read by one thread (which leases the
/// database's file from its slot for the chunk's duration).
struct PageChunk: Sendable {
    let slot: DatabaseSlot
    let layout: PageLayout
    /// Physical page indices (0 and 1 are the headers).
    let physicalPages: Range<Int>

    var byteCount: Int { physicalPages.count * layout.pageSize }

    static func split(_ slot: DatabaseSlot, chunkBytes: Int) -> [PageChunk] {
        guard slot.isReadable, let layout = slot.layout else { return [] }
        let pagesPerChunk = max(1, chunkBytes / layout.pageSize)
        let first = PageLayout.reservedPages
        guard slot.physicalPages > first else { return [] }
        return stride(from: first, to: slot.physicalPages, by: pagesPerChunk).map {
            PageChunk(slot: slot, layout: layout, physicalPages: $0..<min($0 + pagesPerChunk, slot.physicalPages))
        }
    }
}
