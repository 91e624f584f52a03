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
    /// Whether the structure walk runs (B-trees and space trees from the database root and the
    /// catalog, docs/structure-format.md). On by default; off (`--no-structure`) the reports say
    /// the structure was not verified (`structure.scope` `skipped`, warning `structureNotVerified`).
    public var verifyStructure = true
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

/// Simulated read errors: a read that touches a failing range fails with `errno` (the
/// number of attempts is recorded, to test the retry).
@_spi(Testing) public final class ReadFaultInjection: Sendable {
    /// Byte ranges of a file (by path) that fail, and the errno they fail with.
    public let failures: [(path: String, range: Range<UInt64>, errno: Int32)]
    /// Called before every read with the file's path and the offset read, to change a file
    /// in the middle of a check.
    public let beforeRead: (@Sendable (_ path: String, _ offset: UInt64) -> Void)?
    /// Called with the file's path and the offset once a window is mapped, before its bytes
    /// are read (``ReadMethod/mapped`` only), to change a file while it is mapped.
    public let afterMapping: (@Sendable (_ path: String, _ offset: UInt64) -> Void)?
    private let attempts = Locked(0)

    /// Creates an injection.
    public init(failures: [(path: String, range: Range<UInt64>, errno: Int32)],
                beforeRead: (@Sendable (_ path: String, _ offset: UInt64) -> Void)? = nil,
                afterMapping: (@Sendable (_ path: String, _ offset: UInt64) -> Void)? = nil) {
        self.failures = failures
        self.beforeRead = beforeRead
        self.afterMapping = afterMapping
    }

    /// Reads that hit a failing range so far.
    public var failedAttempts: Int { attempts.withLock { $0 } }

    func failure(path: String, offset: UInt64, count: Int) -> Int32? {
        beforeRead?(path, offset)
        let read = offset..<offset + UInt64(count)
        guard let hit = failures.first(where: { $0.path == path && $0.range.overlaps(read) }) else { return nil }
        attempts.withLock { $0 += 1 }
        return hit.errno
    }
}
