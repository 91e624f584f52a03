import CorpusManifest
import ESEFormat
import Foundation

/// A named storage group, the faults injected into it, and the verdicts it must produce.
/// Scenarios live in `Corpus/scenarios.json`.
public struct Scenario: Codable, Hashable, Sendable {
    /// What to generate.
    public struct Group: Codable, Hashable, Sendable {
        /// One database.
        public struct Database: Codable, Hashable, Sendable {
            /// The file name.
            public var name: String
            /// Page size in bytes.
            public var pageSize: Int
            /// Logical data pages.
            public var pages: Int
            /// Fraction of pages in use (default 0.75).
            public var used: Double?
            /// Old-format page checksums.
            public var legacyChecksums: Bool?
            /// Write a flush map (`<db>.jfm`) beside the database.
            public var flushMap: Bool?
        }
        /// A generation range.
        public struct Range: Codable, Hashable, Sendable {
            /// The first generation.
            public var first: Int32
            /// The last generation.
            public var last: Int32
        }
        /// The databases.
        public var databases: [Database]
        /// `v8` (default) or `v7`.
        public var logFormat: String?
        /// Log generations (the last is the current log).
        public var generations: Int?
        /// Log file size in sectors.
        public var logFileSectors: Int?
        /// Databases in dirty shutdown.
        public var dirty: Bool?
        /// Circular logging on.
        public var circularLogging: Bool?
        /// A previous full backup recorded in the headers.
        public var previousFullBackup: Range?
        /// Archived log names with 8 hex digits.
        public var eightDigitNames: Bool?
        /// The seed.
        public var seed: UInt64?
        /// The log base name (default `E00`).
        public var baseName: String?
        /// The first log generation written (default 1).
        public var firstGeneration: Int32?
    }

    /// The verdicts the checker must give; only the fields present are compared.
    public struct Expectation: Codable, Hashable, Sendable {
        /// One database's expectations.
        public struct Database: Codable, Hashable, Sendable {
            /// The database verdict.
            public var verdict: String?
            /// Whether the primary header is valid.
            public var primaryHeaderValid: Bool?
            /// Whether the shadow header is valid.
            public var shadowHeaderValid: Bool?
            /// `{"min": N, "max": N}`.
            public var requiredLogs: [String: Int]?
            /// Page counts by verdict name.
            public var pages: [String: Int]?
            /// Every finding, in page order.
            public var findings: [Finding]?
            /// The database's JET error.
            public var jetError: Int?
            /// How recovery attaches it (`AttachStatus` name: `attached`, `deferred`, `notListed`, …).
            public var attach: String?
        }
        /// One expected finding.
        public struct Finding: Codable, Hashable, Sendable {
            /// The page number.
            public var page: Int
            /// `correctable`, `badChecksum` or `wrongPageNumber`.
            public var kind: String
            /// The flipped bit, for correctable pages.
            public var bit: Int?
            /// The page a misplaced page really is.
            public var suspectedPage: Int?
            /// The JET error.
            public var jetError: Int?
        }
        /// What the recovery model must answer (recovery.md S0–S7); only the fields given are compared.
        public struct Recovery: Codable, Hashable, Sendable {
            /// The first generation replayed (`ReplayPlan.start`).
            public var start: Int?
            /// Why replay starts there: `checkpoint`, `lowestArchivedLog` or `currentLog`.
            public var startReason: String?
            /// The last generation replayed, or the last good one before the failure.
            public var end: Int?
            /// Archived logs above the current log, never opened (file names, in order).
            public var strayLogs: [String]?
            /// Archived logs below the start, never read (file names, in order).
            public var unreadLowLogs: [String]?
            /// The failure's machine name (`logMissing`, `startAfterRequired`, …), or `""` for none.
            public var failure: String?
            /// The generation the failure is at.
            public var failureGeneration: Int?
            /// The remedy codes (`deleteCheckpoint`, `removeLowLogs`, `replaceLog`, `recoverWithLoss`,
            /// `ignoreMissingDatabases`, `hardRestore`), compared as a set.
            public var remedies: [String]?
            /// The error `eseutil /ml` returns for the log set (recovery.md §6).
            public var eseutilML: Int?
            /// The generations `eseutil /r /a` would drop, for `recoverableWithLoss`.
            public var lostGenerations: Group.Range?
        }
        /// One expected chain break.
        public struct Break: Codable, Hashable, Sendable {
            /// The last good generation before the break.
            public var after: Int
            /// `gap`, `signature`, `prevGenTime` or `accumulatedChecksum`.
            public var kind: String
            /// The missing generations, for gaps.
            public var missing: Group.Range?
        }
        /// The log set's expectations.
        public struct Logs: Codable, Hashable, Sendable {
            /// Whether the log set is whole.
            public var whole: Bool?
            /// The chain breaks, in order.
            public var breaks: [Break]?
            /// Required generations that are missing.
            public var missingRequired: [Group.Range]?
            /// CHKSGFILES' "only unnecessary logs corrupt".
            public var onlyUnnecessaryLogsCorrupt: Bool?
            /// Whether any warning is raised.
            public var warnings: Bool?
            /// Whether the checkpoint is valid.
            public var checkpointValid: Bool?
            /// Whether circular logging is reported on.
            public var circularLogging: Bool?
            /// The problem codes of the log files (`invalidRecord`, `bodyDamaged`, …), compared as a set.
            public var problems: [String]?
            /// What the record walk found in given generations (needs the scenario's `walkRecords`).
            public var records: [Records]?
        }
        /// The record walk of one log generation; only the fields given are compared.
        public struct Records: Codable, Hashable, Sendable {
            /// The generation.
            public var generation: Int32
            /// Records walked by type name (`AttachDB`, `Init2`, `Term2`, …).
            public var counts: [String: Int]?
            /// The reason of the first invalid record (`typeOutOfRange`, `recordInsideFragment`, …), `""` for none.
            public var invalid: String?
        }
        /// The overall verdict.
        public var verdict: String?
        /// The overall JET error.
        public var jetError: Int?
        /// Per database, in order.
        public var databases: [Database]?
        /// The log set.
        public var logs: Logs?
        /// The truncation point (0: none may be reported).
        public var truncateBelow: Int?
        /// The recovery model's replay plan and remedies.
        public var recovery: Recovery?
    }

    /// The scenario's name.
    public var name: String
    /// One sentence on what it exercises.
    public var summary: String
    /// What to generate.
    public var group: Group
    /// Faults to inject, in order.
    public var faults: [Fault]?
    /// The backup type to verify (`full` when absent).
    public var backup: String?
    /// Whether the check also walks every log record (`CheckOptions.walkLogRecords`).
    public var walkRecords: Bool?
    /// The expected verdicts.
    public var expect: Expectation
    /// Where the checker is known to answer differently from ESE's behaviour as recovery.md
    /// states it: the expectation stays ESE's, and the golden test records the difference as
    /// a known issue (and fails once the checker agrees, so the note is removed).
    public var knownDisagreement: String?

    /// The generator spec for the group, with optional overrides.
    public func spec(seed: UInt64? = nil) -> StorageGroupSpec {
        var spec = StorageGroupSpec(databases: group.databases.map {
            var database = StorageGroupSpec.Database(name: $0.name, pageSize: $0.pageSize, pageCount: $0.pages,
                                                     usedFraction: $0.used ?? 0.75, legacyChecksums: $0.legacyChecksums ?? false)
            database.flushMap = $0.flushMap ?? false
            return database
        })
        spec.logFormat = group.logFormat == "v7" ? .v7 : .v8
        spec.generations = group.generations ?? 6
        spec.logFileSectors = group.logFileSectors ?? (spec.logFormat == .v8 ? 16 : 160)
        spec.dirty = group.dirty ?? false
        spec.circularLogging = group.circularLogging ?? false
        spec.previousFullBackup = group.previousFullBackup.map { $0.first...$0.last }
        spec.eightDigitNames = group.eightDigitNames ?? false
        spec.seed = seed ?? group.seed ?? 1
        spec.baseName = group.baseName ?? "E00"
        spec.firstGeneration = group.firstGeneration ?? 1
        return spec
    }

    /// Writes the group into `directory` and injects the faults.
    @discardableResult
    public func write(to directory: String, spec: StorageGroupSpec? = nil, threads: Int = 1,
                      progress: (@Sendable (Int) -> Void)? = nil) throws -> (spec: StorageGroupSpec, files: StorageGroupFiles) {
        let spec = spec ?? self.spec()
        let files = try StorageGroupWriter.write(spec, to: directory, threads: threads, progress: progress)
        for fault in faults ?? [] { try FaultInjector.apply(fault, to: files, spec: spec) }
        return (spec, files)
    }
}

/// The scenarios of `Corpus/scenarios.json`.
public enum ScenarioCatalog {
    struct Manifest: Codable {
        var schema: String
        var scenarios: [Scenario]
    }

    /// Every scenario, in manifest order.
    public static func all() throws -> [Scenario] {
        try JSONDecoder().decode(Manifest.self, from: CorpusManifest.data()).scenarios
    }

    /// The scenario called `name`.
    public static func named(_ name: String) throws -> Scenario? {
        try all().first { $0.name == name }
    }
}
