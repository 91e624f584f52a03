import ESEFormat

extension DatabaseSlot {
    /// The structure walk over what the pages showed, run once in `finish()`: skipped when
    /// structure is not verified, not examined without a page layout or when the backup holds
    /// logs only. A file source is
    /// reopened only to say exactly what disagrees on a page whose fingerprint differs.
    func structureReport(_ progress: Progress, findingLimit: Int, pagesChecked: Bool = true) -> StructureReport {
        guard layout != nil, pagesChecked else { return StructureReport(scope: .notExamined) }
        guard let state = progress.structure else { return StructureReport(scope: gathersStructure ? .notExamined : .skipped) }
        return StructureWalk.run(state, pageCount: dataPages, findingLimit: findingLimit, reread: rereader())
    }

    /// Reads one page of the file again (nil for streamed sources or a failed read).
    private func rereader() -> ((UInt32) -> TreePage?)? {
        guard case .file(let path) = source, let layout else { return nil }
        // Opened per call: only pages that disagree are read again, and most databases have none.
        return { page in
            guard let file = try? ReadOnlyFile(path: path) else { return nil }
            let offset = (UInt64(page) + 1) * UInt64(layout.pageSize)
            guard let bytes = try? file.readBytes(at: offset, count: layout.pageSize), bytes.count == layout.pageSize else { return nil }
            return TreePage(parsing: bytes.span.bytes, layout: layout)
        }
    }
}
