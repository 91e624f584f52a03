import ESEFormat
import Foundation

/// Verifies every page of database files: header and shadow selection, then every data
/// page's checksum, with files checked in parallel and large files split across threads.
/// The equivalent of `eseutil /k` on each file, reporting per-page findings as data.
public struct DatabaseChecker: Sendable {
    /// How to read and how many threads to use.
    public var options: CheckOptions

    /// Creates a checker.
    public init(options: CheckOptions = CheckOptions()) { self.options = options }

    /// Checks one database file.
    public func check(_ path: String) -> DatabaseReport { check([path])[0] }

    /// Checks database files; reports come back in the order of `paths`.
    public func check(_ paths: [String]) -> [DatabaseReport] {
        let start = ContinuousClock.now
        let opened = ParallelWork.map(paths, width: options.concurrency, makeState: { () }) { path, _ in
            DatabaseOpening.open(path)
        }
        var chunks: [PageChunk] = []
        for (index, database) in opened.enumerated() {
            guard let target = database.target else { continue }
            chunks += PageChunk.split(database: index, target: target, chunkBytes: options.chunkBytes)
        }
        options.progress?.plan(bytes: chunks.reduce(0) { $0 + $1.byteCount }, files: paths.count)
        let options = self.options
        let scans = ParallelWork.map(chunks, width: options.concurrency,
                                     makeState: { WindowReader(method: options.readMethod) }) { chunk, reader in
            PageScanner(options: options).scan(chunk, with: &reader)
        }
        var reports = opened.map(\.report)
        for (chunk, scan) in zip(chunks, scans) {
            reports[chunk.database].absorb(scan)
        }
        let elapsed = start.duration(to: .now)
        for index in reports.indices {
            reports[index].elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if let target = opened[index].target { reports[index].noteSizeChange(target.file) }
            options.progress?.finishFile()
        }
        return reports
    }
}

/// A database opened and its header chosen, ready for its pages to be scanned.
struct ScanTarget: Sendable {
    let file: ReadOnlyFile
    let layout: PageLayout
    /// Pages in the file, headers included (full pages only).
    let physicalPages: Int
}

/// Opening a database: size checks, header selection and the resulting report skeleton.
enum DatabaseOpening {
    struct Opened: Sendable {
        var report: DatabaseReport
        var target: ScanTarget?
    }

    /// Bytes read from the start of the file to find the header: two copies at the largest page size.
    static let headerProbeBytes = 2 * 32768

    static func open(_ path: String) -> Opened {
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            var report = DatabaseReport(path: path, fileSize: 0)
            report.errors.append(error)
            return Opened(report: report, target: nil)
        }
        var report = DatabaseReport(path: path, fileSize: file.size)
        guard file.size > 0 else {
            report.errors.append(CheckError(.emptyFile, path: path, expected: "a database header", found: "0 bytes",
                                            message: "the file is empty", jetError: .readVerifyFailure))
            return Opened(report: report, target: nil)
        }
        let prefix: [UInt8]
        do {
            prefix = try file.readBytes(at: 0, count: Int(min(file.size, UInt64(headerProbeBytes))))
        } catch {
            report.errors.append(CheckError(.readFailed, path: path, offset: 0, message: "cannot read the header: \(error.message)",
                                            cause: error, jetError: .diskIO))
            return Opened(report: report, target: nil)
        }
        report.bytesRead += UInt64(prefix.count)
        let selection: HeaderSelection
        do {
            selection = try HeaderSelection.select(from: prefix.span.bytes)
        } catch {
            let code: CheckError.Code
            switch error {
            case .noValidHeader: code = file.size < 4096 ? .tooShort : .noValidHeader
            case .notADatabase: code = .wrongFileType
            }
            report.errors.append(CheckError(code, path: path, offset: 0, expected: "a database header with a valid checksum",
                                            found: "\(file.size) bytes", message: error.description, jetError: error.jetError))
            return Opened(report: report, target: nil)
        }
        report.headers = selection
        report.warnings += headerWarnings(selection)
        let layout = PageLayout(pageSize: selection.pageSize)!
        let physicalPages = Int(file.size / UInt64(layout.pageSize))
        let remainder = file.size % UInt64(layout.pageSize)
        if remainder != 0 {
            report.errors.append(CheckError(
                .partialPage, path: path, offset: file.size - remainder,
                expected: "a multiple of the page size \(layout.pageSize)", found: "\(file.size) bytes (\(remainder) trailing)",
                message: "the file is not a whole number of pages: \(remainder) bytes after the last full page were not checked",
                jetError: .fileIOBeyondEOF))
        }
        if physicalPages - 1 > Int(UInt32.max) {
            report.errors.append(CheckError(.tooShort, path: path, expected: "at most 2^32 pages",
                                            found: "\(physicalPages) pages", message: "more pages than ESE can number"))
            return Opened(report: report, target: nil)
        }
        return Opened(report: report, target: ScanTarget(file: file, layout: layout, physicalPages: physicalPages))
    }

    static func headerWarnings(_ selection: HeaderSelection) -> [String] {
        var warnings: [String] = []
        if selection.usesShadow {
            warnings.append("the primary header is bad; the shadow header was used")
        } else if !selection.shadow.isValid {
            warnings.append(selection.shadow.storedChecksum == nil
                ? "the shadow header is missing (the file ends after the primary)"
                : selection.shadow.storedChecksum == selection.shadow.computedChecksum
                    ? "the primary header and shadow header are not identical"
                    : "the shadow header has a checksum error")
        }
        warnings += selection.header.invariantViolations.map { "header: \($0)" }
        return warnings
    }
}

/// A contiguous run of data pages of one database, scanned by one thread.
struct PageChunk: Sendable {
    let database: Int
    let target: ScanTarget
    /// Physical page indices (0 and 1 are the headers).
    let physicalPages: Range<Int>

    var byteCount: Int { physicalPages.count * target.layout.pageSize }

    static func split(database: Int, target: ScanTarget, chunkBytes: Int) -> [PageChunk] {
        let pagesPerChunk = max(1, chunkBytes / target.layout.pageSize)
        let first = PageLayout.reservedPages
        guard target.physicalPages > first else { return [] }
        return stride(from: first, to: target.physicalPages, by: pagesPerChunk).map {
            PageChunk(database: database, target: target, physicalPages: $0..<min($0 + pagesPerChunk, target.physicalPages))
        }
    }
}

/// What scanning one chunk found.
struct ChunkScan: Sendable {
    var tally = PageTally()
    var trailer: TrailerCheck?
    var readFailures: [ReadFailure] = []
    var bytesRead: UInt64 = 0
}

/// Scans chunks window by window; a window that cannot be read is retried once and then
/// read page by page, so an unreadable range costs only its own pages.
struct PageScanner {
    let options: CheckOptions

    func scan(_ chunk: PageChunk, with reader: inout WindowReader) -> ChunkScan {
        var result = ChunkScan()
        let layout = chunk.target.layout
        let pageSize = layout.pageSize
        let windowPages = max(1, options.windowBytes / pageSize)
        var physical = chunk.physicalPages.lowerBound
        while physical < chunk.physicalPages.upperBound {
            let count = min(windowPages, chunk.physicalPages.upperBound - physical)
            if !scanWindow(chunk.target, first: physical, count: count, into: &result, reader: &reader) {
                // Retry once, then isolate the unreadable pages.
                if !scanWindow(chunk.target, first: physical, count: count, into: &result, reader: &reader) {
                    for page in physical..<physical + count {
                        if !scanWindow(chunk.target, first: page, count: 1, into: &result, reader: &reader),
                           !scanWindow(chunk.target, first: page, count: 1, into: &result, reader: &reader, recordFailure: true) {
                            continue
                        }
                    }
                }
            }
            options.progress?.advance(bytes: count * pageSize)
            physical += count
        }
        return result
    }

    /// Scans `count` pages from physical page `first`; returns false when they could not be read.
    private func scanWindow(_ target: ScanTarget, first: Int, count: Int, into result: inout ChunkScan,
                            reader: inout WindowReader, recordFailure: Bool = false) -> Bool {
        let layout = target.layout
        let pageSize = layout.pageSize
        let offset = UInt64(first) * UInt64(pageSize)
        let lastPhysical = target.physicalPages - 1
        do {
            try reader.withBytes(of: target.file, at: offset, count: count * pageSize) { window in
                for index in 0..<count {
                    let physical = first + index
                    let page = window.extracting(index * pageSize..<(index + 1) * pageSize)
                    if physical == lastPhysical, PageVerifier.looksLikeHeaderPage(page) {
                        result.trailer = TrailerCheck(physicalPage: physical, checksum: PageVerifier.checkHeaderPage(page))
                        continue
                    }
                    let pageNumber = UInt32(physical - 1)
                    if let check = try? PageVerifier.check(page, pageNumber: pageNumber, layout: layout) {
                        result.tally.add(check, fileOffset: UInt64(physical) * UInt64(pageSize))
                    }
                }
            }
            result.bytesRead += UInt64(count * pageSize)
            return true
        } catch {
            if recordFailure {
                if let last = result.readFailures.last, last.offset + last.length == error.offset,
                   last.cause == error.cause, last.sizeNow == error.sizeNow {
                    result.readFailures[result.readFailures.count - 1].length += error.length
                } else {
                    result.readFailures.append(error)
                }
            }
            return false
        }
    }
}

extension DatabaseReport {
    mutating func absorb(_ scan: ChunkScan) {
        tally.merge(scan.tally)
        if let trailer = scan.trailer { self.trailer = trailer }
        readFailures += scan.readFailures
        bytesRead += scan.bytesRead
    }

    /// Records an error when the file's size changed while it was checked.
    mutating func noteSizeChange(_ file: ReadOnlyFile) {
        let now = try? file.currentSize()
        let shrank = readFailures.contains { $0.cause == nil }
        if let now, now != file.size || shrank {
            errors.append(CheckError(.fileChanged, path: path, expected: "\(file.size) bytes (size when opened)",
                                     found: "\(now) bytes", message: "the file changed size while it was being checked"))
        }
    }
}
