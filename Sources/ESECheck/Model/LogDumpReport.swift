import ESEFormat

/// What `eseutil /ml <base>` reports for a log set, which administrators compare with
/// recovery's view. It differs from recovery (recovery.md §6, logdump.cxx:526-868): it walks
/// every archived log from the lowest name upward and then the current log, the lowest file is
/// the reference (not the current log), archived logs above the current log make it fail, and
/// it checks the accumulated segment checksum only where the field is non-zero.
public struct LogDumpReport: Hashable, Sendable {
    /// One finding `eseutil /ml` prints for a file.
    public struct Finding: Hashable, Sendable {
        /// The file.
        public var file: String
        /// The error it stands for.
        public var jetError: JetError
        /// What `eseutil` would print, in substance.
        public var message: String
    }

    /// Every finding, in the order the files are walked.
    public var findings: [Finding] = []
    /// The error `eseutil /ml` returns: the first finding's (logdump.cxx:862-865).
    public var jetError: JetError { findings.first?.jetError ?? .success }
}
