import ESEFormat

/// One database in a session: what its headers said, and what its pages have shown so far.
/// Pages arrive from many threads; each batch takes the lock once to record its results.
final class DatabaseSlot: Sendable {
    struct Progress: Sendable {
        var report: DatabaseReport
        var coverage: CoverageMap
        /// The database root (pgno 1) and the page after it (the root's OwnExt tree by ESE's
        /// layout), kept when they pass their checksum: they give the size ESE allocated.
        var spacePages: [UInt32: [UInt8]] = [:]
    }

    /// Pages kept for the owned-space evidence: the root and its OwnExt root.
    static let spacePageNumbers: ClosedRange<UInt32> = 1...2

    let index: Int
    let source: DatabaseSource
    /// The open file, for `.file` sources with a valid header.
    let file: ReadOnlyFile?
    /// The page layout, when a valid header was found.
    let layout: PageLayout?
    /// Pages in the file, headers included (full pages only).
    let physicalPages: Int
    let progress: Locked<Progress>

    init(index: Int, source: DatabaseSource, file: ReadOnlyFile?, layout: PageLayout?, physicalPages: Int, report: DatabaseReport) {
        self.index = index
        self.source = source
        self.file = file
        self.layout = layout
        self.physicalPages = physicalPages
        let dataPages = max(0, physicalPages - PageLayout.reservedPages)
        progress = Locked(Progress(report: report, coverage: CoverageMap(pageCount: layout == nil ? 0 : dataPages)))
    }

    /// Opens a source and chooses its header (the skeleton of its report).
    static func open(_ source: DatabaseSource, index: Int) -> DatabaseSlot {
        switch source {
        case .file(let path):
            let opened = DatabaseOpening.open(path)
            return DatabaseSlot(index: index, source: source, file: opened.target?.file, layout: opened.target?.layout,
                                physicalPages: opened.target?.physicalPages ?? 0, report: opened.report)
        case .stream(let name, let fileSize, let leadingBytes):
            let opened = DatabaseOpening.examine(name: name, fileSize: fileSize, leadingBytes: leadingBytes)
            return DatabaseSlot(index: index, source: source, file: nil, layout: opened.layout,
                                physicalPages: opened.physicalPages, report: opened.report)
        }
    }

    /// Records physical pages known to be all zero without reading them (holes of a sparse
    /// file): uninitialized pages, exactly as reading them would count them.
    func absorbZeroPages(_ physicalPages: Range<Int>) {
        guard layout != nil else { return }
        let data = max(physicalPages.lowerBound, PageLayout.reservedPages)..<physicalPages.upperBound
        guard !data.isEmpty else { return }
        progress.withLock { state in
            let added = state.coverage.markSeen(range: (data.lowerBound - 1)...(data.upperBound - 2))
            state.report.tally.counts.uninitialized += added
        }
    }

    /// Checks the pages in `bytes`, which start at `fileOffset`, and records them. Header
    /// pages (offsets 0 and one page) are checked as headers and not counted as pages.
    /// When `results` is non-nil each page's check is appended to it.
    func absorb(_ bytes: RawSpan, fileOffset: UInt64, results: inout [PageCheck]?, headerResults: inout [HeaderPageCheck]) {
        guard let layout else { return }
        let pageSize = layout.pageSize
        let count = bytes.byteCount / pageSize
        let firstPhysical = Int(fileOffset / UInt64(pageSize))
        let lastPhysical = physicalPages - 1
        var batch = PageTally()
        var checks: [(physical: Int, check: PageCheck?)] = []
        checks.reserveCapacity(count)
        var trailer: TrailerCheck?
        var highestLink: UInt32 = 0
        var spacePages: [UInt32: [UInt8]] = [:]
        for index in 0..<count {
            let physical = firstPhysical + index
            let page = bytes.extracting(index * pageSize..<(index + 1) * pageSize)
            if physical < PageLayout.reservedPages {
                headerResults.append(PageVerifier.checkHeaderPage(page))
                continue
            }
            if physical == lastPhysical, PageVerifier.looksLikeHeaderPage(page) {
                trailer = TrailerCheck(physicalPage: physical, checksum: PageVerifier.checkHeaderPage(page))
                checks.append((physical, nil))
                continue
            }
            let check = try? PageVerifier.check(page, pageNumber: UInt32(physical - 1), layout: layout)
            checks.append((physical, check))
            if check?.outcome == .ok {
                // Links of good pages only: a flipped bit must not invent a page beyond the end.
                if let links = PageHeader.siblingLinks(page) { highestLink = max(highestLink, links.previous, links.next) }
                if Self.spacePageNumbers.contains(UInt32(physical - 1)) {
                    spacePages[UInt32(physical - 1)] = page.withUnsafeBytes { Array($0) }
                }
            }
            if results != nil, let check { results!.append(check) }
        }
        progress.withLock { state in
            // A batch is consecutive pages, normally never seen before: mark it as one range.
            if let first = checks.first?.physical, let last = checks.last?.physical,
               last - first + 1 == checks.count, state.coverage.noneSeen((first - 1)...(last - 1)) {
                state.coverage.markSeen(range: (first - 1)...(last - 1))
                for (physical, check) in checks {
                    if let check { batch.add(check, fileOffset: UInt64(physical) * UInt64(pageSize)) }
                }
            } else {
                for (physical, check) in checks {
                    guard state.coverage.markSeen(physical - 1) else { continue }
                    if let check { batch.add(check, fileOffset: UInt64(physical) * UInt64(pageSize)) }
                }
            }
            state.report.tally.merge(batch)
            if let trailer { state.report.trailer = trailer }
            state.report.highestLinkedPage = max(state.report.highestLinkedPage, highestLink)
            if !spacePages.isEmpty {
                state.spacePages.merge(spacePages) { _, new in new }
                if let root = state.spacePages[1] {
                    let ownExtent = state.spacePages[2]
                    if let ownExtent {
                        state.report.ownedPages = DatabaseSpace.lastOwnedPage(root: root.span.bytes, ownExtentRoot: ownExtent.span.bytes,
                                                                              layout: layout)
                    } else {
                        state.report.ownedPages = DatabaseSpace.lastOwnedPage(root: root.span.bytes, ownExtentRoot: nil, layout: layout)
                    }
                }
            }
            state.report.bytesRead += UInt64(bytes.byteCount)
        }
    }
}

extension DatabaseOpening {
    struct Examined {
        var report: DatabaseReport
        var layout: PageLayout?
        var physicalPages: Int
    }

    /// Header selection for a streamed database: the caller supplied the first bytes and the size.
    static func examine(name: String, fileSize: UInt64, leadingBytes: [UInt8]) -> Examined {
        var report = DatabaseReport(path: name, fileSize: fileSize)
        let prefix = Array(leadingBytes.prefix(Int(min(fileSize, UInt64(headerProbeBytes)))))
        report.bytesRead = UInt64(prefix.count)
        let selection: HeaderSelection
        do {
            selection = try HeaderSelection.select(from: prefix.span.bytes)
        } catch {
            report.errors.append(CheckError(fileSize == 0 ? .emptyFile : .noValidHeader, path: name, offset: 0,
                                            expected: "a database header with a valid checksum", found: "\(prefix.count) leading bytes",
                                            message: error.description, jetError: error.jetError))
            return Examined(report: report, layout: nil, physicalPages: 0)
        }
        report.headers = selection
        report.warnings += headerWarnings(selection)
        let layout = PageLayout(pageSize: selection.pageSize)!
        let remainder = fileSize % UInt64(layout.pageSize)
        if remainder != 0 {
            report.errors.append(CheckError(.partialPage, path: name, offset: fileSize - remainder,
                                            expected: "a multiple of the page size \(layout.pageSize)", found: "\(fileSize) bytes",
                                            message: "the file is not a whole number of pages: \(remainder) bytes after the last full page were not checked",
                                            jetError: .fileIOBeyondEOF))
        }
        let physicalPages = fileSize / UInt64(layout.pageSize)
        guard physicalPages - 1 <= UInt64(UInt32.max) else {
            report.errors.append(CheckError(.tooShort, path: name, expected: "at most 2^32 pages", found: "\(physicalPages) pages (\(fileSize) bytes)",
                                            message: "more pages than ESE can number: the claimed size cannot be a database",
                                            jetError: .databaseCorrupted))
            return Examined(report: report, layout: nil, physicalPages: 0)
        }
        return Examined(report: report, layout: layout, physicalPages: Int(physicalPages))
    }
}
