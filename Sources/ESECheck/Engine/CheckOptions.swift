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
    /// Whether `check` compares the pages the replayed log records change with the records'
    /// database times, as redo does (−566, −567, −625, −1019; `DatabaseVerdict.pageTimes`).
    /// On by default; off only to measure its cost.
    public var comparePageTimes = true
    /// Whether the structure walk runs (B-trees and space trees from the database root and the
    /// catalog, docs/structure-format.md). On by default; off (`--no-structure`) the reports say
    /// the structure was not verified (`structure.scope` `skipped`, warning `structureNotVerified`).
    public var verifyStructure = true
    /// Re-reads of a page that fails its checksum before it is condemned (`--retries`).
    /// Default 2: one re-read tells a page being rewritten (a live file: `unstable`) from a
    /// page bad on disk, and a second gives a page whose write was still in flight time to
    /// settle; re-reads cost only on failing pages. 0 turns re-reading off.
    public var retries = CheckOptions.defaultRetries
    /// The default of `retries`.
    public static let defaultRetries = 2
    /// The most bytes per second all reader threads together read (`--max-rate`); nil for
    /// no limit. Held by one token bucket shared by the threads.
    public var maxBytesPerSecond: Int? {
        didSet { throttle = maxBytesPerSecond.map { ReadThrottle(bytesPerSecond: $0) } }
    }
    /// The bucket behind `maxBytesPerSecond`.
    var throttle: ReadThrottle?
    /// Only these pages are read (`--pages A-B`, `--recheck`); nil for every page. The
    /// reports' `scope` names the rest as not verified.
    public var pageSelection: PageSelection?
    /// Stop reading pages at the first finding that decides the verdict (a bad or unstable
    /// page, a read failure); the reports' `scope` says the rest was not verified.
    public var failFast = false
    /// Whether the session also computes each database file's whole-file hash (`XXH3Tree`
    /// leaves) over the bytes the page pass reads (`CheckSession.fileHashPieces`), for a backup manifest (docs/manifest.md).
    /// Off by default: it costs what `ese-bench` reports as `hash.*`.
    public var hashFiles = false
    /// A state file (`--state FILE`, docs/resume-state.md): progress is saved to it every
    /// `ResumeTracker.saveInterval` seconds at most and at the end, and a run given a state file
    /// that exists continues where the run that wrote it stopped. A state of another file set,
    /// other options or a file whose identity changed is refused (`stateRefused`). Ignored
    /// with `hashFiles` (a manifest needs every byte read). Nil for none.
    public var stateFile: String?
    /// Test hook: stop reading after this many read windows, as an interrupted run would,
    /// and save the state file.
    @_spi(Testing) public var stateInterruptAfterWindows: Int?
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
