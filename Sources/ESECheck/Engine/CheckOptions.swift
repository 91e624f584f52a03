/// How checks read and spread their work.
public struct CheckOptions: Sendable {
    /// How file bytes are brought in (default `pread`, which survives files that shrink).
    public var readMethod: ReadMethod
    /// Threads to use (default: online processors).
    public var concurrency: Int
    /// Bytes read per I/O (per thread buffer size for `pread`, window size for mapping).
    public var windowBytes: Int
    /// Bytes of a file handed to one thread at a time; large files are split into chunks
    /// of this size so that one file uses every core.
    public var chunkBytes: Int
    /// Counters to advance as bytes are examined, for progress display.
    public var progress: CheckProgress?
    /// Findings kept with per-page detail per database, and page ranges of findings kept:
    /// the cap on the `findings` and `findingRanges` lists of reports (the rest is counted in
    /// `findingsOmitted` and `findingRangesOmitted`). Default `PageTally.defaultFindingLimit`.
    public var maxFindings = PageTally.defaultFindingLimit
    /// Whether log checks also walk every log record (type, size, fragments, as ESE's reader
    /// does): fills `LogFileReport.records`, reports an invalid record as `invalidRecord`, and
    /// lets the recovery model decide from records instead of header approximations. On by
    /// default (the walk runs at several GB/s per core).
    public var walkLogRecords: Bool
    /// Whether the session also computes each database file's CRC-32C over the bytes the page
    /// pass reads (`CheckSession.fileHashPieces`), for a backup manifest (docs/manifest.md).
    /// Off by default: it costs what `ese-bench` reports as `hash.*`.
    public var hashFiles = false
    /// Simulated read errors, for tests of the error paths.
    @_spi(Testing) public var readFaults: ReadFaultInjection?

    /// Creates options.
    public init(readMethod: ReadMethod = .positional, concurrency: Int = 0, windowBytes: Int = 1 << 20,
                chunkBytes: Int = 32 << 20, progress: CheckProgress? = nil, walkLogRecords: Bool = true) {
        self.readMethod = readMethod
        self.concurrency = concurrency > 0 ? concurrency : SystemCalls.processorCount
        self.windowBytes = max(windowBytes, 64 << 10)
        self.chunkBytes = max(chunkBytes, self.windowBytes)
        self.progress = progress
        self.walkLogRecords = walkLogRecords
    }
}
