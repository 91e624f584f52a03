import ESEFormat

extension ResumeTracker {
    /// `chunks` without the pages taken from the state.
    func remaining(_ chunks: [PageChunk]) -> [PageChunk] {
        chunks.flatMap { chunk -> [PageChunk] in
            let done = restored[chunk.slot.index]
            guard !done.isEmpty else { return [chunk] }
            var pieces: [PageChunk] = []
            var low = chunk.physicalPages.lowerBound
            // The first range that ends at or after the chunk's first page (pgno = physical - 1).
            var index = 0, high = done.count
            while index < high {
                let middle = (index + high) / 2
                if Int(done[middle].upperBound) + 1 < low { index = middle + 1 } else { high = middle }
            }
            while index < done.count, Int(done[index].lowerBound) + 1 < chunk.physicalPages.upperBound {
                let first = Int(done[index].lowerBound) + 1, end = Int(done[index].upperBound) + 2
                if first > low { pieces.append(PageChunk(slot: chunk.slot, layout: chunk.layout, physicalPages: low..<first)) }
                low = max(low, end)
                index += 1
            }
            if low < chunk.physicalPages.upperBound {
                pieces.append(PageChunk(slot: chunk.slot, layout: chunk.layout, physicalPages: low..<chunk.physicalPages.upperBound))
            }
            return pieces
        }
    }

    /// After every chunk: the pages taken from the state that redo's database-time check
    /// references (known now that the logs are judged) are read again and compared — the one
    /// thing the state does not keep — then the state is saved a last time, and a failed
    /// save is named in every report's warnings.
    func finish() {
        for slot in slots where !restored[slot.index].isEmpty {
            rereadPageTimes(slot, restored[slot.index])
        }
        save()
        if let failure = saveFailure {
            for slot in slots { slot.progress.withLock { $0.report.warnings.append(failure) } }
        }
    }

    private func rereadPageTimes(_ slot: DatabaseSlot, _ done: [ClosedRange<UInt32>]) {
        guard let layout = slot.layout, case .file(let path) = slot.source, let referenced = slot.pageTimes.referencedPages() else { return }
        var pages: [UInt32] = []
        var index = 0
        for page in referenced {
            while index < done.count, done[index].upperBound < page { index += 1 }
            if index < done.count, done[index].contains(page) { pages.append(page) }
        }
        guard !pages.isEmpty else { return }
        let pageSize = UInt64(layout.pageSize)
        let file: ReadOnlyFile
        do throws(CheckError) {
            file = try ReadOnlyFile(path: path)
        } catch {
            // Not compared is not certified: the pages count as unread.
            slot.progress.withLock { $0.report.errors.append(error) }
            return
        }
        var observed: [(page: UInt32, state: PageTimeState?)] = []
        for page in pages {
            let offset = (UInt64(page) + 1) * pageSize
            let bytes: [UInt8]
            do throws(SystemError) {
                bytes = try file.readBytes(at: offset, count: layout.pageSize)
            } catch {
                slot.progress.withLock { $0.report.readFailures.append(ReadFailure(offset: offset, length: pageSize, cause: error)) }
                continue
            }
            guard bytes.count == layout.pageSize, let check = try? PageVerifier.check(bytes.span.bytes, pageNumber: page, layout: layout) else {
                slot.progress.withLock { $0.report.readFailures.append(ReadFailure(offset: offset, length: pageSize, cause: nil, sizeNow: try? file.currentSize())) }
                continue
            }
            let damaged = check.outcome == .ok && PageStructure.problem(bytes.span.bytes, layout: layout) != nil
            observed.append((page, damaged ? nil : PageTimeState(check)))
        }
        slot.pageTimes.observe(observed)
    }
}
