import ESEFormat

/// The contents of a state file (`--state FILE`, `CheckOptions.stateFile`): per database file
/// its identity and the pages whose results are known, with what the verdict needs from them.
/// Format and rules: docs/resume-state.md. Encoded by `encoded()`, read by `init?(decoding:)`.
struct ResumeState: Hashable, Sendable {
    /// The format version this build writes and reads.
    static let version: UInt32 = 1
    /// The first 8 bytes of every state file.
    static let magic: [UInt8] = Array("ESEVSTAT".utf8)

    /// One database file's progress.
    struct FileProgress: Hashable, Sendable {
        /// The path as given.
        var path: String
        /// The file's identity when its headers were read (nil: it had no valid header).
        var identity: FileIdentity?
        /// The page size (0 when unknown).
        var pageSize: UInt32
        /// Pages whose results are kept here (ESE `pgno`), sorted and disjoint: each passed
        /// its checksum or is all zero, and names no other page (internal, root, space-tree and
        /// catalog pages are read again on resuming).
        var done: [ClosedRange<UInt32>] = []
        /// Of `done`, pages that passed their checksum, and pages all zero.
        var ok: UInt64 = 0
        var uninitialized: UInt64 = 0
        /// The highest database time seen on a good page and where (0, 0 when none).
        var highestTime: UInt64 = 0
        var highestTimePage: UInt32 = 0
        /// The highest sibling link a good page named.
        var highestLinkedPage: UInt32 = 0
        /// Bytes read for `done`.
        var bytesRead: UInt64 = 0
        /// The structure walk's word of each `done` page, in order (nil when not gathered).
        var words: [UInt32]?

        /// Pages in `done`.
        var donePages: Int { done.reduce(0) { $0 + $1.count } }
    }

    /// The options that change results, in a canonical form (`ResumeTracker.optionsKey`).
    var optionsKey: String
    /// One entry per database of the session, in its order.
    var files: [FileProgress]
}
