import ESEFormat

/// Feeds a session from files: every database's pages read in windows by a pool of threads
/// (each with its own reusable buffer), the logs checked on the same pool. A window that
/// cannot be read is retried once, then read page by page, so an unreadable range costs only
/// its own pages and is reported with its errno.
struct SessionFeeder {
    let options: CheckOptions

    enum Work: Sendable {
        case pages(PageChunk)
        case logs
    }

    /// Runs the whole session: headers, pages, logs (when asked), finish.
    func run(_ session: CheckSession, checkLogs: Bool) -> StorageGroupReport {
        guard (try? session.checkDatabaseHeaders()) != nil else {
            return (try? session.finish()) ?? StorageGroupReport(databases: [], logs: nil, problems: [], verdict: .unreadable, jetError: .invalidParameter)
        }
        let slots = session.slotsForFeeding()
        let gate = options.failFast || options.stateInterruptAfterWindows != nil ? FailFastGate(stopsOnFindings: options.failFast) : nil
        var resume: ResumeTracker?
        var refused = false
        switch ResumeTracker.start(options: options, backupType: session.backupType, slots: slots, gate: gate) {
        case .tracking(let tracker)?: resume = tracker
        case .refused(let error)?: ResumeTracker.refuse(error, slots: slots); refused = true
        case nil: break
        }
        var work: [Work] = checkLogs ? [.logs] : []
        if session.backupType.checksPages, !refused {
            for slot in slots {
                var chunks = PageChunk.split(slot, chunkBytes: options.chunkBytes, selection: options.pageSelection)
                if let resume { chunks = resume.remaining(chunks) }
                slot.expectChunks(chunks.count)
                work += chunks.map(Work.pages)
            }
        }
        options.progress?.plan(bytes: work.reduce(0) { total, item in
            if case .pages(let chunk) = item { return total + chunk.byteCount }
            return total
        }, files: slots.count)
        options.progress.map { Self.track(slots, work: work, in: $0) }
        let options = self.options
        let control = FeedControl(gate: gate, resume: resume)
        // Mapping costs a system call and page-table work per window: map whole chunks, or
        // 8 MiB when a gate or a state file must be consulted between windows. pread reads
        // into a cache-sized buffer.
        let mappedWindow = gate != nil || resume != nil ? min(options.chunkBytes, 8 << 20) : options.chunkBytes
        _ = ParallelWork.map(work, width: options.concurrency, makeState: { WindowReader(method: options.readMethod, faults: options.readFaults) }) { item, reader in
            switch item {
            case .logs: _ = try? session.checkLogs()
            case .pages(let chunk):
                if let gate, gate.isStopped { return gate.skip(chunk) }
                defer { gate?.check(chunk.slot) }
                // Files are opened while their chunks are read, so a session over many
                // databases holds about one descriptor per thread.
                defer { chunk.slot.releaseFile() }
                guard let file = chunk.slot.leaseFile() else { return }
                let window = reader.maps ? mappedWindow : options.windowBytes
                Self.feed(chunk, file: file, to: session, windowBytes: window, reader: &reader, control: control)
            }
        }
        for slot in slots {
            slot.finishReading()
            options.progress?.finishFile()
        }
        resume?.finish()
        return (try? session.finish()) ?? StorageGroupReport(databases: [], logs: nil, problems: [], verdict: .unreadable, jetError: .invalidParameter)
    }

    /// Lets `progress` report each file: its planned bytes, and the pages its slot has seen.
    static func track(_ slots: [DatabaseSlot], work: [Work], in progress: CheckProgress) {
        var planned = [Int](repeating: 0, count: slots.count)
        for case .pages(let chunk) in work { planned[chunk.slot.index] += chunk.byteCount }
        // Pages seen before the pass (taken from a state file) are not part of the plan.
        let entries = slots.map { ($0, planned[$0.index], $0.progress.withLock { $0.coverage.seenCount }) }
        progress.track {
            entries.map { slot, planned, before in
                let seen = (slot.progress.withLock { $0.coverage.seenCount } - before) * (slot.layout?.pageSize ?? 0)
                return CheckProgress.FileProgress(name: slot.source.name, bytesDone: min(seen, planned), bytesPlanned: planned)
            }
        }
    }

    static func feed(_ chunk: PageChunk, file: ReadOnlyFile, to session: CheckSession, windowBytes: Int, reader: inout WindowReader,
                     control: FeedControl = FeedControl(gate: nil, resume: nil)) {
        let pageSize = UInt64(chunk.layout.pageSize)
        // Holes of a sparse file read as zeros: count their pages without reading them.
        let range = UInt64(chunk.physicalPages.lowerBound) * pageSize..<UInt64(chunk.physicalPages.upperBound) * pageSize
        let regions = file.dataRegions(in: range) ?? [range]
        var physical = chunk.physicalPages.lowerBound
        for region in regions where !control.isStopped {
            let first = Int(region.lowerBound / pageSize), end = Int((region.upperBound + pageSize - 1) / pageSize)
            if first > physical { zeros(chunk, physical..<first, session: session, control: control) }
            let pages = max(first, physical)..<min(end, chunk.physicalPages.upperBound)
            physical = max(physical, first)
            if !pages.isEmpty {
                physical = feed(chunk, file: file, pages: pages, to: session, windowBytes: windowBytes, reader: &reader, control: control)
            }
        }
        if control.isStopped {
            control.gate?.skip(chunk.slot, physical: physical..<chunk.physicalPages.upperBound)
        } else if physical < chunk.physicalPages.upperBound {
            zeros(chunk, physical..<chunk.physicalPages.upperBound, session: session, control: control)
        }
    }

    /// Counts all-zero physical pages of a hole without reading them.
    private static func zeros(_ chunk: PageChunk, _ pages: Range<Int>, session: CheckSession, control: FeedControl) {
        control.window(chunk.slot) {
            chunk.slot.absorbZeroPages(pages)
            control.resume?.noteClean(chunk.slot, physical: pages, ok: 0, uninitialized: pages.count, bytes: 0)
        }
        session.options.progress?.advance(bytes: pages.count * chunk.layout.pageSize)
    }

    /// Reads `pages` window by window; returns the physical page reached (the end, or where
    /// the gate stopped it).
    static func feed(_ chunk: PageChunk, file: ReadOnlyFile, pages: Range<Int>, to session: CheckSession, windowBytes: Int,
                     reader: inout WindowReader, control: FeedControl) -> Int {
        let pageSize = chunk.layout.pageSize
        let windowPages = max(1, windowBytes / pageSize)
        var physical = pages.lowerBound
        while physical < pages.upperBound, !control.isStopped {
            let count = min(windowPages, pages.upperBound - physical)
            control.window(chunk.slot) {
                if !window(chunk, file: file, first: physical, count: count, session: session, reader: &reader, control: control),
                   !window(chunk, file: file, first: physical, count: count, session: session, reader: &reader, control: control) {
                    for page in physical..<physical + count
                    where !window(chunk, file: file, first: page, count: 1, session: session, reader: &reader, control: control) {
                        _ = window(chunk, file: file, first: page, count: 1, session: session, reader: &reader, recordFailure: true, control: control)
                    }
                }
            }
            physical += count
        }
        return physical
    }

    /// Reads `count` pages from physical page `first` and hands them to the session;
    /// returns false when they could not be read (and should be retried).
    ///
    /// Bytes missing because the file shrank since it was opened are a change of the file
    /// (`fileChanged`, verdict `incomplete`), not an I/O error: a short read once retries
    /// are spent; a mapped window that shrank at once — its pages were checked from zeros
    /// past the new end, so what they added to the report is taken back, and they are
    /// reported instead of read again.
    static func window(_ chunk: PageChunk, file: ReadOnlyFile, first: Int, count: Int, session: CheckSession,
                       reader: inout WindowReader, recordFailure: Bool = false, control: FeedControl) -> Bool {
        let pageSize = chunk.layout.pageSize
        let offset = UInt64(first) * UInt64(pageSize)
        let mapped = reader.maps
        let retries = session.options.retries
        session.options.throttle?.acquire(bytes: count * pageSize)
        var checked: [PageCheck] = []
        var suspects: [PageRereader.Suspect] = []
        do {
            try reader.withBytes(of: file, at: offset, count: count * pageSize) { bytes in
                if mapped || retries > 0 || control.resume != nil {
                    checked = (try? session.checkPages(database: chunk.slot.index, fileOffset: offset, bytes: bytes))?.pages ?? []
                    suspects = PageRereader.suspects(checked, in: bytes, at: offset, pageSize: pageSize, retries: retries)
                } else {
                    try? session.absorb(database: chunk.slot.index, fileOffset: offset, bytes: bytes)
                }
            }
            if !suspects.isEmpty {
                PageRereader(retries: retries).settle(suspects, chunk: chunk, file: file, session: session, reader: &reader)
            } else if let resume = control.resume, checked.count == count {
                resume.noteClean(chunk.slot, physical: first..<first + count, ok: checked.count { $0.outcome == .ok },
                                 uninitialized: checked.count { $0.outcome == .uninitialized }, bytes: count * pageSize)
            }
            return true
        } catch {
            if error.shrankWhileMapped || (recordFailure && error.fileEndedEarly) {
                chunk.slot.noteShrink(error, file: file, checked: checked)
                return error.shrankWhileMapped
            }
            if recordFailure { session.recordReadFailure(database: chunk.slot.index, error) }
            return false
        }
    }
}
