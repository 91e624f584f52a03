// The C interface declared in include/esecheck.h: thin wrappers over `CheckSession` that
// turn Swift errors into JET error numbers. Pointers cross here and nowhere else.

import ESECheck

/// Creates a session. See esecheck.h.
@_cdecl("esecheck_new")
public func esecheck_new() -> OpaquePointer? {
    OpaquePointer(Unmanaged.passRetained(CSession()).toOpaque())
}

/// Frees a session. See esecheck.h.
@_cdecl("esecheck_delete")
public func esecheck_delete(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<CSession>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

/// Registers database files and the log directory. See esecheck.h.
@_cdecl("esecheck_init")
public func esecheck_init(_ pointer: OpaquePointer?, _ paths: UnsafePointer<UnsafePointer<CChar>?>?, _ count: UInt32,
                          _ logDirectory: UnsafePointer<CChar>?, _ baseName: UnsafePointer<CChar>?) -> Int32 {
    guard let box = box(pointer) else { return JetError.invalidParameter.code }
    guard count == 0 || paths != nil, count > 0 || logDirectory != nil else { return JetError.invalidParameter.code }
    var databases: [DatabaseSource] = []
    for index in 0..<Int(count) {
        guard let path = paths?[index] else { return JetError.invalidParameter.code }
        databases.append(.file(cPath(path)))
    }
    return box.start(databases, logDirectory: logDirectory.map(cPath), baseName: baseName.map { String(cString: $0) })
}

/// Caps the findings each database's report lists (before `esecheck_init`). See esecheck.h.
@_cdecl("esecheck_set_max_findings")
public func esecheck_set_max_findings(_ pointer: OpaquePointer?, _ maximum: UInt32) -> Int32 {
    box(pointer)?.configure { $0.maxFindings = Int(maximum) } ?? JetError.invalidParameter.code
}

/// Holds the rate at which pages are checked (before `esecheck_init`; 0 for no limit). See esecheck.h.
@_cdecl("esecheck_set_max_rate")
public func esecheck_set_max_rate(_ pointer: OpaquePointer?, _ bytesPerSecond: UInt64) -> Int32 {
    box(pointer)?.configure { $0.maxBytesPerSecond = bytesPerSecond == 0 ? nil : Int(clamping: bytesPerSecond) }
        ?? JetError.invalidParameter.code
}

/// Reads and validates every database header. See esecheck.h.
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
    session.waitForReadBudget(bytes: size)
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

/// The logical page number at a file offset. See esecheck.h.
@_cdecl("esecheck_page_number")
public func esecheck_page_number(_ pointer: OpaquePointer?, _ database: UInt32, _ fileOffset: UInt64) -> UInt32 {
    box(pointer)?.session?.pageNumber(database: Int(database), fileOffset: fileOffset) ?? 0
}

/// Verifies the logs. See esecheck.h.
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

/// Ends the check. See esecheck.h.
@_cdecl("esecheck_term")
public func esecheck_term(_ pointer: OpaquePointer?) -> Int32 {
    guard let box = box(pointer), let session = box.session else { return JetError.invalidParameter.code }
    do {
        let report = try session.finish()
        let results = CResults(report)
        box.state.withLock { state in
            state.report = report
            state.results = results
        }
        return report.jetError.code
    } catch {
        return code(error)
    }
}

/// The verdict of one database, as text. See esecheck.h.
@_cdecl("esecheck_database_verdict")
public func esecheck_database_verdict(_ pointer: OpaquePointer?, _ database: UInt32, _ buffer: UnsafeMutablePointer<CChar>?,
                                      _ capacity: Int) -> Int {
    guard let report = box(pointer)?.state.withLock({ $0.report }), report.databases.indices.contains(Int(database)) else {
        return copy("", to: buffer, capacity: capacity)
    }
    return copy(report.databases[Int(database)].verdict.rawValue, to: buffer, capacity: capacity)
}

/// The whole report as JSON. See esecheck.h.
@_cdecl("esecheck_report_json")
public func esecheck_report_json(_ pointer: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
    guard let (report, document) = box(pointer)?.state.withLock({ state in state.report.map { ($0, state.document) } }) else {
        return copy("", to: buffer, capacity: capacity)
    }
    return copy((document ?? report.json).serialized(), to: buffer, capacity: capacity)
}
