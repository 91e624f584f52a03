import ESEFormat

/// One database in a session: what its headers said, and what its pages have shown so far.
/// Pages arrive from many threads; each batch takes the lock once to record its results.
///
/// A file source is opened to read its headers and closed again; it is opened again only
/// while its pages are read (`leaseFile`), so a session over many databases holds few
/// descriptors at a time.
final class DatabaseSlot: Sendable {
    struct Progress: Sendable {
        var report: DatabaseReport
        var coverage: CoverageMap
        /// Fingerprints of the copies checked, to tell a repeat from a conflicting copy.
        var digests: PageDigests
        /// The database root (pgno 1) and the page after it (the root's OwnExt tree by ESE's
        /// layout), kept when they pass their checksum: they give the size ESE allocated.
        var spacePages: [UInt32: [UInt8]] = [:]
        /// What the structure walk needs (nil when structure is not verified).
        var structure: StructureState?
        /// The whole-file hash of the pieces read (`XXH3Tree` leaves), when `CheckOptions.hashFiles` asked for it.
        var hash: FileHashPieces?
    }

    /// Pages kept for the owned-space evidence: the root and its OwnExt root.
    static let spacePageNumbers: ClosedRange<UInt32> = 1...2

    /// The open file and how many page chunks still need it.
    struct FileLease: Sendable {
        var file: ReadOnlyFile?
        var chunksLeft = 0
        var finished = false
    }

    /// What one batch found beyond its page checks: header pages, the trailer, and the
    /// offsets of pages whose copy disagrees with one checked before.
    struct BatchRecord {
        var headers: [HeaderPageCheck] = []
        var trailer: HeaderPageCheck?
        var trailerOffset: UInt64?
        var conflictingOffsets: [UInt64] = []
    }

    let index: Int
    let source: DatabaseSource
    /// The file's identity when its headers were read (`.file` sources with a valid header).
    let identity: FileIdentity?
    /// The page layout, when a valid header was found.
    let layout: PageLayout?
    /// The header choice, when a valid header was found.
    let selection: HeaderSelection?
    /// Pages in the file, headers included (full pages only).
    let physicalPages: Int
    /// The file's size in bytes (as opened, or as the caller declared it).
    let fileSize: UInt64
    let progress: Locked<Progress>
    /// Whether pages are gathered for the structure walk.
    let gathersStructure: Bool
    let lease = Locked(FileLease())
    /// Redo's database-time check of the pages (`PageTimeLedger`).
    let pageTimes: PageTimeLedger
    /// The pages' flush types, for the flush-map comparison (`FlushTypeLedger`).
    let flushTypes: FlushTypeLedger
    /// Whether the page pass records flush types: a streamed database (its map may be handed
    /// in) or a database file with a map beside it. Without a map there is nothing to compare,
    /// and every page would pay for it.
    let gathersFlushTypes: Bool

    init(index: Int, source: DatabaseSource, identity: FileIdentity?, layout: PageLayout?, physicalPages: Int, report: DatabaseReport,
         verifyStructure: Bool = true) {
        self.index = index
        self.source = source
        self.identity = identity
        self.layout = layout
        self.selection = report.headers
        self.physicalPages = physicalPages
        self.fileSize = report.fileSize
        let dataPages = max(0, physicalPages - PageLayout.reservedPages)
        let pageCount = layout == nil ? 0 : dataPages
        gathersStructure = verifyStructure && pageCount > 0
        progress = Locked(Progress(report: report, coverage: CoverageMap(pageCount: pageCount), digests: PageDigests(pageCount: pageCount),
                                   structure: gathersStructure ? StructureState(pageCount: pageCount) : nil))
        pageTimes = PageTimeLedger(pageCount: pageCount)
        flushTypes = FlushTypeLedger(pageCount: pageCount)
        switch source {
        case .stream: gathersFlushTypes = pageCount > 0
        case .file(let path):
            gathersFlushTypes = pageCount > 0 && (try? SystemCalls.status(ofPath: Self.flushMapPath(forDatabase: path))) != nil
        }
    }

    /// Opens a source and chooses its header (the skeleton of its report). A file is closed
    /// again before this returns; a `probe` of the same file spares reading its header again.
    static func open(_ source: DatabaseSource, index: Int, findingLimit: Int, probe: HeaderProbe? = nil,
                     verifyStructure: Bool = true) -> DatabaseSlot {
        switch source {
        case .file(let path):
            var opened = DatabaseOpening.open(path, probe: probe)
            opened.examined.report.tally = PageTally(findingLimit: findingLimit)
            return DatabaseSlot(index: index, source: source, identity: opened.file?.identity, layout: opened.examined.layout,
                                physicalPages: opened.examined.physicalPages, report: opened.examined.report,
                                verifyStructure: verifyStructure)
        case .stream(let name, let fileSize, let leadingBytes):
            var opened = DatabaseOpening.examine(name: name, fileSize: fileSize, leadingBytes: leadingBytes)
            opened.report.tally = PageTally(findingLimit: findingLimit)
            return DatabaseSlot(index: index, source: source, identity: nil, layout: opened.layout,
                                physicalPages: opened.physicalPages, report: opened.report, verifyStructure: verifyStructure)
        }
    }

    /// Whether the library itself can read the pages (a file with a valid header).
    var isReadable: Bool {
        if case .file = source { return identity != nil && layout != nil }
        return false
    }

    /// Data pages of the file (logical page numbers 1…`dataPages`).
    var dataPages: Int { max(0, physicalPages - PageLayout.reservedPages) }

    // MARK: The file, while pages are read

    /// Announces how many page chunks will lease the file.
    func expectChunks(_ count: Int) { lease.withLock { $0.chunksLeft += count } }

    /// The open file for one chunk of pages, opened on first use. Opening again checks that
    /// the path still names the file whose headers were read; a difference is recorded as
    /// `fileChanged`, a failure to open as the error it is. Nil when it cannot be opened.
    func leaseFile() -> ReadOnlyFile? {
        guard case .file(let path) = source, let identity else { return nil }
        return lease.withLock { lease -> ReadOnlyFile? in
            if let file = lease.file { return file }
            guard !lease.finished else { return nil }
            do throws(CheckError) {
                let file = try ReadOnlyFile(path: path)
                let differences = file.identity.differences(from: identity)
                if !differences.isEmpty {
                    progress.withLock { state in
                        state.report.errors.append(CheckError(
                            .fileChanged, path: path, expected: "the file whose headers were read (\(identity.size) bytes, modified \(identity.modification))",
                            found: differences.joined(separator: "; "),
                            message: "the file changed between reading its headers and reading its pages: " + differences.joined(separator: "; ")))
                    }
                }
                lease.file = file
                return file
            } catch {
                lease.finished = true
                progress.withLock { $0.report.errors.append(error) }
                return nil
            }
        }
    }

    /// Ends one chunk's lease; after the last chunk the file is compared with what was
    /// opened (`noteChange`) and closed.
    func releaseFile() {
        let last: ReadOnlyFile? = lease.withLock { lease in
            lease.chunksLeft -= 1
            guard lease.chunksLeft <= 0, let file = lease.file else { return nil }
            lease.file = nil
            lease.finished = true
            return file
        }
        if let last { progress.withLock { $0.report.noteChange(last) } }
    }

    /// After every chunk: a file whose pages were never leased (none to read) is still
    /// compared with what was opened.
    func finishReading() {
        guard case .file(let path) = source, identity != nil else { return }
        let pending: Bool = lease.withLock { lease in
            defer { lease.finished = true }
            return !lease.finished
        }
        guard pending, let identity else { return }
        let differences: [String]
        do {
            differences = try ReadOnlyFile(path: path).identity.differences(from: identity)
        } catch {
            differences = ["path: \(error.message)"]
        }
        if !differences.isEmpty {
            progress.withLock { state in
                state.report.errors.append(CheckError(
                    .fileChanged, path: path, expected: "the file whose headers were read", found: differences.joined(separator: "; "),
                    message: "the file changed while it was being checked: " + differences.joined(separator: "; ")))
            }
        }
    }

    // MARK: Pages

    /// Records physical pages known to be all zero without reading them (holes of a sparse
    /// file): uninitialized pages, exactly as reading them would count them.
    func absorbZeroPages(_ physicalPages: Range<Int>) {
        guard layout != nil else { return }
        let data = max(physicalPages.lowerBound, PageLayout.reservedPages)..<physicalPages.upperBound
        guard !data.isEmpty else { return }
        progress.withLock { state in
            let added = state.coverage.markSeen(range: (data.lowerBound - 1)...(data.upperBound - 2))
            state.report.tally.counts.uninitialized += added
            state.structure?.recordZero((data.lowerBound - 1)...(data.upperBound - 2))
            if let pageSize = layout?.pageSize {
                state.hash?.recordZeros(offset: UInt64(physicalPages.lowerBound) * UInt64(pageSize),
                                        length: UInt64(physicalPages.count) * UInt64(pageSize))
            }
        }
        observeZeroPageTimes(data)
        if gathersFlushTypes { flushTypes.recordZero(UInt32(data.lowerBound - 1)...UInt32(data.upperBound - 2)) }
    }

    /// Whether a header page's check shows the copy the header check read.
    func headerMatches(_ check: HeaderPageCheck, physical: Int) -> Bool {
        guard let selection else { return false }
        let copy = physical == 0 ? selection.primary : selection.shadow
        return copy.storedChecksum == check.stored && copy.computedChecksum == check.computed
    }

    /// One page's check within a batch: a data page or a trailer.
    enum Entry {
        case page(PageCheck)
        case trailer(HeaderPageCheck)

        var digest: PageDigests.Digest {
            switch self {
            case .page(let check): PageDigests.Digest(check)
            case .trailer(let check): PageDigests.Digest(trailer: check)
            }
        }
    }

    /// Checks the pages in `bytes`, which start at `fileOffset`, and records them. Header
    /// pages (offsets 0 and one page) are checked as headers and not counted as pages.
    /// When `results` is non-nil each data page's check is appended to it.
    ///
    /// A page checked before is compared with the earlier copy's fingerprint: the same is a
    /// repeat (named in the coverage), a different one a conflict (not verified). With
    /// `replacing`, the batch replaces the earlier copies: their results are taken back and
    /// their conflicts resolved.
    /// With `hashing`, each page's 4 KiB leaves of the whole-file hash (`XXH3Tree`) are hashed
    /// right after its check, while its bytes are in cache (pages of 4 KiB or more).
    func absorb(_ bytes: RawSpan, fileOffset: UInt64, replacing: Bool, hashing: Bool = false, results: inout [PageCheck]?,
                record: inout BatchRecord) {
        guard let layout else { return }
        let pageSize = layout.pageSize
        let count = bytes.byteCount / pageSize
        let firstPhysical = Int(fileOffset / UInt64(pageSize))
        let lastPhysical = physicalPages - 1
        let dataPages = self.dataPages
        var headerChecks: [(physical: Int, check: HeaderPageCheck)] = []
        var entries: [(physical: Int, entry: Entry)] = []
        entries.reserveCapacity(count)
        var highestLink: UInt32 = 0
        var spacePages: [UInt32: [UInt8]] = [:]
        var evidence = StructureState.EvidenceBatch()
        if gathersStructure { evidence.words.reserveCapacity(count) }
        var flushBatch: [(page: UInt32, flushType: Int, time: UInt64)] = []
        var leaves: [UInt64] = []
        if hashing { leaves.reserveCapacity(bytes.byteCount / XXH3Tree.leafBytes) }
        // Redo's database-time check: one code per page of the batch (`PageTimeLedger.code`).
        let timesWanted = !pageTimes.isIdle
        var times: [UInt64] = []
        if timesWanted { times = [UInt64](repeating: PageTimeLedger.skipped, count: count) }
        for index in 0..<count {
            let physical = firstPhysical + index
            let page = bytes.extracting(index * pageSize..<(index + 1) * pageSize)
            if hashing { XXH3Tree.appendLeafHashes(page, to: &leaves) }
            if physical < PageLayout.reservedPages {
                let check = PageVerifier.checkHeaderPage(page)
                record.headers.append(check)
                headerChecks.append((physical, check))
                continue
            }
            if physical == lastPhysical, PageVerifier.looksLikeHeaderPage(page) {
                let check = PageVerifier.checkHeaderPage(page)
                record.trailer = check
                record.trailerOffset = UInt64(physical) * UInt64(pageSize)
                entries.append((physical, .trailer(check)))
                continue
            }
            guard var check = try? PageVerifier.check(page, pageNumber: UInt32(physical - 1), layout: layout) else { continue }
            // A page that passes its checksum must also pass ESE's structure checks (-1206).
            if check.outcome == .ok, let problem = PageStructure.problem(page, layout: layout) {
                check.outcome = .structureDamaged(problem.check)
            }
            // "Perhaps this is actually page N" only for a page the file has.
            if case .badChecksum(let suspected?) = check.outcome, suspected == 0 || Int(suspected) > dataPages {
                check.outcome = .badChecksum(suspectedPageNumber: nil)
            }
            entries.append((physical, .page(check)))
            if timesWanted { times[index] = PageTimeLedger.code(check) }
            if gathersFlushTypes, let flush = Self.flushEvidence(page, pageNumber: UInt32(physical - 1), check: check) {
                flushBatch.append(flush)
            }
            if results != nil { results!.append(check) }
            if gathersStructure {
                evidence.append(StructureState.Evidence(page: page, layout: layout, outcome: check.outcome), page: UInt32(physical - 1))
            }
            if check.outcome == .ok {
                // Links of good pages only: a flipped bit must not invent a page beyond the end.
                if let links = PageHeader.siblingLinks(page) { highestLink = max(highestLink, links.previous, links.next) }
                if Self.spacePageNumbers.contains(UInt32(physical - 1)) {
                    spacePages[UInt32(physical - 1)] = page.withUnsafeBytes { Array($0) }
                }
            }
        }
        let digests = entries.map { $0.entry.digest }     // fingerprints outside the lock (a closure: a key path here runs generic code per page)
        if timesWanted { observePageTimes(firstPhysical: firstPhysical, codes: times) }
        flushTypes.record(flushBatch)
        progress.withLock { state in
            commit(headerChecks, entries, digests: digests, pageSize: pageSize, replacing: replacing, record: &record, state: &state)
            state.report.bytesRead += UInt64(bytes.byteCount)
            if hashing { state.hash?.record(FileHashPieces.Run(firstLeaf: fileOffset / UInt64(XXH3Tree.leafBytes), hashes: leaves)) }
            state.report.highestLinkedPage = max(state.report.highestLinkedPage, highestLink)
            if !evidence.words.isEmpty { state.structure?.record(evidence) }
            if !spacePages.isEmpty {
                state.spacePages.merge(spacePages) { _, new in new }
                state.report.ownedPages = Self.ownedPages(state.spacePages, layout: layout)
            }
        }
    }

    /// The last page the database owns, from its root and OwnExt pages when they were read.
    static func ownedPages(_ pages: [UInt32: [UInt8]], layout: PageLayout) -> UInt32? {
        guard let root = pages[1] else { return nil }
        if let ownExtent = pages[2] {
            return DatabaseSpace.lastOwnedPage(root: root.span.bytes, ownExtentRoot: ownExtent.span.bytes, layout: layout)
        }
        return DatabaseSpace.lastOwnedPage(root: root.span.bytes, ownExtentRoot: nil, layout: layout)
    }

    /// Records a batch's header checks and page entries under the lock: a fresh run of pages
    /// at once, otherwise page by page against the fingerprints of earlier copies.
    private func commit(_ headerChecks: [(physical: Int, check: HeaderPageCheck)], _ entries: [(physical: Int, entry: Entry)],
                        digests: [PageDigests.Digest], pageSize: Int, replacing: Bool, record: inout BatchRecord, state: inout Progress) {
        for (physical, check) in headerChecks {
            if !headerMatches(check, physical: physical) {
                state.coverage.setHeaderConflict(physical, true)
                record.conflictingOffsets.append(UInt64(physical) * UInt64(pageSize))
            } else if replacing {
                state.coverage.setHeaderConflict(physical, false)
            }
        }
        // A batch is consecutive pages, normally never seen before: mark it as one range.
        if let first = entries.first?.physical, let last = entries.last?.physical,
           last - first + 1 == entries.count, state.coverage.noneSeen((first - 1)...(last - 1)) {
            state.coverage.markSeen(range: (first - 1)...(last - 1))
            state.digests.record(digests, from: first - 1)
            for (physical, entry) in entries {
                Self.count(entry, physical: physical, offset: UInt64(physical) * UInt64(pageSize), in: &state)
            }
        } else {
            for (index, (physical, entry)) in entries.enumerated() {
                let page = physical - 1
                let offset = UInt64(physical) * UInt64(pageSize)
                let digest = digests[index]
                if !state.coverage.wasSeen(page) {
                    _ = state.coverage.markSeen(page)
                    Self.count(entry, physical: physical, offset: offset, in: &state)
                    state.digests.record(digest, page: page)
                    continue
                }
                let earlier = state.digests.lookup(page: page)
                if replacing {
                    guard case .known(let old) = earlier else {
                        // The earlier result cannot be taken back: the page stays unverified.
                        state.coverage.markConflicting(page)
                        record.conflictingOffsets.append(offset)
                        continue
                    }
                    if let kind = old.kind.outcomeKind {
                        state.report.tally.remove(page: UInt32(page), kind: kind)
                    } else {
                        state.report.trailer = nil
                    }
                    Self.count(entry, physical: physical, offset: offset, in: &state)
                    state.digests.record(digest, page: page)
                    state.coverage.clearConflicting(page)
                } else {
                    _ = state.coverage.markSeen(page)   // recorded as seen twice
                    if earlier != .known(digest) {
                        state.coverage.markConflicting(page)
                        record.conflictingOffsets.append(offset)
                    }
                }
            }
        }
    }

    /// Adds one page's check to the report: to the tally, or as the trailer.
    private static func count(_ entry: Entry, physical: Int, offset: UInt64, in state: inout Progress) {
        switch entry {
        case .page(let check): state.report.tally.add(check, fileOffset: offset)
        case .trailer(let check): state.report.trailer = TrailerCheck(physicalPage: physical, checksum: check)
        }
    }
}
