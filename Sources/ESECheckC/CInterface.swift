// The C interface declared in include/esecheck.h: thin wrappers over `CheckSession` that
// turn Swift errors into JET error numbers. Pointers cross here and nowhere else.

import ESECheck
import ESEFormat

/// The object behind an `esecheck_session *`.
final class CSession: Sendable {
    struct State: Sendable {
        var session: CheckSession?
        var report: StorageGroupReport?
        /// The cap on each database's findings lists (`esecheck_set_max_findings`).
        var maxFindings = PageTally.defaultFindingLimit
    }

    let state = Locked(State())

    var session: CheckSession? { state.withLock { $0.session } }
}

private func box(_ pointer: OpaquePointer?) -> CSession? {
    guard let pointer else { return nil }
    return Unmanaged<CSession>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

private func code(_ error: CheckError) -> Int32 { error.jetError?.code ?? JetError.invalidParameter.code }

@_cdecl("esecheck_new")
public func esecheck_new() -> OpaquePointer? {
    OpaquePointer(Unmanaged.passRetained(CSession()).toOpaque())
}

@_cdecl("esecheck_delete")
public func esecheck_delete(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<CSession>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

@_cdecl("esecheck_init")
public func esecheck_init(_ pointer: OpaquePointer?, _ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ count: UInt32,
                          _ logDirectory: UnsafePointer<CChar>?, _ baseName: UnsafePointer<CChar>?) -> Int32 {
    guard let box = box(pointer) else { return JetError.invalidParameter.code }
    guard count == 0 || paths != nil, count > 0 || logDirectory != nil else { return JetError.invalidParameter.code }
    var databases: [String] = []
    for index in 0..<Int(count) {
        guard let path = paths?[index] else { return JetError.invalidParameter.code }
        databases.append(cPath(path))
    }
    let logs = logDirectory.map(cPath)
    let base = baseName.map { String(cString: $0) }
    if let base, !CheckSession.isValidBaseName(base) { return JetError.invalidParameter.code }
    return box.state.withLock { state in
        guard state.session == nil else { return JetError.invalidParameter.code }
        var options = CheckOptions()
        options.maxFindings = state.maxFindings
        state.session = CheckSession(databasePaths: databases, logDirectory: logs, baseName: base, options: options)
        return 0
    }
}

/// Caps the findings each database's report lists (before `esecheck_init`). See esecheck.h.
@_cdecl("esecheck_set_max_findings")
public func esecheck_set_max_findings(_ pointer: OpaquePointer?, _ maximum: UInt32) -> Int32 {
    guard let box = box(pointer) else { return JetError.invalidParameter.code }
    return box.state.withLock { state in
        guard state.session == nil else { return JetError.invalidParameter.code }
        state.maxFindings = Int(maximum)
        return 0
    }
}

@_cdecl("esecheck_check_db_headers")
public func esecheck_check_db_headers(_ pointer: OpaquePointer?, _ pageSize: UnsafeMutablePointer<UInt32>?,
                                      _ headerPages: UnsafeMutablePointer<UInt32>?, _ failed: UnsafeMutablePointer<UInt32>?,
                                      _ requiredMin: UnsafeMutablePointer<Int32>?, _ requiredMax: UnsafeMutablePointer<Int32>?) -> Int32 {
    failed?.pointee = 0x0FFF_FFFF
    guard let session = box(pointer)?.session else { return JetError.invalidParameter.code }
    do {
        let check = try session.checkDatabaseHeaders()
        pageSize?.pointee = UInt32(check.pageSize ?? 0)
        headerPages?.pointee = UInt32(check.headerPages)
        if let index = check.firstFailedDatabase { failed?.pointee = UInt32(index) }
        requiredMin?.pointee = check.requiredGenerations?.lowerBound ?? 0
        requiredMax?.pointee = check.requiredGenerations?.upperBound ?? 0
        return check.jetError.code
    } catch {
        return code(error)
    }
}

/// Checks a batch of pages the caller read. See esecheck.h.
@_cdecl("esecheck_check_db_pages")
public func esecheck_check_db_pages(_ pointer: OpaquePointer?, _ database: UInt32, _ fileOffset: UInt64,
                                    _ buffer: UnsafeRawPointer?, _ size: Int, _ infos: UnsafeMutableRawPointer?,
                                    _ infoCount: UInt32) -> Int32 {
    pageBatch(pointer, database, fileOffset, buffer, size, infos, infoCount, replacing: false)
}

/// Checks pages the transport read again, replacing the earlier copies. See esecheck.h.
@_cdecl("esecheck_resubmit_db_pages")
public func esecheck_resubmit_db_pages(_ pointer: OpaquePointer?, _ database: UInt32, _ fileOffset: UInt64,
                                       _ buffer: UnsafeRawPointer?, _ size: Int, _ infos: UnsafeMutableRawPointer?,
                                       _ infoCount: UInt32) -> Int32 {
    pageBatch(pointer, database, fileOffset, buffer, size, infos, infoCount, replacing: true)
}

/// Checks (or, `replacing`, resubmits) a batch and fills `infos` in file order: one entry per
/// page of the batch, a partial last page included. The arguments are checked before any
/// page is recorded, so a refused call leaves the session as it was.
private func pageBatch(_ pointer: OpaquePointer?, _ database: UInt32, _ fileOffset: UInt64, _ buffer: UnsafeRawPointer?,
                       _ size: Int, _ infos: UnsafeMutableRawPointer?, _ infoCount: UInt32, replacing: Bool) -> Int32 {
    guard let session = box(pointer)?.session, let buffer, size > 0 else { return JetError.invalidParameter.code }
    guard infoCount == 0 || infos != nil else { return JetError.invalidParameter.code }
    if infoCount > 0, let pageSize = session.pageSize(database: Int(database)),
       Int(infoCount) != (size + pageSize - 1) / pageSize {
        return JetError.invalidParameter.code
    }
    do {
        let bytes = RawSpan(_unsafeBytes: UnsafeRawBufferPointer(start: buffer, count: size))
        let result = replacing
            ? try session.resubmitPages(database: Int(database), fileOffset: fileOffset, bytes: bytes)
            : try session.checkPages(database: Int(database), fileOffset: fileOffset, bytes: bytes)
        if let infos, infoCount > 0, let pageSize = session.pageSize(database: Int(database)) {
            let entries = PageInfoLayout.entries(for: result, fileOffset: fileOffset, pageSize: pageSize)
            let stride = MemoryLayout<PageInfoLayout>.stride
            for (index, entry) in entries.prefix(Int(infoCount)).enumerated() { entry.store(to: infos + index * stride) }
        }
        return result.jetError.code
    } catch {
        return code(error)
    }
}

@_cdecl("esecheck_page_number")
public func esecheck_page_number(_ pointer: OpaquePointer?, _ database: UInt32, _ fileOffset: UInt64) -> UInt32 {
    box(pointer)?.session?.pageNumber(database: Int(database), fileOffset: fileOffset) ?? 0
}

@_cdecl("esecheck_check_logs")
public func esecheck_check_logs(_ pointer: OpaquePointer?, _ onlyUnnecessary: UnsafeMutablePointer<Int32>?) -> Int32 {
    onlyUnnecessary?.pointee = 0
    guard let session = box(pointer)?.session else { return JetError.invalidParameter.code }
    do {
        let check = try session.checkLogs()
        onlyUnnecessary?.pointee = check.onlyUnnecessaryLogsCorrupt ? 1 : 0
        return check.jetError.code
    } catch {
        return code(error)
    }
}

@_cdecl("esecheck_term")
public func esecheck_term(_ pointer: OpaquePointer?) -> Int32 {
    guard let box = box(pointer), let session = box.session else { return JetError.invalidParameter.code }
    do {
        let report = try session.finish()
        box.state.withLock { $0.report = report }
        return report.jetError.code
    } catch {
        return code(error)
    }
}

private func copy(_ text: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int {
    let bytes = Array(text.utf8)
    if let buffer, capacity > 0 {
        let count = min(bytes.count, capacity - 1)
        for index in 0..<count { buffer[index] = CChar(bitPattern: bytes[index]) }
        buffer[count] = 0
    }
    return bytes.count
}

@_cdecl("esecheck_database_verdict")
public func esecheck_database_verdict(_ pointer: OpaquePointer?, _ database: UInt32, _ buffer: UnsafeMutablePointer<CChar>?,
                                      _ capacity: Int) -> Int {
    guard let report = box(pointer)?.state.withLock({ $0.report }), report.databases.indices.contains(Int(database)) else {
        return copy("", to: buffer, capacity: capacity)
    }
    return copy(report.databases[Int(database)].verdict.rawValue, to: buffer, capacity: capacity)
}

@_cdecl("esecheck_report_json")
public func esecheck_report_json(_ pointer: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
    guard let report = box(pointer)?.state.withLock({ $0.report }) else { return copy("", to: buffer, capacity: capacity) }
    return copy(report.json.serialized(), to: buffer, capacity: capacity)
}

/// The memory layout of `esecheck_page_info` (must match include/esecheck.h).
struct PageInfoLayout {
    var pageNumber: UInt32 = 0
    var flags: UInt32 = 0
    var stored: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    var computed: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    var databaseTime: UInt64 = 0
    var jetError: Int32 = 0
    var bitOffset: Int32 = -1
    var suspectedPage: UInt32 = 0
    var reserved: UInt32 = 0

    init(page: PageCheck) {
        pageNumber = page.pageNumber
        flags = page.outcome == .uninitialized ? 0 : 0x1
        stored = (page.stored.block0, page.stored.block1, page.stored.block2, page.stored.block3)
        computed = (page.computed.block0, page.computed.block1, page.computed.block2, page.computed.block3)
        databaseTime = page.databaseTime
        switch page.outcome {
        case .correctable(let bit):
            flags |= 0x2
            bitOffset = Int32(clamping: bit)
        case .badChecksum(let suspected):
            flags |= 0x4
            jetError = JetError.readVerifyFailure.code
            suspectedPage = suspected ?? 0
        case .wrongPageNumber:
            flags |= 0x4
            jetError = JetError.readPgnoVerifyFailure.code
        case .structureDamaged:
            flags |= 0x4
            jetError = JetError.databaseCorrupted.code
        default:
            break
        }
    }

    init(header: HeaderPageCheck, pageNumber: UInt32 = 0) {
        self.pageNumber = pageNumber
        flags = 0x1 | 0x8 | (header.isValid ? 0 : 0x4)
        stored.0 = UInt64(header.stored)
        computed.0 = UInt64(header.computed)
        jetError = header.isValid ? 0 : JetError.readVerifyFailure.code
    }

    /// The partial last page: bad, not checked.
    init(partialPageNumber: UInt32) {
        pageNumber = partialPageNumber
        flags = 0x4 | 0x20
        jetError = JetError.fileIOBeyondEOF.code
    }

    /// One entry per page of a batch in file order: header pages, data pages, the trailer,
    /// the partial last page; pages whose copy conflicts with an earlier one are flagged.
    static func entries(for result: PageBatchResult, fileOffset: UInt64, pageSize: Int) -> [PageInfoLayout] {
        var entries: [PageInfoLayout] = []
        var pages = result.pages.makeIterator()
        var headers = result.headerPages.makeIterator()
        let firstPhysical = Int(fileOffset / UInt64(pageSize))
        let whole = result.headerPages.count + result.pages.count + (result.trailer == nil ? 0 : 1)
        let conflicts = Set(result.conflictingOffsets)
        for physical in firstPhysical..<firstPhysical + whole {
            var entry: PageInfoLayout
            if physical < 2, let header = headers.next() {
                entry = PageInfoLayout(header: header)
            } else if let trailer = result.trailer, trailer.physicalPage == physical {
                entry = PageInfoLayout(header: trailer.checksum, pageNumber: UInt32(truncatingIfNeeded: physical - 1))
                if !trailer.checksum.isValid { entry.jetError = JetError.badPatchPage.code }
            } else if let page = pages.next() {
                entry = PageInfoLayout(page: page)
            } else {
                break
            }
            if conflicts.contains(UInt64(physical) * UInt64(pageSize)) { entry.flags |= 0x10 }
            entries.append(entry)
        }
        if let offset = result.partialPageOffset, result.partialPageBytes > 0 {
            let physical = offset / UInt64(pageSize)
            entries.append(PageInfoLayout(partialPageNumber: physical >= 2 ? UInt32(truncatingIfNeeded: physical - 1) : 0))
        }
        return entries
    }

    func store(to address: UnsafeMutableRawPointer) {
        address.storeBytes(of: self, as: PageInfoLayout.self)
    }
}

/// A C path as the checker carries it: its bytes exactly, even when they are not UTF-8.
private func cPath(_ path: UnsafePointer<CChar>) -> String {
    var count = 0
    while path[count] != 0 { count += 1 }
    return PathEncoding.string(fromBytes: UnsafeRawBufferPointer(start: path, count: count))
}
