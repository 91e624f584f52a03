import ESEFormat

/// The database header fields the corpus writer sets; everything else is zero. Produces a
/// header page (DBFILEHDR + zero padding) with its checksum.
public struct DatabaseHeaderFields: Hashable, Sendable {
    /// Page size in bytes.
    public var pageSize: Int
    /// Shutdown state.
    public var state: DatabaseState = .cleanShutdown
    /// The database's signature.
    public var databaseSignature: Signature
    /// The log sequence's signature.
    public var logSignature: Signature
    /// Highest database time.
    public var databaseTime: UInt64 = 1
    /// `le_lGenMinRequired` / `le_lGenMaxRequired`.
    public var requiredGenerations: (minimum: Int32, maximum: Int32) = (0, 0)
    /// `le_lGenMaxCommitted`.
    public var committedGeneration: Int32 = 0
    /// `le_lGenMinConsistent`.
    public var consistentGeneration: Int32 = 0
    /// Last clean shutdown position.
    public var consistentPosition = LogPosition.zero
    /// Last clean shutdown time.
    public var consistentTime = LogTime(rawValue: 0)
    /// Last attach position.
    public var attachPosition = LogPosition.zero
    /// Last attach time.
    public var attachTime = LogTime(rawValue: 0)
    /// Last detach position.
    public var detachPosition = LogPosition.zero
    /// Last detach time.
    public var detachTime = LogTime(rawValue: 0)
    /// Creation time of the highest required log.
    public var maximumRequiredCreateTime = LogTime(rawValue: 0)
    /// Creation time of the highest committed log.
    public var maximumCommittedCreateTime = LogTime(rawValue: 0)
    /// Previous full backup.
    public var previousFullBackup = BackupInfo(mark: .zero, markTime: LogTime(rawValue: 0), generationLow: 0, generationHigh: 0)
    /// How the previous full backup was taken (ESE `bkinfoTypeFullPrev`): an OS snapshot (1)
    /// for a VSS backup, which is what incremental and differential snapshots need (−560 otherwise).
    public var previousFullBackupKind = BackupKind.osSnapshot
    /// Previous incremental backup.
    public var previousIncrementalBackup = BackupInfo(mark: .zero, markTime: LogTime(rawValue: 0), generationLow: 0, generationHigh: 0)
    /// Previous copy backup.
    public var previousCopyBackup = BackupInfo(mark: .zero, markTime: LogTime(rawValue: 0), generationLow: 0, generationHigh: 0)
    /// Previous differential backup.
    public var previousDifferentialBackup = BackupInfo(mark: .zero, markTime: LogTime(rawValue: 0), generationLow: 0, generationHigh: 0)
    /// Format version triple (version, update major, update minor).
    public var formatVersion: (UInt32, UInt32, UInt32) = (0x620, 0x14, 0)
    /// Highest object ID.
    public var lastObjectID: UInt32 = 100
    /// The signature of the last flush-map header flush. ESE: `signFlushMapHdrFlush` (612).
    public var flushMapHeaderFlushSignature: Signature?

    /// Creates header fields.
    public init(pageSize: Int, databaseSignature: Signature, logSignature: Signature) {
        self.pageSize = pageSize
        self.databaseSignature = databaseSignature
        self.logSignature = logSignature
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.image() == rhs.image() }
    public func hash(into hasher: inout Hasher) { hasher.combine(image()) }

    /// The header page: fields at their DBFILEHDR offsets, zero elsewhere, checksum in dword 0.
    public func image() -> [UInt8] {
        var page = ByteImage(count: pageSize)
        page.set(DatabaseHeader.magic, at: 4)
        page.set(formatVersion.0, at: 8)
        page.set(databaseTime, at: 16)
        page.set(databaseSignature, at: 24)
        page.set(state.rawValue, at: 52)
        page.set(consistentPosition, at: 56)
        page.set(consistentTime, at: 64)
        page.set(attachTime, at: 72)
        page.set(attachPosition, at: 80)
        page.set(detachTime, at: 88)
        page.set(detachPosition, at: 96)
        page.set(UInt32(1), at: 104)
        page.set(logSignature, at: 108)
        page.set(previousFullBackup, at: 136)
        if !previousFullBackup.isEmpty { page.set(previousFullBackupKind.rawValue, at: 356) }
        page.set(previousIncrementalBackup, at: 160)
        page.set(UInt32(0x0200_0000), at: 208)  // ESE-attached build flag (byte 211)
        page.set(lastObjectID, at: 212)
        page.set(UInt32(10), at: 216)
        page.set(UInt32(0), at: 220)
        page.set(UInt32(20348), at: 224)
        page.set(formatVersion.1, at: 232)
        page.set(UInt32(pageSize), at: 236)
        page.set(requiredGenerations.minimum, at: 296)
        page.set(requiredGenerations.maximum, at: 300)
        page.set(formatVersion.0, at: 340)
        page.set(formatVersion.1, at: 344)
        page.set(maximumCommittedCreateTime, at: 348)
        page.set(committedGeneration, at: 416)
        page.set(previousCopyBackup, at: 420)
        page.set(previousDifferentialBackup, at: 444)
        if let flushMapHeaderFlushSignature { page.set(flushMapHeaderFlushSignature, at: 612) }
        page.set(consistentGeneration, at: 640)
        page.set(formatVersion.2, at: 644)
        page.set(FileType.database.rawValue, at: FileType.headerOffset)
        page.set(maximumRequiredCreateTime, at: 672)
        page.sealHeader()
        return page.bytes
    }
}
