import ESEFormat

/// What soft recovery would replay, as ESE computes it (recovery.md §2, S0–S4): the anchor,
/// where replay starts and why, where it ends, and the logs it never opens.
public struct ReplayPlan: Hashable, Sendable {
    /// Why replay starts where it does. ESE: `ErrLGRRedo` choosing the first log (logredo.cxx:15140-15231).
    public enum StartReason: String, Hashable, Sendable {
        /// The checkpoint's generation (`le_lgposCheckpoint`).
        case checkpoint
        /// No usable checkpoint: the lowest archived generation by name.
        case lowestArchivedLog
        /// No usable checkpoint and no archived log: the current log.
        case currentLog
    }

    /// What became of the checkpoint file.
    public enum CheckpointUse: Hashable, Sendable {
        /// Used: replay starts at its generation.
        case used(generation: Int32)
        /// Ignored as ESE ignores it (the error ESE swallows: −542 missing, −533 corrupt,
        /// −532 another sequence), so the start falls back.
        case ignored(JetError, String)

        /// `used` or `ignored`, for reports.
        public var name: String {
            switch self {
            case .used: "used"
            case .ignored: "ignored"
            }
        }
    }

    /// The file whose header anchors the set (signature and file size): the current log,
    /// or without it the first log read. ESE: S1 (logredo.cxx:14890-15026).
    public var anchor: String?
    /// The current log's generation (from its header), when the current log is present.
    public var currentGeneration: Int32?
    /// The set's log signature (the anchor's). ESE: `signLog`.
    public var signature: Signature?
    /// The size every replayed log must have (the anchor's). ESE: −541 otherwise.
    public var logFileSize: UInt64?
    /// The first generation replayed.
    public var start: Int32?
    /// Why replay starts there.
    public var startReason: StartReason?
    /// What became of the checkpoint.
    public var checkpoint: CheckpointUse = .ignored(.checkpointFileNotFound, "there is no checkpoint file")
    /// Where replay starts reading: the checkpoint's position, or the start of the start log's
    /// data when the checkpoint is not used or ESE moves it there (`LGFakeCheckpointToLogFile`).
    /// Internal: the JSON reports `start` only.
    var startPosition: LogPosition?
    /// The last generation replayed: where replay ends, or the last good one before a failure.
    public var end: Int32?
    /// Archived logs above the current generation: never opened by recovery (a warning).
    public var strayLogs: [String] = []
    /// Archived logs below the start: never read by recovery.
    public var unreadLowLogs: [String] = []
    /// The first failure on the way, when recovery of the set as copied fails.
    public var failure: RecoveryFailure?
    /// Things worth knowing that do not change the outcome (checkpoint ignored, stray logs,
    /// torn writes ESE repairs, current log replaced by the temporary log).
    public var notes: [VerdictReason] = []
    /// Decisions that depend on log records ESE reads and this check approximates from
    /// headers (recovery.md §5), by name.
    public var approximations: [String] = []

    /// The generations replay needs, start through end, when known.
    public var generations: ClosedRange<Int32>? {
        guard let start, let end, start <= end else { return nil }
        return start...end
    }
}

/// Why recovery of the set as copied fails, with the error ESE returns.
public struct RecoveryFailure: Hashable, Sendable {
    /// A stable machine name (`logMissing`, `logSequenceBroken`, `logCorrupt`, …).
    public var code: VerdictReason.Code
    /// The error ESE returns, after the lost-log rule.
    public var jetError: JetError
    /// The error before the lost-log rule turned it into −582/−586, when it did.
    public var underlyingError: JetError?
    /// The generation where replay fails, when it fails at one.
    public var generation: Int32?
    /// The file concerned, when there is one.
    public var file: String?
    /// A one-line explanation.
    public var message: String
    /// Recoverable only by discarding committed transactions (`eseutil /r /a`): the
    /// generations that would be dropped. Nil when the loss would not make it recoverable.
    public var lostGenerations: ClosedRange<Int32>?
    /// The database the failure belongs to, when it is one database's (index into the input).
    public var database: Int?
}

/// A change to the files that would make recovery succeed, as recovery.md §4 names them.
/// Reported beside the verdict; the verdict is for the files as they are.
public struct Remedy: Hashable, Sendable {
    /// A stable machine name: `deleteCheckpoint`, `removeLowLogs`, `replaceLog`,
    /// `recoverWithLoss` (`eseutil /r /a`), `ignoreMissingDatabases` (`eseutil /r /i`),
    /// `hardRestore`.
    public var code: Code
    /// What to do, in a sentence.
    public var message: String
    /// The files concerned.
    public var files: [String]

    /// Creates a remedy.
    public init(_ code: Code, _ message: String, files: [String] = []) {
        self.code = code
        self.message = message
        self.files = files
    }
}

/// How recovery treats one database. ESE: S5 (logredo.cxx:5205-5692).
public enum AttachStatus: String, Hashable, Sendable {
    /// In the start attach list and attached when replay begins.
    case attached
    /// Not attached at the start, but its attach (or create) record lies inside the replayed
    /// span (header approximation of recovery.md §5).
    case attachedDuringReplay
    /// In the start attach list but deferred (missing, another sequence, another database
    /// with the same name, or detached later in the span).
    case deferred
    /// In no attach list: recovery never opens it (S7).
    case notListed
    /// Recovery did not get as far as attaching databases (no logs, or an unusable anchor).
    case notEvaluated
}

/// The recovery model's answer for one database.
public struct RecoveryDecision: Hashable, Sendable {
    /// What recovery does with the database.
    public enum Outcome: String, Hashable, Sendable {
        /// Clean: usable without replay.
        case consistent
        /// Soft recovery will make it consistent.
        case recoverable
        /// Recoverable only with `eseutil /r /a`, discarding committed transactions.
        case recoverableWithLoss
        /// Soft recovery fails for it.
        case notRecoverable
        /// The model cannot say (no valid header); other checks decide.
        case notAssessed
    }

    /// What recovery does with the database.
    public var outcome: Outcome
    /// The verdict for the files as they are.
    public var verdict: Verdict
    /// The error ESE returns for it (success when consistent or recoverable).
    public var jetError: JetError
    /// Why, and warnings beside it.
    public var reasons: [VerdictReason]
    /// How recovery attaches it.
    public var attach: AttachStatus
    /// Whether the decision rests on a header approximation of record-dependent behaviour.
    public var usedApproximation: Bool
    /// The generations lost under `eseutil /r /a`, for `recoverableWithLoss`.
    public var lostGenerations: ClosedRange<Int32>?
    /// Whether the decision rests on the attach and detach records of the replayed logs.
    public var usedRecords = false
    /// The attach slot the log set's attach list gives the database (ESE `dbid`), for binding
    /// page records to it (`PageTimeExpectations`).
    var databaseID: UInt8?
}

/// The recovery model's whole answer: the plan, one decision per input database, set-level
/// problems and the remedies that would make the set recoverable.
public struct RecoveryResult: Hashable, Sendable {
    /// The replay plan.
    public var plan: ReplayPlan
    /// One decision per input database, in input order.
    public var decisions: [RecoveryDecision]
    /// Changes to the files that would make recovery succeed.
    public var remedies: [Remedy]
}
