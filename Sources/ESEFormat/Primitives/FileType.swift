/// What kind of ESE file a header describes. ESE: `JET_filetype` (`le_filetype`, at offset 667
/// of database, log and checkpoint headers).
public enum FileType: UInt32, Hashable, Sendable, CaseIterable {
    /// Unknown or written before the field existed. ESE: `JET_filetypeUnknown`.
    case unknown = 0
    /// A database. ESE: `JET_filetypeDatabase`.
    case database = 1
    /// An obsolete streaming file. ESE: `JET_filetypeStreamingFile`.
    case streamingFile = 2
    /// A transaction log. ESE: `JET_filetypeLog`.
    case log = 3
    /// A checkpoint. ESE: `JET_filetypeCheckpoint`.
    case checkpoint = 4
    /// A temporary database. ESE: `JET_filetypeTempDatabase`.
    case temporaryDatabase = 5
    /// A trace file. ESE: `JET_filetypeFTL`.
    case traceLog = 6
    /// A flush map. ESE: `JET_filetypeFlushMap`.
    case flushMap = 7
    /// A cached file. ESE: `JET_filetypeCachedFile`.
    case cachedFile = 8
    /// A caching file. ESE: `JET_filetypeCachingFile`.
    case cachingFile = 9
    /// A revert snapshot. ESE: `JET_filetypeSnapshot`.
    case snapshot = 10
    /// A revert-snapshot checkpoint. ESE: `JET_filetypeRBSRevertCheckpoint`.
    case revertCheckpoint = 11

    /// The byte offset of `le_filetype` in database, log and checkpoint headers.
    public static let headerOffset = 667
}
