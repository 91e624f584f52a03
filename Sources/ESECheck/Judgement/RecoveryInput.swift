import ESEFormat

/// One log file as recovery sees it: its name, its header, and what reading its body found.
/// Facts only — no I/O; `RecoveryModel` decides what they mean.
public struct RecoveryLog: Hashable, Sendable {
    /// What reading the body found.
    public enum Body: Hashable, Sendable {
        /// No damage (single-bit ECC corrections allowed).
        case clean
        /// A torn write whose shadow copy is valid: ESE repairs it in any generation during
        /// soft recovery (logread.cxx:1560-1678).
        case tornWriteRepairable(sector: Int)
        /// Damage ESE cannot repair (logread.cxx:1757-1808 → −501).
        case corrupt(sector: Int?, detail: String)
        /// Not scanned (the header was unusable).
        case notExamined
    }

    /// The file name (`E0000001A.log`, `E00.log`).
    public var fileName: String
    /// The generation in the file name; nil for the current log (`<base>.log`).
    public var nameGeneration: Int32?
    /// The file's size in bytes.
    public var fileSize: UInt64
    /// The header, when its checksum is valid.
    public var header: LogFileHeader?
    /// Why the header cannot be used, when it cannot (checksum, version, file type,
    /// unreadable file). Recovery fails on such a log without the lost-log rule.
    public var headerProblem: RecoveryLogProblem?
    /// What reading the body found.
    public var body: Body
    /// v8: the XOR of every valid segment's checksum, as recovery accumulates it.
    public var accumulatedChecksum: UInt64?
    /// The walk of the log's records, when they were read: invalid records, how the log ends,
    /// the attach and detach records. Nil when records were not walked (the model then uses
    /// the header approximations of recovery.md §5 and says so).
    public var records: LogRecordWalk?

    /// Creates the facts of one log.
    public init(fileName: String, nameGeneration: Int32?, fileSize: UInt64, header: LogFileHeader?,
                headerProblem: RecoveryLogProblem? = nil, body: Body = .clean, accumulatedChecksum: UInt64? = nil) {
        self.fileName = fileName
        self.nameGeneration = nameGeneration
        self.fileSize = fileSize
        self.header = header
        self.headerProblem = headerProblem
        self.body = body
        self.accumulatedChecksum = accumulatedChecksum
    }

    /// Whether this is the current log, `<base>.log` (ESE: `szLogName` of generation "current").
    public var isCurrent: Bool { nameGeneration == nil }
    /// The header when it is usable.
    var usableHeader: LogFileHeader? { headerProblem == nil ? header : nil }
}

/// Why a log's header cannot be used.
public struct RecoveryLogProblem: Hashable, Sendable {
    /// The error ESE returns when it opens the file.
    public var jetError: JetError
    /// What is wrong.
    public var message: String
    /// Whether the file could not be read at all (as opposed to being read and found bad).
    public var isUnreadable: Bool

    /// Creates a header problem.
    public init(jetError: JetError, message: String, isUnreadable: Bool = false) {
        self.jetError = jetError
        self.message = message
        self.isUnreadable = isUnreadable
    }
}

/// The checkpoint file as recovery sees it.
public struct RecoveryCheckpoint: Hashable, Sendable {
    /// The file name (`E00.chk`).
    public var fileName: String
    /// The copy ESE would use, when one is valid.
    public var header: CheckpointHeader?
    /// Whether the file could not be read at all.
    public var isUnreadable: Bool

    /// Creates the facts of a checkpoint file.
    public init(fileName: String, header: CheckpointHeader?, isUnreadable: Bool = false) {
        self.fileName = fileName
        self.header = header
        self.isUnreadable = isUnreadable
    }
}

/// One database as recovery sees it.
public struct RecoveryDatabase: Hashable, Sendable {
    /// The path the database was checked at.
    public var path: String
    /// The header ESE would use (primary, else shadow), when one is valid.
    public var header: DatabaseHeader?

    /// Creates the facts of a database.
    public init(path: String, header: DatabaseHeader?) {
        self.path = path
        self.header = header
    }

    /// The last component of the path, for matching with attach lists that name the
    /// database where it lived on the server.
    var fileName: String { RecoveryDatabase.lastComponent(path) }

    /// The last path component, splitting at `/` and at `\` (attach lists hold Windows paths).
    static func lastComponent(_ path: String) -> String {
        let name = path.split(omittingEmptySubsequences: true) { $0 == "/" || $0 == "\\" }.last.map(String.init) ?? path
        return name.lowercased()
    }
}

/// Everything the recovery model needs: the log set, the checkpoint, the databases and what
/// kind of backup is verified. Pure data, built from reports or written by hand in tests.
public struct RecoveryInput: Hashable, Sendable {
    /// Whether a log directory is part of the check at all.
    public var logsGiven: Bool
    /// The archived logs and the current log of the chosen base name and extension.
    public var logs: [RecoveryLog]
    /// Whether `<base>tmp.log` exists (its content is not examined by ESE; logredo.cxx:14939-14956).
    public var temporaryLogPresent: Bool
    /// The checkpoint file, when present.
    public var checkpoint: RecoveryCheckpoint?
    /// The databases checked, in the caller's order.
    public var databases: [RecoveryDatabase]
    /// The backup being verified.
    public var backupType: BackupType
    /// Whether the databases are part of the question. False when only the log set is checked
    /// (`ese-verify logs`): databases its attach lists name are then not expected.
    public var databasesGiven = true

    /// Creates a model input.
    public init(logsGiven: Bool, logs: [RecoveryLog], temporaryLogPresent: Bool = false,
                checkpoint: RecoveryCheckpoint? = nil, databases: [RecoveryDatabase], backupType: BackupType = .full) {
        self.logsGiven = logsGiven
        self.logs = logs
        self.temporaryLogPresent = temporaryLogPresent
        self.checkpoint = checkpoint
        self.databases = databases
        self.backupType = backupType
    }
}

extension Array {
    /// The element at `index`, or nil when it is out of range.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
