import ESEFormat

/// The first bytes of a database file and the identity of the file they were read from,
/// kept by directory discovery so the session does not read the header pages again.
struct HeaderProbe: Hashable, Sendable {
    /// The leading bytes read (up to ``DatabaseOpening/headerProbeBytes``).
    var prefix: [UInt8]
    /// The file they came from, when they were read.
    var identity: FileIdentity
}

/// Opening a database: its header copies chosen, its size checked, the skeleton of its
/// report. The one path for files and for streamed databases: both end in `examine`.
enum DatabaseOpening {
    /// A database whose header was examined.
    struct Examined: Sendable {
        var report: DatabaseReport
        /// The layout of the chosen header; nil when no header is usable.
        var layout: PageLayout?
        /// Pages in the file, headers included (full pages only).
        var physicalPages: Int
    }

    /// A database file opened and examined.
    struct Opened: Sendable {
        var examined: Examined
        /// The open file, when it could be opened and has a usable header.
        var file: ReadOnlyFile?
    }

    /// Bytes read from the start of the file to find the header: two copies at the largest page size.
    static let headerProbeBytes = 2 * 32768

    /// Opens `path` and examines its header. A `probe` of the same file (same identity) saves
    /// reading the header pages again; a probe of another file is ignored.
    static func open(_ path: String, probe: HeaderProbe? = nil) -> Opened {
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            var report = DatabaseReport(path: path, fileSize: 0)
            report.errors.append(error)
            return Opened(examined: Examined(report: report, layout: nil, physicalPages: 0), file: nil)
        }
        let count = Int(min(file.size, UInt64(headerProbeBytes)))
        let prefix: [UInt8]
        if let probe, probe.identity == file.identity, probe.prefix.count >= count {
            prefix = Array(probe.prefix.prefix(count))
        } else {
            do {
                prefix = try file.readBytes(at: 0, count: count)
            } catch {
                var report = DatabaseReport(path: path, fileSize: file.size)
                report.errors.append(CheckError(.readFailed, path: path, offset: 0, message: "cannot read the header: \(error.message)",
                                                cause: error, jetError: .diskIO))
                return Opened(examined: Examined(report: report, layout: nil, physicalPages: 0), file: nil)
            }
        }
        let examined = examine(name: path, fileSize: file.size, leadingBytes: prefix)
        return Opened(examined: examined, file: examined.layout == nil ? nil : file)
    }

    /// Chooses the header from the first bytes of a database of `fileSize` bytes and checks
    /// the size against its page size.
    static func examine(name: String, fileSize: UInt64, leadingBytes: [UInt8]) -> Examined {
        var report = DatabaseReport(path: name, fileSize: fileSize)
        guard fileSize > 0 else {
            report.errors.append(CheckError(.emptyFile, path: name, expected: "a database header", found: "0 bytes",
                                            message: "the file is empty", jetError: .readVerifyFailure))
            return Examined(report: report, layout: nil, physicalPages: 0)
        }
        let prefix = Array(leadingBytes.prefix(Int(min(fileSize, UInt64(headerProbeBytes)))))
        report.bytesRead = UInt64(prefix.count)
        let selection: HeaderSelection
        do {
            selection = try HeaderSelection.select(from: prefix.span.bytes)
        } catch {
            let code: CheckError.Code
            switch error {
            case .noValidHeader: code = fileSize < 4096 ? .tooShort : .noValidHeader
            case .notADatabase: code = .wrongFileType
            }
            report.errors.append(CheckError(code, path: name, offset: 0, expected: "a database header with a valid checksum",
                                            found: "\(fileSize) bytes", message: error.description, jetError: error.jetError))
            return Examined(report: report, layout: nil, physicalPages: 0)
        }
        report.headers = selection
        report.warnings += headerWarnings(selection)
        if let refusal = attachRefusal(selection.header) {
            // ESE's attach refuses the file with -1206 (db.cxx:2851-2878): never a database to certify.
            report.errors.append(CheckError(.wrongFileType, path: name, offset: 0,
                                            expected: "a database header (file type 0, 1 or 5, attribute 0)", found: refusal,
                                            message: "the header is not a database's: ESE refuses to attach it", jetError: .databaseCorrupted))
            return Examined(report: report, layout: nil, physicalPages: 0)
        }
        let layout = PageLayout(pageSize: selection.pageSize)!
        let remainder = fileSize % UInt64(layout.pageSize)
        if remainder != 0 {
            report.errors.append(CheckError(
                .partialPage, path: name, offset: fileSize - remainder,
                expected: "a multiple of the page size \(layout.pageSize)", found: "\(fileSize) bytes (\(remainder) trailing)",
                message: "the file is not a whole number of pages: \(remainder) bytes after the last full page were not checked",
                jetError: .fileIOBeyondEOF))
        }
        let physicalPages = fileSize / UInt64(layout.pageSize)
        guard physicalPages <= UInt64(UInt32.max) + 1 else {
            report.errors.append(CheckError(.tooLarge, path: name, expected: "at most 2^32 pages",
                                            found: "\(physicalPages) pages (\(fileSize) bytes)",
                                            message: "more pages than ESE can number: the size cannot be a database's",
                                            jetError: .databaseCorrupted))
            return Examined(report: report, layout: nil, physicalPages: 0)
        }
        return Examined(report: report, layout: layout, physicalPages: Int(physicalPages))
    }

    /// Why ESE's attach refuses a file with this header as not a database (`le_attrib` not
    /// `attribDb`, or `le_filetype` other than unknown, database or temporary database —
    /// a patch file's is `JET_filetypeStreamingFile`; db.cxx:2851-2878, daedef.hxx:2762), or nil.
    static func attachRefusal(_ header: DatabaseHeader) -> String? {
        if header.attributes != 0 { return "attribute \(header.attributes)" }
        switch header.fileType {
        case .unknown?, .database?, .temporaryDatabase?: return nil
        case let type?: return "file type \(type) (\(header.fileTypeValue))"
        case nil: return "file type \(header.fileTypeValue)"
        }
    }

    /// Warnings about the header copies: the shadow used, missing, different or damaged, and
    /// the chosen header's broken invariants.
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
