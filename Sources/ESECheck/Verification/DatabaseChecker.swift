import ESEFormat

/// Verifies every page of database files: header and shadow selection, then every data
/// page's checksum, with files checked in parallel and large files split across threads.
/// The equivalent of `eseutil /k` on each file, reporting per-page findings as data.
/// It is a storage-group session without logs, fed by the library's own parallel reader.
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
        let session = CheckSession(databasePaths: paths, options: options)
        var reports = SessionFeeder(options: options).run(session, checkLogs: false).databases.map(\.report)
        let elapsed = start.duration(to: .now)
        for index in reports.indices {
            reports[index].elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
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

extension DatabaseReport {
    /// Records a `fileChanged` error when the file is not the one opened any more: its
    /// identity (device, inode, size, modification and change times) differs now, by `fstat`
    /// of the open descriptor or `stat` of its path, or a read came up short (it shrank and
    /// perhaps grew back). Called once every page has been read.
    mutating func noteChange(_ file: ReadOnlyFile) {
        var changes = file.changes()
        if readFailures.contains(where: { $0.cause == nil }), changes.isEmpty {
            changes.append("a read ended early: the file was shorter for a while")
        }
        guard !changes.isEmpty else { return }
        let now = try? file.currentSize()
        errors.append(CheckError(.fileChanged, path: path,
                                 expected: "the file as opened (\(file.size) bytes, modified \(file.identity.modification))",
                                 found: changes.joined(separator: "; ") + (now.map { " (now \($0) bytes)" } ?? ""),
                                 message: "the file changed while it was being checked: " + changes.joined(separator: "; ")))
    }
}
