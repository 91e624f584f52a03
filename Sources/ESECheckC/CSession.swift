// The object behind an `esecheck_session *`, and the helpers every C call shares.

import ESECheck

/// The object behind an `esecheck_session *`: the Swift session, the settings made before
/// `esecheck_init`, and after `esecheck_term` the report with its C view.
final class CSession: Sendable {
    struct State: Sendable {
        var session: CheckSession?
        var report: StorageGroupReport?
        /// The report as C reads it: strings the session owns until `esecheck_delete`.
        var results: CResults?
        /// The cap on each database's findings lists (`esecheck_set_max_findings`).
        var maxFindings = PageTally.defaultFindingLimit
        /// The backup being verified (`esecheck_set_backup_type`).
        var backupType = BackupType.full
        /// Whether the session hashes every byte it checks (`esecheck_set_hash_files`), so
        /// that `esecheck_write_manifest` can record it.
        var hashFiles = false
        /// Whether a whole run (a manifest, a verification, a tar stream) has been started.
        var ranWhole = false
        /// A manifest run's comparison (zeroed for a tar run without a manifest).
        var manifest: CManifestResults?
        /// The JSON document of a manifest run (the report with its `manifest` object).
        var document: JSONValue?
        /// The read rate to hold, bytes per second; nil for none (`esecheck_set_max_rate`).
        var maxBytesPerSecond: Int?
    }

    let state = Locked(State())

    var session: CheckSession? { state.withLock { $0.session } }

    /// The report's C view, once `esecheck_term` succeeded.
    var results: CResults? { state.withLock { $0.results } }

    /// Creates the session for `esecheck_init`: once, with the settings made before it.
    func start(_ databases: [DatabaseSource], logDirectory: String?, baseName: String?) -> Int32 {
        if let baseName, !CheckSession.isValidBaseName(baseName) { return JetError.invalidParameter.code }
        return state.withLock { state in
            guard state.session == nil, !state.ranWhole else { return JetError.invalidParameter.code }
            var options = CheckOptions()
            options.maxFindings = state.maxFindings
            options.hashFiles = state.hashFiles
            options.maxBytesPerSecond = state.maxBytesPerSecond
            state.session = CheckSession(databases: databases, logDirectory: logDirectory, baseName: baseName,
                                         backupType: state.backupType, options: options)
            return 0
        }
    }

    /// The options a whole run uses: the settings made before it.
    var wholeRunOptions: (options: CheckOptions, backupType: BackupType) {
        state.withLock { state in
            var options = CheckOptions()
            options.maxFindings = state.maxFindings
            return (options, state.backupType)
        }
    }

    /// Claims the session for a whole run: false when it was initialized or run before.
    func claimWholeRun() -> Bool {
        state.withLock { state in
            guard state.session == nil, !state.ranWhole else { return false }
            state.ranWhole = true
            return true
        }
    }

    /// Records the report of a whole run, its comparison with a manifest and its JSON document.
    func finishWholeRun(_ report: StorageGroupReport, verification: ManifestVerification?, document: JSONValue?) {
        let results = CResults(report), manifest = CManifestResults(verification)
        state.withLock { state in
            state.report = report
            state.results = results
            state.manifest = manifest
            state.document = document
        }
    }

    /// Changes a setting before `esecheck_init`; -1003 after it.
    func configure(_ change: (inout State) -> Void) -> Int32 {
        state.withLock { state in
            guard state.session == nil, !state.ranWhole else { return JetError.invalidParameter.code }
            change(&state)
            return 0
        }
    }
}

/// The session behind a C handle (nil for NULL).
func box(_ pointer: OpaquePointer?) -> CSession? {
    guard let pointer else { return nil }
    return Unmanaged<CSession>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

/// The JET error a misuse or examination error returns to C.
func code(_ error: CheckError) -> Int32 { error.jetError?.code ?? JetError.invalidParameter.code }

/// A C path as the checker carries it: its bytes exactly, even when they are not UTF-8.
func cPath(_ path: UnsafePointer<CChar>) -> String {
    var count = 0
    while path[count] != 0 { count += 1 }
    return PathEncoding.string(fromBytes: UnsafeRawBufferPointer(start: path, count: count))
}

/// Copies `text` NUL-terminated into `buffer` (truncated to `capacity`); returns its length.
func copy(_ text: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int {
    let bytes = Array(text.utf8)
    if let buffer, capacity > 0 {
        let count = min(bytes.count, capacity - 1)
        for index in 0..<count { buffer[index] = CChar(bitPattern: bytes[index]) }
        buffer[count] = 0
    }
    return bytes.count
}
