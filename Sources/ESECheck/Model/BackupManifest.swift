import ESEFormat

/// What `ese-verify manifest` recorded about a storage group at backup time: every file of the
/// set by name (relative to the directory), its size, identity and whole-file hash (`XXH3Tree`), and for
/// databases and logs the header facts recovery depends on. The text form and its
/// self-checksum are described in docs/manifest.md (`BackupManifest+Text.swift`).
public struct BackupManifest: Hashable, Sendable {
    /// The format version written in the first line: 2 since the whole-file hash is the XXH3-64
    /// tree (`XXH3Tree`); version 1 (CRC-32C) is refused with a message saying so.
    public static let formatVersion = 2
    /// The whole-file hash, as the manifest's `hash` line names it.
    public static let hashAlgorithm = "xxh3-64-tree"


    /// What a file is in the storage group.
    public enum Kind: String, Hashable, Sendable {
        /// A database checked page by page.
        case database
        /// A log generation of the checked set (`E00.log`, `E0000000A.log`, …).
        case log
        /// Any other regular file of the directory (checkpoint, reserve logs, others).
        case other
    }

    /// The header facts of a database (ESE `DBFILEHDR`).
    public struct DatabaseFacts: Hashable, Sendable {
        /// `signDb`: random number and creation time.
        public var signature: String
        /// `signLog`: the log sequence it was last attached to.
        public var logSignature: String
        /// `dbstate`, by name.
        public var state: String
        /// `lgenMinRequired` … `lgenMaxRequired`.
        public var requiredGenerations: ClosedRange<Int32>?
        /// `cbPageSize`.
        public var pageSize: Int
        /// Pages in the file, header pages excluded.
        public var dataPages: Int
        /// Creates facts.
        public init(signature: String, logSignature: String, state: String, requiredGenerations: ClosedRange<Int32>?, pageSize: Int, dataPages: Int) {
            self.signature = signature
            self.logSignature = logSignature
            self.state = state
            self.requiredGenerations = requiredGenerations
            self.pageSize = pageSize
            self.dataPages = dataPages
        }
    }

    /// The header facts of a log generation (ESE `LGFILEHDR`).
    public struct LogFacts: Hashable, Sendable {
        /// `lGeneration`.
        public var generation: Int32
        /// `signLog`.
        public var logSignature: String
        /// `tmCreate`.
        public var created: String
        /// Creates facts.
        public init(generation: Int32, logSignature: String, created: String) {
            self.generation = generation
            self.logSignature = logSignature
            self.created = created
        }
    }

    /// One file.
    public struct Entry: Hashable, Sendable {
        /// The name relative to the manifest's directory.
        public var name: String
        /// What the file is.
        public var kind: Kind
        /// Its size in bytes.
        public var size: UInt64
        /// Its whole-file hash (`XXH3Tree`), nil when the file could not be read whole.
        public var hash: UInt64?
        /// Device, inode and modification time at backup time (informational: a restored copy
        /// has new ones, so they are not compared).
        public var identity: String
        /// Database header facts.
        public var database: DatabaseFacts?
        /// Log header facts.
        public var log: LogFacts?
        /// Creates an entry.
        public init(name: String, kind: Kind, size: UInt64, hash: UInt64?, identity: String = "",
                    database: DatabaseFacts? = nil, log: LogFacts? = nil) {
            self.name = name
            self.kind = kind
            self.size = size
            self.hash = hash
            self.identity = identity
            self.database = database
            self.log = log
        }
    }

    /// The files, sorted by name.
    public var entries: [Entry]
    /// The storage-group verdict of the check run when the manifest was made.
    public var verdict: Verdict

    /// Creates a manifest (entries are sorted by name).
    public init(entries: [Entry], verdict: Verdict) {
        self.entries = entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        self.verdict = verdict
    }
}
