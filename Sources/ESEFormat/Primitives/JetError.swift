/// A JET error number, as ESE, eseutil and CHKSGFILES report them.
///
/// Backup vendors keep tables keyed by these numbers, so reports carry them verbatim.
/// Equality is on `code` only.
public struct JetError: Hashable, Sendable, CustomStringConvertible {
    /// The numeric code (negative for errors, positive for warnings, 0 for success).
    public let code: Int32
    /// The ESE symbolic name, for example `JET_errReadVerifyFailure`.
    public let name: String

    /// Creates an error number with its ESE name.
    public init(_ code: Int32, _ name: String) {
        self.code = code
        self.name = name
    }

    public static func == (lhs: JetError, rhs: JetError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public var description: String { "\(code) (\(name))" }

    /// Looks up the name of a known code; unknown codes get a generic name.
    public static func named(_ code: Int32) -> JetError {
        known.first { $0.code == code } ?? JetError(code, "JET_err\(code)")
    }

    /// 0: no error.
    public static let success = JetError(0, "JET_errSuccess")
    /// −106: CHKSGFILES `ErrTerm`: not everything was checked, or errors were hit.
    public static let taskDropped = JetError(-106, "JET_errTaskDropped")
    /// −501: log header checksum bad, or log body corrupt.
    public static let logFileCorrupt = JetError(-501, "JET_errLogFileCorrupt")
    /// −509: the log containing the checkpoint is missing.
    public static let missingPreviousLogFile = JetError(-509, "JET_errMissingPreviousLogFile")
    /// −513: the generation in a log's name differs from its header.
    public static let logGenerationMismatch = JetError(-513, "JET_errLogGenerationMismatch")
    /// −514: unsupported log format version.
    public static let badLogVersion = JetError(-514, "JET_errBadLogVersion")
    /// −515: `tmPrevGen` does not equal the previous generation's creation time.
    public static let invalidLogSequence = JetError(-515, "JET_errInvalidLogSequence")
    /// −519: the maximum log generation was reached.
    public static let logSequenceEnd = JetError(-519, "JET_errLogSequenceEnd")
    /// −526: an incremental backup is impossible with circular logging on.
    public static let invalidBackup = JetError(-526, "JET_errInvalidBackup")
    /// −528: a log file is missing.
    public static let missingLogFile = JetError(-528, "JET_errMissingLogFile")
    /// −530: log signature mismatch.
    public static let badLogSignature = JetError(-530, "JET_errBadLogSignature")
    /// −531: database signature mismatch.
    public static let badDbSignature = JetError(-531, "JET_errBadDbSignature")
    /// −532: checkpoint signature mismatch.
    public static let badCheckpointSignature = JetError(-532, "JET_errBadCheckpointSignature")
    /// −533: both checkpoint copies are bad.
    public static let checkpointCorrupt = JetError(-533, "JET_errCheckpointCorrupt")
    /// −535: the database trailer (patch page) checksum is bad.
    public static let badPatchPage = JetError(-535, "JET_errBadPatchPage")
    /// −539: the database does not belong to this log set.
    public static let databaseLogSetMismatch = JetError(-539, "JET_errDatabaseLogSetMismatch")
    /// −541: log file size differs from its header or from the other logs.
    public static let logFileSizeMismatch = JetError(-541, "JET_errLogFileSizeMismatch")
    /// −542: the checkpoint file is missing.
    public static let checkpointFileNotFound = JetError(-542, "JET_errCheckpointFileNotFound")
    /// −543: logs up to the database's `lGenMaxRequired` are missing.
    public static let requiredLogFilesMissing = JetError(-543, "JET_errRequiredLogFilesMissing")
    /// −544: the database is from a backup set.
    public static let softRecoveryOnBackupDatabase = JetError(-544, "JET_errSoftRecoveryOnBackupDatabase")
    /// −550: the database was not shut down cleanly.
    public static let databaseDirtyShutdown = JetError(-550, "JET_errDatabaseDirtyShutdown")
    /// −551: the database's consistent position differs from the logged one.
    public static let consistentTimeMismatch = JetError(-551, "JET_errConsistentTimeMismatch")
    /// −566: redo found a page older than the record's before-image time (a lost flush;
    /// jethdr.w:6211, logredo.cxx:268-333).
    public static let dbTimeTooOld = JetError(-566, "JET_errDbTimeTooOld")
    /// −567: redo found a page time between the record's before and after times (jethdr.w:6212).
    public static let dbTimeTooNew = JetError(-567, "JET_errDbTimeTooNew")
    /// −625: a page already holds a change from a log past the database's required range
    /// (jethdr.w:6278, logredo.cxx:423-438).
    public static let dbTimeBeyondMaxRequired = JetError(-625, "JET_errDbTimeBeyondMaxRequired")
    /// −569: a log an incremental or differential backup needs is no longer on disk.
    public static let missingFileToBackup = JetError(-569, "JET_errMissingFileToBackup")
    /// −560: no full backup precedes the incremental backup.
    public static let missingFullBackup = JetError(-560, "JET_errMissingFullBackup")
    /// −563: the database is in an incomplete format upgrade.
    public static let databaseIncompleteUpgrade = JetError(-563, "JET_errDatabaseIncompleteUpgrade")
    /// −573: log corruption during hard restore.
    public static let logCorruptDuringHardRestore = JetError(-573, "JET_errLogCorruptDuringHardRestore")
    /// −574: log corruption during hard recovery.
    public static let logCorruptDuringHardRecovery = JetError(-574, "JET_errLogCorruptDuringHardRecovery")
    /// −582: logs up to the database's `lGenMaxCommitted` are missing.
    public static let committedLogFilesMissing = JetError(-582, "JET_errCommittedLogFilesMissing")
    /// −586: a log holding committed data is corrupt.
    public static let committedLogFileCorrupt = JetError(-586, "JET_errCommittedLogFileCorrupt")
    /// −590: the accumulated segment checksum of the previous generation does not match.
    public static let logSequenceChecksumMismatch = JetError(-590, "JET_errLogSequenceChecksumMismatch")
    /// −612: log checksum error found by backup verification.
    public static let logReadVerifyFailure = JetError(-612, "JET_errLogReadVerifyFailure")
    /// −1003: invalid parameter (CHKSGFILES misuse).
    public static let invalidParameter = JetError(-1003, "JET_errInvalidParameter")
    /// −1011: out of memory.
    public static let outOfMemory = JetError(-1011, "JET_errOutOfMemory")
    /// −1018: a page or header checksum does not match.
    public static let readVerifyFailure = JetError(-1018, "JET_errReadVerifyFailure")
    /// −1019: the page is all zero (never written).
    public static let pageNotInitialized = JetError(-1019, "JET_errPageNotInitialized")
    /// −1021: the operating system reported a CRC error.
    public static let diskReadVerificationFailure = JetError(-1021, "JET_errDiskReadVerificationFailure")
    /// −1022: a disk I/O error.
    public static let diskIO = JetError(-1022, "JET_errDiskIO")
    /// −1059: finishing while checks are still running (CHKSGFILES `errTooManyActiveUsers`).
    public static let tooManyActiveUsers = JetError(-1059, "JET_errTooManyActiveUsers")
    /// −1118: a large page's stored page number is wrong.
    public static let readPgnoVerifyFailure = JetError(-1118, "JET_errReadPgnoVerifyFailure")
    /// −1119: a page misses a write the flush map records (a lost flush).
    public static let readLostFlushVerifyFailure = JetError(-1119, "JET_errReadLostFlushVerifyFailure")
    /// −1206: not a database, or a corrupted one (eseutil /k's result for bad pages).
    public static let databaseCorrupted = JetError(-1206, "JET_errDatabaseCorrupted")
    /// −1209: unsupported database format version or magic.
    public static let invalidDatabaseVersion = JetError(-1209, "JET_errInvalidDatabaseVersion")
    /// −1213: page size mismatch.
    public static let pageSizeMismatch = JetError(-1213, "JET_errPageSizeMismatch")
    /// −1216: the attachment recorded in the logs does not match the database.
    public static let attachedDatabaseMismatch = JetError(-1216, "JET_errAttachedDatabaseMismatch")
    /// −1226: an incremental reseed did not complete.
    public static let databaseIncompleteIncrementalReseed = JetError(-1226, "JET_errDatabaseIncompleteIncrementalReseed")
    /// −1812: the header's file type is not the one expected.
    public static let fileInvalidType = JetError(-1812, "JET_errFileInvalidType")
    /// −1935: a revert did not complete.
    public static let databaseIncompleteRevert = JetError(-1935, "JET_errDatabaseIncompleteRevert")
    /// −1918: the flush map's version is not one this engine reads.
    public static let flushMapVersionUnsupported = JetError(-1918, "JET_errFlushMapVersionUnsupported")
    /// −1919: the flush map belongs to another database, or to another flush of this one.
    public static let flushMapDatabaseMismatch = JetError(-1919, "JET_errFlushMapDatabaseMismatch")
    /// −1920: the flush map cannot be reconstructed (not clean, and the logs cannot rebuild it).
    public static let flushMapUnrecoverable = JetError(-1920, "JET_errFlushMapUnrecoverable")
    /// −4001: read beyond the end of the file.
    public static let fileIOBeyondEOF = JetError(-4001, "JET_errFileIOBeyondEOF")

    /// Every named code above.
    public static let known: [JetError] = [
        success, taskDropped, logFileCorrupt, missingPreviousLogFile, logGenerationMismatch, badLogVersion,
        invalidLogSequence, logSequenceEnd, invalidBackup, missingLogFile, missingFullBackup, badLogSignature, badDbSignature,
        badCheckpointSignature, checkpointCorrupt, badPatchPage, databaseLogSetMismatch, logFileSizeMismatch,
        checkpointFileNotFound, requiredLogFilesMissing, softRecoveryOnBackupDatabase, databaseDirtyShutdown,
        consistentTimeMismatch, missingFileToBackup, databaseIncompleteUpgrade, logCorruptDuringHardRestore,
        logCorruptDuringHardRecovery, committedLogFilesMissing, committedLogFileCorrupt,
        logSequenceChecksumMismatch, logReadVerifyFailure, invalidParameter, outOfMemory, readVerifyFailure,
        pageNotInitialized, diskReadVerificationFailure, diskIO, tooManyActiveUsers, readPgnoVerifyFailure,
        databaseCorrupted, invalidDatabaseVersion, pageSizeMismatch, attachedDatabaseMismatch,
        databaseIncompleteIncrementalReseed, fileInvalidType, databaseIncompleteRevert, fileIOBeyondEOF,
        dbTimeTooOld, dbTimeTooNew, dbTimeBeyondMaxRequired, readLostFlushVerifyFailure,
        flushMapVersionUnsupported, flushMapDatabaseMismatch, flushMapUnrecoverable,
    ]
}
