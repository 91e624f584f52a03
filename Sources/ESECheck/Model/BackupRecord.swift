import ESEFormat

/// One recorded backup, from a database header.
public struct BackupRecord: Hashable, Sendable {
    /// Which record: `previousFull`, `previousIncremental`, `previousCopy`, `previousDifferential`,
    /// `currentFull` or `currentSnapshot`.
    public var name: String
    /// The backup information.
    public var info: BackupInfo
    /// How it was taken (normal, OS snapshot, snapshot, surrogate), when recorded.
    public var kind: BackupKind?

    /// The generations the backup covered.
    public var generations: ClosedRange<UInt32>? {
        guard info.generationLow > 0, info.generationLow <= info.generationHigh else { return nil }
        return info.generationLow...info.generationHigh
    }
}

extension DatabaseHeader {
    /// The backups this header records (empty records left out).
    public var backupHistory: [BackupRecord] {
        [
            BackupRecord(name: "previousFull", info: previousFullBackup, kind: BackupKind(rawValue: previousFullBackupKind)),
            BackupRecord(name: "previousIncremental", info: previousIncrementalBackup, kind: BackupKind(rawValue: previousIncrementalBackupKind)),
            BackupRecord(name: "previousCopy", info: previousCopyBackup, kind: BackupKind(rawValue: previousCopyBackupKind)),
            BackupRecord(name: "previousDifferential", info: previousDifferentialBackup, kind: BackupKind(rawValue: previousDifferentialBackupKind)),
            BackupRecord(name: "currentFull", info: currentFullBackup, kind: nil),
            BackupRecord(name: "currentSnapshot", info: currentSnapshotBackup, kind: nil),
        ].filter { !$0.info.isEmpty }
    }

    /// The first generation an incremental (after the last full or incremental backup) or a
    /// differential (after the last full backup) must contain; nil when no full backup is recorded.
    public func firstGenerationAfterLastBackup(for type: BackupType) -> Int32? {
        guard previousFullBackup.generationHigh > 0 else { return nil }
        var high = previousFullBackup.generationHigh
        if type == .incremental, previousIncrementalBackup.generationHigh > high { high = previousIncrementalBackup.generationHigh }
        return Int32(clamping: Int64(high) + 1)
    }
}
