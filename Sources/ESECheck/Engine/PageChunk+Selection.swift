import ESEFormat

extension PageChunk {
    /// The chunks of `slot` limited to `selection` (every page when nil), and the selection
    /// recorded in the database's scope when it leaves pages out.
    static func split(_ slot: DatabaseSlot, chunkBytes: Int, selection: PageSelection?) -> [PageChunk] {
        let chunks = split(slot, chunkBytes: chunkBytes)
        guard let selection, slot.layout != nil else { return chunks }
        let path = slot.source.name
        let ranges = selection.ranges(for: path)
        let dataPages = slot.dataPages
        // Logical page n is physical page n + 1.
        let physical = ranges.compactMap { range -> Range<Int>? in
            let low = Int(range.lowerBound) + 1, high = min(Int(range.upperBound), dataPages) + 2
            return low < high ? low..<high : nil
        }
        let selected = physical.reduce(0) { $0 + $1.count }
        if selected < dataPages || dataPages == 0 {
            let listed = ranges.prefix(8).map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
                .joined(separator: ", ") + (ranges.count > 8 ? ", …" : "")
            let entry = switch selection.origin {
            case .range:
                CheckScope.Skipped(what: .pagesOutsideRange,
                                   reason: "only pages \(listed) were checked (--pages); \(dataPages - selected) of \(dataPages) pages were not verified")
            case .recheck:
                CheckScope.Skipped(what: .pagesNotRechecked,
                                   reason: "only the \(selected) page(s) an earlier report named were checked (--recheck: \(ranges.isEmpty ? "none" : listed)); "
                                        + "\(dataPages - selected) of \(dataPages) pages were not verified")
            }
            slot.progress.withLock { state in
                state.report.scope.pages = selection.restricted(to: path)
                state.report.scope.skip(entry)
            }
        }
        return chunks.flatMap { chunk in
            physical.compactMap { range -> PageChunk? in
                let low = max(range.lowerBound, chunk.physicalPages.lowerBound), high = min(range.upperBound, chunk.physicalPages.upperBound)
                return low < high ? PageChunk(slot: chunk.slot, layout: chunk.layout, physicalPages: low..<high) : nil
            }
        }
    }
}
