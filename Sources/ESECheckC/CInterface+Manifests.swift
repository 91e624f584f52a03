// The C calls for manifests and tar streams: whole runs on a new session (a directory's
// manifest, a copy verified against one, a tar stream from a callback or a descriptor) and
// the comparison's results.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ESECheck

/// The manifest at `path`, or the JET error to return: -1022 when it cannot be read, -1812
/// when it is not a valid manifest.
func loadManifest(_ path: String) -> Result<BackupManifest, CManifestError> {
    guard let file = try? ReadOnlyFile(path: path), let bytes = try? file.readBytes(at: 0, count: Int(clamping: file.size)),
          bytes.count == Int(clamping: file.size) else {
        return .failure(CManifestError(code: JetError.diskIO.code))
    }
    do {
        return .success(try BackupManifest.parse(bytes, path: path))
    } catch {
        return .failure(CManifestError(code: JetError.fileInvalidType.code))
    }
}

/// A manifest that cannot be used, as the JET error returned.
struct CManifestError: Error {
    var code: Int32
}

/// Writes `text` to a new file at `path` (replacing one); false when it cannot be written whole.
func writeFile(_ path: String, _ text: String) -> Bool {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return false }
        bytes = bytes.dropFirst(written)
    }
    return true
}

/// Checks a directory and writes its manifest. See esecheck.h.
@_cdecl("esecheck_manifest_directory")
public func esecheck_manifest_directory(_ pointer: OpaquePointer?, _ directory: UnsafePointer<CChar>?, _ baseName: UnsafePointer<CChar>?,
                                        _ manifestPath: UnsafePointer<CChar>?) -> Int32 {
    guard let box = box(pointer), let directory, let manifestPath else { return JetError.invalidParameter.code }
    let base = baseName.map { String(cString: $0) }
    if let base, !CheckSession.isValidBaseName(base) { return JetError.invalidParameter.code }
    guard box.claimWholeRun() else { return JetError.invalidParameter.code }
    let (options, backupType) = box.wholeRunOptions
    let (manifest, report) = ManifestBuilder(options: options, backupType: backupType).build(directory: cPath(directory), baseName: base)
    let path = cPath(manifestPath)
    box.finishWholeRun(report, verification: nil, document: report.json.adding("manifest", manifest.json(path: path)))
    guard writeFile(path, manifest.text) else { return JetError.diskIO.code }
    return report.jetError.code
}

/// Checks a directory against a manifest. See esecheck.h.
@_cdecl("esecheck_verify_directory")
public func esecheck_verify_directory(_ pointer: OpaquePointer?, _ manifestPath: UnsafePointer<CChar>?, _ directory: UnsafePointer<CChar>?,
                                      _ baseName: UnsafePointer<CChar>?) -> Int32 {
    guard let box = box(pointer), let directory, let manifestPath else { return JetError.invalidParameter.code }
    let base = baseName.map { String(cString: $0) }
    if let base, !CheckSession.isValidBaseName(base) { return JetError.invalidParameter.code }
    guard box.claimWholeRun() else { return JetError.invalidParameter.code }
    let path = cPath(manifestPath)
    let manifest: BackupManifest
    switch loadManifest(path) {
    case .success(let loaded): manifest = loaded
    case .failure(let error): return error.code
    }
    let (options, backupType) = box.wholeRunOptions
    let result = ManifestBuilder(options: options, backupType: backupType).verify(manifest, directory: cPath(directory), baseName: base)
    box.finishWholeRun(result.report, verification: result, document: result.json(path: path))
    return result.report.jetError.code
}

/// Checks a tar stream the caller reads, optionally against a manifest. See esecheck.h.
@_cdecl("esecheck_check_tar")
public func esecheck_check_tar(_ pointer: OpaquePointer?, _ read: (@convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int) -> Int64)?,
                               _ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<CChar>?, _ baseName: UnsafePointer<CChar>?,
                               _ manifestPath: UnsafePointer<CChar>?) -> Int32 {
    guard let read else { return JetError.invalidParameter.code }
    nonisolated(unsafe) let context = context
    return checkTar(pointer, name: name, baseName: baseName, manifestPath: manifestPath) { count in
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { read(context, $0.baseAddress, count) }
        guard got >= 0, got <= count else { throw CTarReadError(code: got) }
        bytes.removeSubrange(Int(got)...)
        return bytes
    }
}

/// Checks a tar stream read from a file descriptor, optionally against a manifest. See esecheck.h.
@_cdecl("esecheck_check_tar_fd")
public func esecheck_check_tar_fd(_ pointer: OpaquePointer?, _ descriptor: Int32, _ name: UnsafePointer<CChar>?,
                                  _ baseName: UnsafePointer<CChar>?, _ manifestPath: UnsafePointer<CChar>?) -> Int32 {
    guard descriptor >= 0 else { return JetError.invalidParameter.code }
    return checkTar(pointer, name: name, baseName: baseName, manifestPath: manifestPath) { count in
        var bytes = [UInt8](repeating: 0, count: count)
        while true {
            let got = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, count) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw CTarReadError(code: Int64(-errno)) }
            bytes.removeSubrange(got...)
            return bytes
        }
    }
}

/// `read(2)`, named so that the C library's function is meant, not a parameter.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}

/// A failure of the caller's read function (its negative return) or of `read(2)` (`-errno`).
struct CTarReadError: Error, CustomStringConvertible {
    var code: Int64
    var description: String { "the stream's read failed (\(code))" }
}

/// The tar run shared by the callback and descriptor entry points.
private func checkTar(_ pointer: OpaquePointer?, name: UnsafePointer<CChar>?, baseName: UnsafePointer<CChar>?,
                      manifestPath: UnsafePointer<CChar>?, read: @escaping TarReader.Read) -> Int32 {
    guard let box = box(pointer) else { return JetError.invalidParameter.code }
    let base = baseName.map { String(cString: $0) }
    if let base, !CheckSession.isValidBaseName(base) { return JetError.invalidParameter.code }
    guard box.claimWholeRun() else { return JetError.invalidParameter.code }
    var manifest: BackupManifest?
    if let manifestPath {
        switch loadManifest(cPath(manifestPath)) {
        case .success(let loaded): manifest = loaded
        case .failure(let error): return error.code
        }
    }
    let (options, backupType) = box.wholeRunOptions
    let checker = TarChecker(options: options, backupType: backupType)
    var reader = TarReader(read: read)
    let archive = name.map(cPath) ?? "stream"
    if let manifest {
        let result = checker.verify(manifest, &reader, name: archive, baseName: base)
        box.finishWholeRun(result.report, verification: result, document: result.json(path: manifestPath.map(cPath)))
        return result.report.jetError.code
    }
    let report = checker.check(&reader, name: archive, baseName: base)
    box.finishWholeRun(report, verification: nil, document: nil)
    return report.jetError.code
}

/// Turns whole-file hashing on or off before `esecheck_init`. See esecheck.h.
@_cdecl("esecheck_set_hash_files")
public func esecheck_set_hash_files(_ pointer: OpaquePointer?, _ on: Int32) -> Int32 {
    box(pointer)?.configure { $0.hashFiles = on != 0 } ?? JetError.invalidParameter.code
}

/// Writes the manifest of a finished session. See esecheck.h.
@_cdecl("esecheck_write_manifest")
public func esecheck_write_manifest(_ pointer: OpaquePointer?, _ manifestPath: UnsafePointer<CChar>?) -> Int32 {
    guard let box = box(pointer), let manifestPath,
          let (session, report) = box.state.withLock({ state in state.session.flatMap { session in state.report.map { (session, $0) } } }) else {
        return JetError.invalidParameter.code
    }
    let manifest = ManifestBuilder(options: session.options, backupType: session.backupType).manifest(of: session, report: report)
    return writeFile(cPath(manifestPath), manifest.text) ? 0 : JetError.diskIO.code
}

/// The comparison with a manifest. See esecheck.h.
@_cdecl("esecheck_get_manifest_result")
public func esecheck_get_manifest_result(_ pointer: OpaquePointer?, _ result: UnsafeMutableRawPointer?) -> Int32 {
    guard let manifest = box(pointer)?.state.withLock({ $0.manifest }), let result else { return JetError.invalidParameter.code }
    manifest.result.store(to: result)
    return 0
}

/// One file that differs from the manifest. See esecheck.h.
@_cdecl("esecheck_get_manifest_finding")
public func esecheck_get_manifest_finding(_ pointer: OpaquePointer?, _ index: UInt32, _ finding: UnsafeMutableRawPointer?) -> Int32 {
    guard let manifest = box(pointer)?.state.withLock({ $0.manifest }), let finding,
          manifest.findings.indices.contains(Int(index)) else { return JetError.invalidParameter.code }
    manifest.findings[Int(index)].store(to: finding)
    return 0
}
