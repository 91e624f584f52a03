import ESEFormat

extension VerdictReason {
    /// The machine name of a reason or a recovery failure (`badPages`, `logMissing`, …): an open set of stable names.
    public struct Code: StableCode {
        /// The stable machine name, as JSON carries it.
        public let rawValue: String
        /// Creates a code from its machine name.
        public init(rawValue: String) { self.rawValue = rawValue }
    }
}

extension VerdictReason.Code {
    /// `invalidRecord`: a log record ESE's reader rejects, inside the replayed logs (−501).
    public static let invalidRecord: Self = "invalidRecord"
    /// `cleanShutdownShortCut`: the current log ends with a clean shutdown at the checkpoint.
    public static let cleanShutdownShortCut: Self = "cleanShutdownShortCut"
    /// `accumulatedChecksumMismatch`: accumulated checksum mismatch.
    public static let accumulatedChecksumMismatch: Self = "accumulatedChecksumMismatch"
    /// `attachPositionOlder`: attach position older.
    public static let attachPositionOlder: Self = "attachPositionOlder"
    /// `backupRange`: backup range.
    public static let backupRange: Self = "backupRange"
    /// `treeDamaged`: the structure walk found a damaged B-tree or space tree (−1019, −1206).
    public static let treeDamaged: Self = "treeDamaged"
    /// `treeDamagedBeforeReplay`: the structure walk found damage in a database that needs log
    /// replay (a warning: redo may repair trees caught mid-flight).
    public static let treeDamagedBeforeReplay: Self = "treeDamagedBeforeReplay"
    /// `trailingSpace`: the file holds pages past the space the database root owns (a warning:
    /// ESE extends files ahead of allocation, so this is not damage — those pages hold nothing
    /// the database uses).
    public static let trailingSpace: Self = "trailingSpace"
    /// `structureNotVerified`: the structure walk was skipped on request (a warning).
    public static let structureNotVerified: Self = "structureNotVerified"
    /// `badPages`: bad pages.
    public static let badPages: Self = "badPages"
    /// `badPatchPage`: bad patch page.
    public static let badPatchPage: Self = "badPatchPage"
    /// `beingConverted`: being converted.
    public static let beingConverted: Self = "beingConverted"
    /// `checkpointIgnored`: checkpoint ignored.
    public static let checkpointIgnored: Self = "checkpointIgnored"
    /// `circularLogging`: circular logging.
    public static let circularLogging: Self = "circularLogging"
    /// `circularLoggingInThePast`: circular logging in the past.
    public static let circularLoggingInThePast: Self = "circularLoggingInThePast"
    /// `committedLogsMissing`: committed logs missing.
    public static let committedLogsMissing: Self = "committedLogsMissing"
    /// `consistentTimeMismatch`: consistent time mismatch.
    public static let consistentTimeMismatch: Self = "consistentTimeMismatch"
    /// `correctablePages`: correctable pages.
    public static let correctablePages: Self = "correctablePages"
    /// `currentLogMissing`: current log missing.
    public static let currentLogMissing: Self = "currentLogMissing"
    /// `currentLogReplacedByTemporary`: current log replaced by temporary.
    public static let currentLogReplacedByTemporary: Self = "currentLogReplacedByTemporary"
    /// `currentLogUnusable`: current log unusable.
    public static let currentLogUnusable: Self = "currentLogUnusable"
    /// `databaseDeferred`: database deferred.
    public static let databaseDeferred: Self = "databaseDeferred"
    /// `databasePageSizeMismatch`: database page size mismatch.
    public static let databasePageSizeMismatch: Self = "databasePageSizeMismatch"
    /// `detachReplayed`: detach replayed.
    public static let detachReplayed: Self = "detachReplayed"
    /// `fileChanged`: file changed.
    public static let fileChanged: Self = "fileChanged"
    /// `foreignLog`: foreign log.
    public static let foreignLog: Self = "foreignLog"
    /// `foreignLowLogs`: foreign low logs.
    public static let foreignLowLogs: Self = "foreignLowLogs"
    /// `fullBackupNotSnapshot`: full backup not snapshot.
    public static let fullBackupNotSnapshot: Self = "fullBackupNotSnapshot"
    /// `header`: header.
    public static let header: Self = "header"
    /// `headerApproximation`: header approximation.
    public static let headerApproximation: Self = "headerApproximation"
    /// `illegalState`: illegal state.
    public static let illegalState: Self = "illegalState"
    /// `incrementalReseedInProgress`: incremental reseed in progress.
    public static let incrementalReseedInProgress: Self = "incrementalReseedInProgress"
    /// `justCreated`: just created.
    public static let justCreated: Self = "justCreated"
    /// `listedDatabaseAbsent`: listed database absent.
    public static let listedDatabaseAbsent: Self = "listedDatabaseAbsent"
    /// `logCorrupt`: log corrupt.
    public static let logCorrupt: Self = "logCorrupt"
    /// `logMissing`: log missing.
    public static let logMissing: Self = "logMissing"
    /// `logPageSizeMismatch`: log page size mismatch.
    public static let logPageSizeMismatch: Self = "logPageSizeMismatch"
    /// `logSequenceBroken`: log sequence broken.
    public static let logSequenceBroken: Self = "logSequenceBroken"
    /// `logSignatureMismatch`: log signature mismatch.
    public static let logSignatureMismatch: Self = "logSignatureMismatch"
    /// `logSizeMismatch`: log size mismatch.
    public static let logSizeMismatch: Self = "logSizeMismatch"
    /// `logUnreadable`: log unreadable.
    public static let logUnreadable: Self = "logUnreadable"
    /// `logUnusable`: log unusable.
    public static let logUnusable: Self = "logUnusable"
    /// `logsDamaged`: logs damaged.
    public static let logsDamaged: Self = "logsDamaged"
    /// `logsNotChecked`: logs not checked.
    public static let logsNotChecked: Self = "logsNotChecked"
    /// `missingFileToBackup`: missing file to backup.
    public static let missingFileToBackup: Self = "missingFileToBackup"
    /// `noFullBackupRecorded`: no full backup recorded.
    public static let noFullBackupRecorded: Self = "noFullBackupRecorded"
    /// `noValidHeader`: no valid header.
    public static let noValidHeader: Self = "noValidHeader"
    /// `notInAttachList`: not in attach list.
    public static let notInAttachList: Self = "notInAttachList"
    /// `onlyUnnecessaryLogsCorrupt`: only unnecessary logs corrupt.
    public static let onlyUnnecessaryLogsCorrupt: Self = "onlyUnnecessaryLogsCorrupt"
    /// `pageSizeMismatch`: page size mismatch.
    public static let pageSizeMismatch: Self = "pageSizeMismatch"
    /// `pagesCheckedTwice`: pages checked twice.
    public static let pagesCheckedTwice: Self = "pagesCheckedTwice"
    /// `pagesNotChecked`: pages not checked.
    public static let pagesNotChecked: Self = "pagesNotChecked"
    /// `partialPage`: partial page.
    public static let partialPage: Self = "partialPage"
    /// `readFailed`: read failed.
    public static let readFailed: Self = "readFailed"
    /// `requiredLogMismatch`: required log mismatch.
    public static let requiredLogMismatch: Self = "requiredLogMismatch"
    /// `requiredLogsMissing`: required logs missing.
    public static let requiredLogsMissing: Self = "requiredLogsMissing"
    /// `revertInProgress`: revert in progress.
    public static let revertInProgress: Self = "revertInProgress"
    /// `setNotRecoverable`: set not recoverable.
    public static let setNotRecoverable: Self = "setNotRecoverable"
    /// `archiveUnreadable`: a tar stream could not be read to its end, or its log-set files
    /// exceed the buffer (`TarChecker.logBufferLimit`).
    public static let archiveUnreadable: Self = "archiveUnreadable"
    /// `manifestMismatch`: the copy is not the one a backup manifest recorded (a file
    /// missing, extra, resized or changed).
    public static let manifestMismatch: Self = "manifestMismatch"
    /// `duplicateMember`: a tar stream holds a later member named like a database, log-set file
    /// or flush map the check used; extraction keeps the later one, so the verdict is at most
    /// `incomplete` (−1021).
    public static let duplicateMember: Self = "duplicateMember"
    /// `memberNotChecked`: a tar stream holds a member named like a database or log file that is
    /// not a regular file (a link, a GNU sparse file, a device); the verdict is at most
    /// `incomplete` (−1021).
    public static let memberNotChecked: Self = "memberNotChecked"
    /// `skippedEntry`: skipped entry.
    public static let skippedEntry: Self = "skippedEntry"
    /// `softRecoveryOnBackup`: soft recovery on backup.
    public static let softRecoveryOnBackup: Self = "softRecoveryOnBackup"
    /// `startAfterRequired`: start after required.
    public static let startAfterRequired: Self = "startAfterRequired"
    /// `startLogMissing`: start log missing.
    public static let startLogMissing: Self = "startLogMissing"
    /// `strayLogs`: stray logs.
    public static let strayLogs: Self = "strayLogs"
    /// `tornWriteRepaired`: torn write repaired.
    public static let tornWriteRepaired: Self = "tornWriteRepaired"
    /// `unstablePages`: pages whose bytes differed between reads of the same file (a live file).
    public static let unstablePages: Self = "unstablePages"
    /// `partialScope`: not everything was verified (a page range, a recheck, `--fail-fast`, a skipped check).
    public static let partialScope: Self = "partialScope"
    /// `truncated`: truncated.
    public static let truncated: Self = "truncated"
}
