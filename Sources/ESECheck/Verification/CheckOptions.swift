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

    /// Creates options.
    public init(readMethod: ReadMethod = .positional, concurrency: Int = 0, windowBytes: Int = 1 << 20,
                chunkBytes: Int = 32 << 20, progress: CheckProgress? = nil) {
        self.readMethod = readMethod
        self.concurrency = concurrency > 0 ? concurrency : SystemCalls.processorCount
        self.windowBytes = max(windowBytes, 64 << 10)
        self.chunkBytes = max(chunkBytes, self.windowBytes)
        self.progress = progress
    }
}
