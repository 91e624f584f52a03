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
            public var name: String
            public var pageSize: Int
            public var pages: Int
            public var used: Double?
            public var legacyChecksums: Bool?
        }
        /// A generation range.
        public struct Range: Codable, Hashable, Sendable {
            public var first: Int32
            public var last: Int32
        }
        public var databases: [Database]
        public var logFormat: String?
        public var generations: Int?
        public var logFileSectors: Int?
        public var dirty: Bool?
        public var circularLogging: Bool?
        public var previousFullBackup: Range?
        public var eightDigitNames: Bool?
        public var seed: UInt64?
        public var baseName: String?
    }

    /// The verdicts the checker must give; only the fields present are compared.
    public struct Expectation: Codable, Hashable, Sendable {
        /// One database's expectations.
        public struct Database: Codable, Hashable, Sendable {
            public var verdict: String?
            public var primaryHeaderValid: Bool?
            public var shadowHeaderValid: Bool?
            public var requiredLogs: [String: Int]?
            public var pages: [String: Int]?
            public var findings: [Finding]?
        }
        /// One expected finding.
        public struct Finding: Codable, Hashable, Sendable {
            public var page: Int
            public var kind: String
            public var bit: Int?
            public var suspectedPage: Int?
            public var jetError: Int?
        }
        /// One expected chain break.
        public struct Break: Codable, Hashable, Sendable {
            public var after: Int
            public var kind: String
            public var missing: Group.Range?
        }
        /// The log set's expectations.
        public struct Logs: Codable, Hashable, Sendable {
            public var whole: Bool?
            public var breaks: [Break]?
            public var missingRequired: [Group.Range]?
            public var onlyUnnecessaryLogsCorrupt: Bool?
            public var warnings: Bool?
            public var checkpointValid: Bool?
            public var circularLogging: Bool?
        }
        public var verdict: String?
        public var jetError: Int?
        public var databases: [Database]?
        public var logs: Logs?
        public var truncateBelow: Int?
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
    /// The expected verdicts.
    public var expect: Expectation

    /// The generator spec for the group, with optional overrides.
    public func spec(seed: UInt64? = nil) -> StorageGroupSpec {
        var spec = StorageGroupSpec(databases: group.databases.map {
            StorageGroupSpec.Database(name: $0.name, pageSize: $0.pageSize, pageCount: $0.pages,
                                      usedFraction: $0.used ?? 0.75, legacyChecksums: $0.legacyChecksums ?? false)
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
