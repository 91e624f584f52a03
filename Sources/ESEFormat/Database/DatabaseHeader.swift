/// A database file header. ESE: `DBFILEHDR` (748 bytes used; the rest of the header page
/// is zero). Every field of the structure is parsed, with ESE's name in its documentation.
///
/// Parsing does not check the header checksum: see `HeaderSelection` for choosing between
/// the primary header and its shadow, and `LegacyChecksum` for the checksum itself.
public struct DatabaseHeader: Hashable, Sendable {
    /// Bytes of the page the structure uses.
    public static let size = 748
    /// The magic number. ESE: `ulDAEMagic`.
    public static let magic: UInt32 = 0x89AB_CDEF
    /// The format version of ESE97 and later. ESE: `ulDAEVersionESE97`.
    public static let currentVersion: UInt32 = 0x620

    /// A counter with the time it last changed and its value before a reset.
    public struct EventCounter: Hashable, Sendable {
        /// The count.
        public var count: UInt32
        /// When it last changed.
        public var lastTime: LogTime
        /// The count before the last reset (the `…Old` field).
        public var oldCount: UInt32
    }

    /// Stored header checksum. ESE: `le_ulChecksum`.
    public var checksum: UInt32
    /// Magic number, 0x89ABCDEF. ESE: `le_ulMagic`.
    public var magic: UInt32
    /// Major format version (0x620 for ESE97+). ESE: `le_ulVersion`.
    public var version: UInt32
    /// Must be 0 for a database (1 was the obsolete streaming file). ESE: `le_attrib`.
    public var attributes: UInt32
    /// Highest database time. ESE: `le_dbtimeDirtied`.
    public var databaseTime: UInt64
    /// The database's identity. ESE: `signDb`.
    public var databaseSignature: Signature
    /// Shutdown state. ESE: `le_dbstate`.
    public var state: DatabaseState
    /// Log position of the last clean shutdown. ESE: `le_lgposConsistent`.
    public var consistentPosition: LogPosition
    /// Time of the last clean shutdown. ESE: `logtimeConsistent`.
    public var consistentTime: LogTime
    /// Time of the last attach. ESE: `logtimeAttach`.
    public var attachTime: LogTime
    /// Log position of the last attach. ESE: `le_lgposAttach`.
    public var attachPosition: LogPosition
    /// Time of the last detach. ESE: `logtimeDetach`.
    public var detachTime: LogTime
    /// Log position of the last detach. ESE: `le_lgposDetach`.
    public var detachPosition: LogPosition
    /// Attachment slot. ESE: `le_dbid`.
    public var databaseID: UInt32
    /// The log sequence the database was last attached to. ESE: `signLog`.
    public var logSignature: Signature
    /// Previous full backup. ESE: `bkinfoFullPrev`.
    public var previousFullBackup: BackupInfo
    /// Previous incremental backup. ESE: `bkinfoIncPrev`.
    public var previousIncrementalBackup: BackupInfo
    /// Current full backup; a non-zero low generation marks a database restored from a
    /// backup set. ESE: `bkinfoFullCur`.
    public var currentFullBackup: BackupInfo
    /// Database flags word. ESE: `m_ulDbFlags`.
    public var databaseFlags: UInt32
    /// Highest object ID. ESE: `le_objidLast`.
    public var lastObjectID: UInt32
    /// OS major version (sort-order tracking). ESE: `le_dwMajorVersion`.
    public var osMajorVersion: UInt32
    /// OS minor version. ESE: `le_dwMinorVersion`.
    public var osMinorVersion: UInt32
    /// OS build number. ESE: `le_dwBuildNumber`.
    public var osBuildNumber: UInt32
    /// OS service pack. ESE: `le_lSPNumber`.
    public var osServicePack: UInt32
    /// Format update, major. ESE: `le_ulDaeUpdateMajor`.
    public var updateMajor: UInt32
    /// Page size as stored (0 means 4096). ESE: `le_cbPageSize`.
    public var storedPageSize: UInt32
    /// Repair count. ESE: `le_ulRepairCount`.
    public var repairCount: UInt32
    /// Time of the last repair. ESE: `logtimeRepair`.
    public var repairTime: LogTime
    /// Obsolete streaming-file signature. ESE: `rgbReservedSignSLV`.
    public var reservedStreamingSignature: Signature
    /// Database time of the last scrub. ESE: `le_dbtimeLastScrub`.
    public var lastScrubDatabaseTime: UInt64
    /// Time of the last scrub. ESE: `logtimeScrub`.
    public var scrubTime: LogTime
    /// Lowest log generation needed for replay. ESE: `le_lGenMinRequired`.
    public var minimumRequiredGeneration: Int32
    /// Highest log generation needed for consistency. ESE: `le_lGenMaxRequired`.
    public var maximumRequiredGeneration: Int32
    /// Pages to upgrade from the 5.5 format. ESE: `le_cpgUpgrade55Format`.
    public var upgrade55FormatPages: UInt32
    /// Free pages for the upgrade. ESE: `le_cpgUpgradeFreePages`.
    public var upgradeFreePages: UInt32
    /// Space-map pages for the upgrade. ESE: `le_cpgUpgradeSpaceMapPages`.
    public var upgradeSpaceMapPages: UInt32
    /// Current shadow-copy (snapshot) backup. ESE: `bkinfoSnapshotCur`.
    public var currentSnapshotBackup: BackupInfo
    /// Format version that created the database. ESE: `le_ulCreateVersion`.
    public var createVersion: UInt32
    /// Format update that created the database. ESE: `le_ulCreateUpdate`.
    public var createUpdate: UInt32
    /// Creation time of log `maximumCommittedGeneration`. ESE: `logtimeGenMaxCreate`.
    public var maximumCommittedGenerationCreateTime: LogTime
    /// Kind of the previous full backup. ESE: `bkinfoTypeFullPrev`.
    public var previousFullBackupKind: UInt32
    /// Kind of the previous incremental backup. ESE: `bkinfoTypeIncPrev`.
    public var previousIncrementalBackupKind: UInt32
    /// Repair count before the last reset. ESE: `le_ulRepairCountOld`.
    public var oldRepairCount: UInt32
    /// Single-bit corrections that produced a good page. ESE: `le_ulECCFixSuccess` (+ time, old).
    public var eccFixSuccess: EventCounter
    /// Single-bit corrections that failed. ESE: `le_ulECCFixFail` (+ time, old).
    public var eccFixFailure: EventCounter
    /// Uncorrectable checksum errors seen. ESE: `le_ulBadChecksum` (+ time, old).
    public var badChecksums: EventCounter
    /// Last log generation holding committed data for this database. ESE: `le_lGenMaxCommitted`.
    public var maximumCommittedGeneration: Int32
    /// Previous copy backup. ESE: `bkinfoCopyPrev`.
    public var previousCopyBackup: BackupInfo
    /// Previous differential backup. ESE: `bkinfoDiffPrev`.
    public var previousDifferentialBackup: BackupInfo
    /// Kind of the previous copy backup. ESE: `bkinfoTypeCopyPrev`.
    public var previousCopyBackupKind: UInt32
    /// Kind of the previous differential backup. ESE: `bkinfoTypeDiffPrev`.
    public var previousDifferentialBackupKind: UInt32
    /// Incremental reseeds. ESE: `le_ulIncrementalReseedCount` (+ time, old).
    public var incrementalReseeds: EventCounter
    /// Page patches. ESE: `le_ulPagePatchCount` (+ time, old).
    public var pagePatches: EventCounter
    /// Deprecated sort version. ESE: `le_qwSortVersion`.
    public var sortVersion: UInt64
    /// End of the previous database scan. ESE: `logtimeDbscanPrev`.
    public var previousDatabaseScanTime: LogTime
    /// Start of the current database scan. ESE: `logtimeDbscanStart`.
    public var databaseScanStartTime: LogTime
    /// Highest page scanned without gaps. ESE: `le_pgnoDbscanHighestContinuous`.
    public var databaseScanHighestContinuousPage: UInt32
    /// Generation being replayed. ESE: `le_lGenRecovering`.
    public var recoveringGeneration: Int32
    /// File extensions. ESE: `le_ulExtendCount`.
    public var extendCount: UInt32
    /// Time of the last extension. ESE: `logtimeLastExtend`.
    public var lastExtendTime: LogTime
    /// File shrinks. ESE: `le_ulShrinkCount`.
    public var shrinkCount: UInt32
    /// Time of the last shrink. ESE: `logtimeLastShrink`.
    public var lastShrinkTime: LogTime
    /// Time of the last re-attach. ESE: `logtimeLastReAttach`.
    public var lastReattachTime: LogTime
    /// Log position of the last re-attach. ESE: `le_lgposLastReAttach`.
    public var lastReattachPosition: LogPosition
    /// Trims. ESE: `le_ulTrimCount`.
    public var trimCount: UInt32
    /// Random signature of the last header flush. ESE: `signDbHdrFlush`.
    public var headerFlushSignature: Signature
    /// Flush-map header flush signature. ESE: `signFlushMapHdrFlush`.
    public var flushMapHeaderFlushSignature: Signature
    /// Lowest generation needed to reach a clean state (0 on older databases).
    /// ESE: `le_lGenMinConsistent`.
    public var minimumConsistentGeneration: Int32
    /// Format update, minor. ESE: `le_ulDaeUpdateMinor`.
    public var updateMinor: UInt32
    /// Highest engine format version that attached. ESE: `le_efvMaxBinAttachDiagnostic`.
    public var maximumAttachedFormatVersion: UInt32
    /// Highest page a database scan reached. ESE: `le_pgnoDbscanHighest`.
    public var databaseScanHighestPage: UInt32
    /// Log position of the last resize. ESE: `le_lgposLastResize`.
    public var lastResizePosition: LogPosition
    /// File type (1 database, 5 temporary database, 0 unknown). ESE: `le_filetype`.
    public var fileTypeValue: UInt32
    /// Creation time of log `maximumRequiredGeneration`. ESE: `logtimeGenMaxRequired`.
    public var maximumRequiredGenerationCreateTime: LogTime
    /// Pre-redo lowest consistent generation. ESE: `le_lGenPreRedoMinConsistent`.
    public var preRedoMinimumConsistentGeneration: Int32
    /// Pre-redo lowest required generation. ESE: `le_lGenPreRedoMinRequired`.
    public var preRedoMinimumRequiredGeneration: Int32
    /// Revert-snapshot header flush signature. ESE: `signRBSHdrFlush`.
    public var revertSnapshotFlushSignature: Signature
    /// Reverts. ESE: `le_ulRevertCount`.
    public var revertCount: UInt32
    /// Revert started from this time. ESE: `logtimeRevertFrom`.
    public var revertFromTime: LogTime
    /// Revert target time. ESE: `logtimeRevertTo`.
    public var revertToTime: LogTime
    /// Pages reverted. ESE: `le_ulRevertPageCount`.
    public var revertPageCount: UInt32
    /// Commit position before the revert. ESE: `le_lgposCommitBeforeRevert`.
    public var commitPositionBeforeRevert: LogPosition

    /// The page size in bytes (a stored 0 means 4096).
    public var pageSize: Int { storedPageSize == 0 ? 4096 : Int(storedPageSize) }

    /// The file type, when it is a defined value.
    public var fileType: FileType? { FileType(rawValue: fileTypeValue) }

    /// Whether the shadow header is maintained (`fDbShadowingDisabled` clear).
    public var isShadowed: Bool { databaseFlags & 0x1 == 0 }

    /// Whether the database comes from a backup set (`bkinfoFullCur.genLow` ≠ 0).
    public var isFromBackupSet: Bool { currentFullBackup.generationLow != 0 }

    /// The generations needed to make the database consistent, or nil when none are
    /// (clean databases record 0–0).
    public var requiredGenerations: ClosedRange<Int32>? {
        guard maximumRequiredGeneration > 0, minimumRequiredGeneration > 0,
              minimumRequiredGeneration <= maximumRequiredGeneration else { return nil }
        return minimumRequiredGeneration...maximumRequiredGeneration
    }

    // length-exempt: one read per DBFILEHDR field in offset order — a table, not logic.
    /// Parses a header from the start of `bytes` (at least 748 bytes).
    /// - Throws: `FormatError` when the span is too short or the magic is wrong.
    public init(parsing bytes: RawSpan) throws(FormatError) {
        guard bytes.byteCount >= Self.size else {
            throw FormatError(.truncated, structure: "DBFILEHDR", expected: "\(Self.size) bytes",
                              found: "\(bytes.byteCount) bytes")
        }
        let s = bytes
        checksum = s.uint32(at: 0)
        magic = s.uint32(at: 4)
        guard magic == Self.magic else {
            throw FormatError(.wrongStructure, structure: "DBFILEHDR", offset: 4,
                              expected: "magic 0x89abcdef", found: "0x" + String(magic, radix: 16))
        }
        version = s.uint32(at: 8)
        attributes = s.uint32(at: 12)
        databaseTime = s.uint64(at: 16)
        databaseSignature = Signature(s, at: 24)
        state = DatabaseState(rawValue: s.uint32(at: 52))
        consistentPosition = LogPosition(s, at: 56)
        consistentTime = LogTime(s, at: 64)
        attachTime = LogTime(s, at: 72)
        attachPosition = LogPosition(s, at: 80)
        detachTime = LogTime(s, at: 88)
        detachPosition = LogPosition(s, at: 96)
        databaseID = s.uint32(at: 104)
        logSignature = Signature(s, at: 108)
        previousFullBackup = BackupInfo(s, at: 136)
        previousIncrementalBackup = BackupInfo(s, at: 160)
        currentFullBackup = BackupInfo(s, at: 184)
        databaseFlags = s.uint32(at: 208)
        lastObjectID = s.uint32(at: 212)
        osMajorVersion = s.uint32(at: 216)
        osMinorVersion = s.uint32(at: 220)
        osBuildNumber = s.uint32(at: 224)
        osServicePack = s.uint32(at: 228)
        updateMajor = s.uint32(at: 232)
        storedPageSize = s.uint32(at: 236)
        repairCount = s.uint32(at: 240)
        repairTime = LogTime(s, at: 244)
        reservedStreamingSignature = Signature(s, at: 252)
        lastScrubDatabaseTime = s.uint64(at: 280)
        scrubTime = LogTime(s, at: 288)
        minimumRequiredGeneration = s.int32(at: 296)
        maximumRequiredGeneration = s.int32(at: 300)
        upgrade55FormatPages = s.uint32(at: 304)
        upgradeFreePages = s.uint32(at: 308)
        upgradeSpaceMapPages = s.uint32(at: 312)
        currentSnapshotBackup = BackupInfo(s, at: 316)
        createVersion = s.uint32(at: 340)
        createUpdate = s.uint32(at: 344)
        maximumCommittedGenerationCreateTime = LogTime(s, at: 348)
        previousFullBackupKind = s.uint32(at: 356)
        previousIncrementalBackupKind = s.uint32(at: 360)
        oldRepairCount = s.uint32(at: 364)
        func counter(_ offset: Int) -> EventCounter {
            EventCounter(count: s.uint32(at: offset), lastTime: LogTime(s, at: offset + 4),
                         oldCount: s.uint32(at: offset + 12))
        }
        eccFixSuccess = counter(368)
        eccFixFailure = counter(384)
        badChecksums = counter(400)
        maximumCommittedGeneration = s.int32(at: 416)
        previousCopyBackup = BackupInfo(s, at: 420)
        previousDifferentialBackup = BackupInfo(s, at: 444)
        previousCopyBackupKind = s.uint32(at: 468)
        previousDifferentialBackupKind = s.uint32(at: 472)
        incrementalReseeds = counter(476)
        pagePatches = counter(492)
        sortVersion = s.uint64(at: 508)
        previousDatabaseScanTime = LogTime(s, at: 516)
        databaseScanStartTime = LogTime(s, at: 524)
        databaseScanHighestContinuousPage = s.uint32(at: 532)
        recoveringGeneration = s.int32(at: 536)
        extendCount = s.uint32(at: 540)
        lastExtendTime = LogTime(s, at: 544)
        shrinkCount = s.uint32(at: 552)
        lastShrinkTime = LogTime(s, at: 556)
        lastReattachTime = LogTime(s, at: 564)
        lastReattachPosition = LogPosition(s, at: 572)
        trimCount = s.uint32(at: 580)
        headerFlushSignature = Signature(s, at: 584)
        flushMapHeaderFlushSignature = Signature(s, at: 612)
        minimumConsistentGeneration = s.int32(at: 640)
        updateMinor = s.uint32(at: 644)
        maximumAttachedFormatVersion = s.uint32(at: 648)
        databaseScanHighestPage = s.uint32(at: 652)
        lastResizePosition = LogPosition(s, at: 656)
        fileTypeValue = s.uint32(at: FileType.headerOffset)
        maximumRequiredGenerationCreateTime = LogTime(s, at: 672)
        preRedoMinimumConsistentGeneration = s.int32(at: 680)
        preRedoMinimumRequiredGeneration = s.int32(at: 684)
        revertSnapshotFlushSignature = Signature(s, at: 688)
        revertCount = s.uint32(at: 716)
        revertFromTime = LogTime(s, at: 720)
        revertToTime = LogTime(s, at: 728)
        revertPageCount = s.uint32(at: 736)
        commitPositionBeforeRevert = LogPosition(s, at: 740)
    }

    /// Violations of the invariants ESE asserts on every header write
    /// (`ErrUtilWriteDatabaseHeadersInternal`): evidence of corruption, not a defined error.
    public var invariantViolations: [String] {
        var problems: [String] = []
        if let type = fileType, type != .database, type != .temporaryDatabase, type != .unknown {
            problems.append("file type is \(type) (\(fileTypeValue)), not a database")
        } else if fileType == nil {
            problems.append("file type \(fileTypeValue) is undefined")
        }
        if attributes != 0 { problems.append("attribute field is \(attributes), expected 0") }
        if version == 0 { problems.append("format version is 0") }
        if case .illegal(let value) = state { problems.append("state \(value) is undefined") }
        if storedPageSize != 0, !PageLayout.validPageSizes.contains(Int(storedPageSize)) {
            problems.append("page size \(storedPageSize) is not a valid page size")
        }
        if minimumRequiredGeneration > maximumRequiredGeneration {
            problems.append("lowest required generation \(minimumRequiredGeneration) exceeds highest \(maximumRequiredGeneration)")
        }
        if maximumRequiredGeneration > maximumCommittedGeneration {
            problems.append("highest required generation \(maximumRequiredGeneration) exceeds highest committed \(maximumCommittedGeneration)")
        }
        if minimumConsistentGeneration != 0,
           !(minimumRequiredGeneration...max(minimumRequiredGeneration, maximumRequiredGeneration)).contains(minimumConsistentGeneration) {
            problems.append("lowest consistent generation \(minimumConsistentGeneration) lies outside the required range")
        }
        return problems
    }
}
