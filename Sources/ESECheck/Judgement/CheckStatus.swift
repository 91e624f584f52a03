/// What a check amounts to for the program that acts on it: the one mapping from reports to
/// `ese-verify`'s exit status and to what the C API returns. A storage group passes exactly
/// when it is restorable (its verdict is `consistent` or `recoverable` and its JET error 0,
/// which `esecheck_term` returns); input that could not be read at all is told apart from
/// input read and found wanting.
public enum CheckStatus: Int32, Hashable, Sendable {
    /// Everything checked passed. `ese-verify` exits 0.
    case passed = 0
    /// The input was read and found wanting: corruption, missing or damaged logs, a verdict
    /// that is not restorable. `ese-verify` exits 1.
    case problemsFound = 1
    /// Some input could not be read at all. `ese-verify` exits 3.
    case unreadableInput = 3

    /// The status of a storage-group check: unreadable when a database could not be read
    /// (an error that means so, or reads that failed), else passed exactly when restorable.
    public init(_ report: StorageGroupReport) {
        let unreadable = report.databases.contains { database in
            database.verdict == .unreadable && Self.couldNotRead(database.report)
        }
        self = unreadable ? .unreadableInput : report.isRestorable ? .passed : .problemsFound
    }

    /// The status of database files checked on their own (`eseutil /k`).
    public init(_ reports: [DatabaseReport]) {
        self = reports.contains(where: Self.couldNotRead) ? .unreadableInput
            : reports.allSatisfy(\.passed) ? .passed : .problemsFound
    }

    /// The status of a log set checked on its own (`eseutil /ml`).
    public init(_ report: LogSetReport) {
        if let error = report.errors.first {
            self = Self(error)
        } else {
            self = report.isWhole ? .passed : .problemsFound
        }
    }

    /// The status of a check that ended in `error` before it could look at anything.
    public init(_ error: CheckError) {
        self = error.code.meansUnreadable ? .unreadableInput : .problemsFound
    }

    static func couldNotRead(_ report: DatabaseReport) -> Bool {
        !report.readFailures.isEmpty || report.errors.contains { $0.code.meansUnreadable }
    }
}
