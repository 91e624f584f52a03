// The C calls that say what is checked and how: the version, the backup type, streamed
// sources, and ranges the transport could not read.

import ESECheck

/// The library's version, "MAJOR.MINOR.PATCH" (the header's `ESECHECK_VERSION`; a test holds
/// the two equal). A static, NUL-terminated string.
let libraryVersion: StaticString = "1.1.0\0"

/// The library's version string. See esecheck.h.
@_cdecl("esecheck_version")
public func esecheck_version() -> UnsafePointer<CChar>? {
    UnsafeRawPointer(libraryVersion.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Sets the backup type before `esecheck_init`. See esecheck.h.
@_cdecl("esecheck_set_backup_type")
public func esecheck_set_backup_type(_ pointer: OpaquePointer?, _ type: Int32) -> Int32 {
    guard let box = box(pointer), let backupType = BackupType(cValue: type) else { return JetError.invalidParameter.code }
    return box.configure { $0.backupType = backupType }
}

/// Registers database files and streams and the log directory. See esecheck.h.
@_cdecl("esecheck_init_sources")
public func esecheck_init_sources(_ pointer: OpaquePointer?, _ sources: UnsafeRawPointer?, _ count: UInt32,
                                  _ logDirectory: UnsafePointer<CChar>?, _ baseName: UnsafePointer<CChar>?) -> Int32 {
    guard let box = box(pointer) else { return JetError.invalidParameter.code }
    guard count == 0 || sources != nil, count > 0 || logDirectory != nil else { return JetError.invalidParameter.code }
    var databases: [DatabaseSource] = []
    for index in 0..<Int(count) {
        guard let source = sources?.load(fromByteOffset: index * SourceLayout.cSize, as: SourceLayout.self).source else {
            return JetError.invalidParameter.code
        }
        databases.append(source)
    }
    return box.start(databases, logDirectory: logDirectory.map(cPath), baseName: baseName.map { String(cString: $0) })
}

/// `esecheck_source`, as the caller filled it.
struct SourceLayout: CLayout {
    static let cSize = 40
    var path: UnsafePointer<CChar>?
    var name: UnsafePointer<CChar>?
    var fileSize: UInt64
    var leadingBytes: UnsafeRawPointer?
    var leadingSize: Int

    /// The database it names; nil for a stream without a name or without its bytes.
    var source: DatabaseSource? {
        if let path { return .file(cPath(path)) }
        guard let name, leadingSize == 0 || leadingBytes != nil else { return nil }
        let bytes = leadingSize == 0 ? [] : Array(UnsafeRawBufferPointer(start: leadingBytes, count: leadingSize))
        return .stream(name: cPath(name), fileSize: fileSize, leadingBytes: bytes)
    }
}

/// Records a range the transport could not read. See esecheck.h.
@_cdecl("esecheck_read_failed")
public func esecheck_read_failed(_ pointer: OpaquePointer?, _ database: UInt32, _ fileOffset: UInt64, _ length: UInt64,
                                 _ osError: Int32) -> Int32 {
    guard let box = box(pointer), box.results == nil, let session = box.session, length > 0,
          session.coverage(database: Int(database)) != nil else { return JetError.invalidParameter.code }
    let cause = osError == 0 ? nil : SystemError(call: "transport read", errno: osError)
    session.recordReadFailure(database: Int(database), ReadFailure(offset: fileOffset, length: length, cause: cause))
    return 0
}
