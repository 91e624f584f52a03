import ESEFormat

/// A problem found in one log file. Severity separates what makes the set unusable from
/// what only deserves attention (a patchable torn write in the current log, a corrected bit).
public struct LogProblem: Hashable, Sendable {
    /// How serious the problem is.
    public enum Severity: String, Hashable, Sendable {
        /// Worth reporting; the log is still usable (ESE repairs or ignores it).
        case warning
        /// The log is damaged or does not belong.
        case error
    }

    /// A stable machine name (`headerChecksum`, `generationMismatch`, `bodyDamaged`, `tornWrite`, …).
    public var code: Code
    /// How serious it is.
    public var severity: Severity
    /// The JET error ESE would report, when there is one.
    public var jetError: JetError?
    /// A one-line explanation.
    public var message: String
    /// The sector or segment concerned, when there is one.
    public var sector: Int?

    /// Creates a problem.
    public init(_ code: Code, _ severity: Severity, _ jetError: JetError?, _ message: String, sector: Int? = nil) {
        self.code = code
        self.severity = severity
        self.jetError = jetError
        self.message = message
        self.sector = sector
    }
}

/// What checking one log file found.
public struct LogFileReport: Hashable, Sendable {
    /// The file's path.
    public var path: String
    /// The parsed name.
    public var name: LogFileName
    /// The file's size in bytes (0 when it could not be opened).
    public var fileSize: UInt64
    /// The parsed header, when its checksum is valid.
    public var header: LogFileHeader?
    /// The body scan, when the header allowed one.
    public var body: LogBodyScan?
    /// The record walk over the valid body, when `CheckOptions.walkLogRecords` asked for one.
    public var records: LogRecordWalk?
    /// Everything wrong with the file.
    public var problems: [LogProblem] = []

    /// Whether this is the current log (`<base>.log`).
    public var isCurrent: Bool { name.kind == .current }
    /// The generation: from the header when valid, else from the name.
    public var generation: Int32? { header?.generation ?? name.generation }
    /// The place the file holds in the sequence: the generation its name says (recovery opens
    /// logs by name), else its header's (the current log's name has no number).
    public var sequencePosition: Int32? { name.generation ?? header?.generation }
    /// Whether the header's checksum is valid.
    public var headerValid: Bool { header != nil }
    /// Whether the file has no error-level problem (warnings allowed).
    public var isValid: Bool { header != nil && !problems.contains { $0.severity == .error } }
    /// The body format, when known.
    public var format: LogBodyFormat? { header?.bodyFormat }
}

/// A break in the chain of generations.
public struct LogBreak: Hashable, Sendable {
    /// The kind of break.
    public enum Kind: String, Hashable, Sendable {
        /// Generations are missing. ESE: −528 (dump) / −543 (recovery).
        case gap
        /// The next log belongs to another sequence. ESE: −530.
        case signature
        /// `tmPrevGen` does not equal the previous generation's creation time. ESE: −515.
        case prevGenTime
        /// The recorded accumulated segment checksum of the previous generation differs. ESE: −590.
        case accumulatedChecksum
    }

    /// The last good generation before the break.
    public var after: Int32
    /// The kind.
    public var kind: Kind
    /// For gaps: the missing generations.
    public var missing: ClosedRange<Int32>?
    /// The file after the break, when there is one.
    public var file: String?
    /// What the chain expected.
    public var expected: String?
    /// What was found instead.
    public var found: String?

    /// The JET error ESE reports for this break.
    public var jetError: JetError {
        switch kind {
        case .gap: .missingLogFile
        case .signature: .badLogSignature
        case .prevGenTime: .invalidLogSequence
        case .accumulatedChecksum: .logSequenceChecksumMismatch
        }
    }
}

/// What checking the checkpoint file found.
public struct CheckpointReport: Hashable, Sendable {
    /// The file's path.
    public var path: String
    /// The copy choice, when a copy is valid.
    public var selection: CheckpointSelection?
    /// Problems found.
    public var problems: [LogProblem] = []

    /// The checkpoint position, when readable.
    public var checkpoint: LogPosition? { selection?.header.checkpoint }
    /// Whether the checkpoint is usable and belongs to the set.
    public var isValid: Bool { selection != nil && !problems.contains { $0.severity == .error } }
}

/// A temporary or reserve log: pre-formatted filler or a stale file, never required.
public struct AuxiliaryLogFile: Hashable, Sendable {
    /// What the contents are.
    public enum State: String, Hashable, Sendable {
        /// All zero or the log-extend pattern: never used.
        case empty
        /// A valid log header (a stale temporary log from an earlier switch).
        case staleLog
        /// Neither: unrecognisable contents (not treated as corruption; never needed).
        case unrecognised
        /// Could not be read.
        case unreadable
    }

    /// The file's path.
    public var path: String
    /// The parsed name (temporary or reserve).
    public var name: LogFileName
    /// The size in bytes.
    public var fileSize: UInt64
    /// The contents.
    public var state: State
    /// The generation in a stale log's header.
    public var generation: Int32?
}

/// Everything checking one log set (one base name in one directory) found.
public struct LogSetReport: Hashable, Sendable {
    /// The directory examined.
    public var directory: String
    /// The base name (`E00`, `edb`, `SRU`).
    public var baseName: String
    /// Generation files and the current log, in generation order (current last).
    public var files: [LogFileReport] = []
    /// Breaks in the chain.
    public var breaks: [LogBreak] = []
    /// The checkpoint, when present.
    public var checkpoint: CheckpointReport?
    /// Temporary and reserve logs.
    public var auxiliary: [AuxiliaryLogFile] = []
    /// The sequence's signature (from the checkpoint, else the current log, else most logs).
    public var signature: Signature?
    /// Why the set could not be examined.
    public var errors: [CheckError] = []
    /// What soft recovery would replay from these files alone (no database): the anchor, the
    /// start and why, strays above the current log, logs below the start, the first failure.
    public var replayPlan: ReplayPlan?
    /// What `eseutil /ml` would report, where administrators compare it with recovery's view.
    public var logDump: LogDumpReport?

    /// The generations present (lowest to highest), when any.
    public var generations: ClosedRange<Int32>? {
        let present = files.compactMap { $0.header != nil ? $0.generation : $0.name.generation }
        guard let low = present.min(), let high = present.max() else { return nil }
        return low...high
    }

    /// The report for generation `generation`, when present.
    public func file(generation: Int32) -> LogFileReport? {
        files.first { $0.generation == generation }
    }

    /// Generations in `range` that have no file, as runs. Works from the generations present,
    /// so a huge claimed range costs no more than the files in the directory.
    public func missing(in range: ClosedRange<Int32>) -> [ClosedRange<Int32>] {
        let present = Set(files.compactMap(\.generation)).filter { range.contains($0) }.sorted()
        var result: [ClosedRange<Int32>] = []
        var next = Int64(range.lowerBound)
        for generation in present {
            if Int64(generation) > next { result.append(Int32(next)...(generation - 1)) }
            next = Int64(generation) + 1
        }
        if next <= Int64(range.upperBound) { result.append(Int32(next)...range.upperBound) }
        return result
    }

    /// Whether every generation from the first to the last is present, chained and undamaged
    /// (a patchable torn write in the current log is a warning), and the checkpoint is usable.
    public var isWhole: Bool {
        errors.isEmpty && !files.isEmpty && breaks.isEmpty && files.allSatisfy(\.isValid)
            && (checkpoint?.isValid ?? true)
    }

    /// Whether any warning was raised.
    public var hasWarnings: Bool {
        files.contains { $0.problems.contains { $0.severity == .warning } }
            || (checkpoint?.problems.contains { $0.severity == .warning } ?? false)
    }
}
