// The numbers esecheck.h gives Swift's enums. Each mapping lives here and nowhere else; the
// JET errors are not mapped here: they are the report's own (`VerdictRules.finished`).

import ESECheck

extension Verdict {
    /// The `esecheck_verdict` value (esecheck.h): one per case, never renumbered.
    var cValue: Int32 {
        switch self {
        case .consistent: 0
        case .recoverable: 1
        case .recoverableWithLoss: 2
        case .missingLogs: 3
        case .logsDamaged: 4
        case .corrupt: 5
        case .truncated: 6
        case .signatureMismatch: 7
        case .notRecoverable: 8
        case .unreadable: 9
        case .incomplete: 10
        case .unusableState: 11
        case .unsupportedBackup: 12
        case .unstable: 13
        }
    }
}

extension BackupType {
    /// The `esecheck_backup_type` value (esecheck.h).
    var cValue: Int32 {
        switch self {
        case .full: 0
        case .copy: 1
        case .incremental: 2
        case .differential: 3
        }
    }

    /// The backup type of an `esecheck_backup_type` value; nil for an unknown one.
    init?(cValue: Int32) {
        guard let type = Self.allCases.first(where: { $0.cValue == cValue }) else { return nil }
        self = type
    }
}

extension ReplayPlan.StartReason {
    /// The `esecheck_replay_start` value (esecheck.h); 0 is "unknown".
    var cValue: Int32 {
        switch self {
        case .checkpoint: 1
        case .lowestArchivedLog: 2
        case .currentLog: 3
        }
    }
}

extension StructureReport.Scope {
    /// The `esecheck_structure_scope` value (esecheck.h); 0 is "no walk result".
    var cValue: Int32 {
        switch self {
        case .walked: 1
        case .skipped: 2
        case .treesNotDiscoverable: 3
        case .stateLimit: 4
        case .notExamined: 5
        }
    }
}
