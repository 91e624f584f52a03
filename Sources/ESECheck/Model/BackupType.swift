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
