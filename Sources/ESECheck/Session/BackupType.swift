import ESEFormat

/// The kind of backup being verified, as a VSS requester chooses it.
/// Exchange: `VSS_BT_FULL`, `VSS_BT_COPY`, `VSS_BT_INCREMENTAL`, `VSS_BT_DIFFERENTIAL`.
public enum BackupType: String, Hashable, Sendable, CaseIterable {
    /// Databases and logs; after success the logs below the truncation point may be deleted.
    case full
    /// Databases and logs; never truncates, never recorded as the base of incrementals.
    case copy
    /// Logs only: every generation after the last full or incremental backup.
    case incremental
    /// Logs only: every generation after the last full backup.
    case differential

    /// Whether database pages are part of this backup.
    public var checksPages: Bool { self == .full || self == .copy }

    /// Whether a successful backup of this type lets the tool delete old logs.
    public var truncatesLogs: Bool { self == .full || self == .incremental }

    /// Whether the backup builds on an earlier one (and so needs an unbroken log chain from it).
    public var isLogOnly: Bool { !checksPages }
}

/// What the log headers and checkpoint say about circular logging. ESE: `fLGFlags`
/// (0x02 now, 0x04 in the past) and `fDBMSPARAMFlags` (0x01 configured).
public struct CircularLogging: Hashable, Sendable {
    /// The current log, or any log of the set, was written with circular logging on, or the
    /// checkpoint's parameters have it configured.
    public var isOn: Bool
    /// Circular logging was on at some point of the sequence.
    public var wasEverOn: Bool
    /// The current log's own flags: (now, ever).
    public var currentLog: (now: Bool, ever: Bool)?
    /// Generations written with circular logging on.
    public var generationsWrittenCircular: [Int32]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.isOn == rhs.isOn && lhs.wasEverOn == rhs.wasEverOn && lhs.currentLog?.now == rhs.currentLog?.now
            && lhs.currentLog?.ever == rhs.currentLog?.ever && lhs.generationsWrittenCircular == rhs.generationsWrittenCircular
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(isOn)
        hasher.combine(wasEverOn)
        hasher.combine(generationsWrittenCircular)
    }
}

extension LogSetReport {
    /// Circular logging as the log headers and the checkpoint record it.
    public var circularLogging: CircularLogging {
        let headers = files.compactMap { file in file.header.map { (file, $0) } }
        let written = headers.filter { $0.1.circularLoggingNow || $0.1.parameters.circularLogging }.compactMap { LogChain.position($0.0) }
        let current = headers.first { $0.0.isCurrent }?.1
        let configured = checkpoint?.selection?.header.parameters.circularLogging ?? false
        let on = (current?.circularLoggingNow ?? false) || configured || !written.isEmpty
        let ever = on || headers.contains { $0.1.circularLoggingEver }
        return CircularLogging(isOn: on, wasEverOn: ever,
                               currentLog: current.map { ($0.circularLoggingNow, $0.circularLoggingEver) },
                               generationsWrittenCircular: written.sorted())
    }

    /// Temporary logs present, by name.
    public var temporaryLogs: [AuxiliaryLogFile] { auxiliary.filter { $0.name.kind == .temporary } }

    /// Reserve logs present, by name.
    public var reserveLogs: [AuxiliaryLogFile] {
        auxiliary.filter { if case .reserve = $0.name.kind { return true } else { return false } }
    }
}

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
