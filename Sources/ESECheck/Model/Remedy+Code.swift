extension Remedy {
    /// The machine name of a remedy (`deleteCheckpoint`, `removeLowLogs`, …).
    public struct Code: StableCode {
        /// The stable machine name, as JSON carries it.
        public let rawValue: String
        /// Creates a code from its machine name.
        public init(rawValue: String) { self.rawValue = rawValue }
    }
}

extension Remedy.Code {
    /// `deleteCheckpoint`: delete checkpoint.
    public static let deleteCheckpoint: Self = "deleteCheckpoint"
    /// `hardRestore`: hard restore.
    public static let hardRestore: Self = "hardRestore"
    /// `ignoreMissingDatabases`: ignore missing databases.
    public static let ignoreMissingDatabases: Self = "ignoreMissingDatabases"
    /// `recoverWithLoss`: recover with loss.
    public static let recoverWithLoss: Self = "recoverWithLoss"
    /// `removeLowLogs`: remove low logs.
    public static let removeLowLogs: Self = "removeLowLogs"
    /// `removeConflictingLog`: remove an archived copy of the current log's generation.
    public static let removeConflictingLog: Self = "removeConflictingLog"
    /// `replaceLog`: replace log.
    public static let replaceLog: Self = "replaceLog"
}
