import Synchronization

/// Counters a long check advances as it goes; read them from another thread to show
/// progress. All updates are relaxed atomics: no locks on the page path.
public final class CheckProgress: Sendable {
    private let bytes = Atomic<Int>(0)
    private let files = Atomic<Int>(0)
    private let plannedBytes = Atomic<Int>(0)
    private let plannedFiles = Atomic<Int>(0)

    /// Creates zeroed counters.
    public init() {}

    /// Bytes examined so far.
    public var bytesDone: Int { bytes.load(ordering: .relaxed) }
    /// Files finished so far.
    public var filesDone: Int { files.load(ordering: .relaxed) }
    /// Bytes the check expects to examine.
    public var bytesPlanned: Int { plannedBytes.load(ordering: .relaxed) }
    /// Files the check expects to examine.
    public var filesPlanned: Int { plannedFiles.load(ordering: .relaxed) }

    /// Adds to the plan.
    public func plan(bytes count: Int, files fileCount: Int = 0) {
        plannedBytes.add(count, ordering: .relaxed)
        plannedFiles.add(fileCount, ordering: .relaxed)
    }

    /// Records examined bytes.
    public func advance(bytes count: Int) { bytes.add(count, ordering: .relaxed) }

    /// Records a finished file.
    public func finishFile() { files.add(1, ordering: .relaxed) }

    /// One file's progress: bytes examined of the bytes planned.
    public struct FileProgress: Hashable, Sendable {
        /// The file's path (or a streamed database's name).
        public var name: String
        /// Bytes examined so far (pages seen, holes of sparse files included).
        public var bytesDone: Int
        /// Bytes the check plans to examine in this file.
        public var bytesPlanned: Int
    }

    private let fileSource = Locked<(@Sendable () -> [FileProgress])?>(nil)

    /// Each file's progress, in the order checked; empty until a check plans its files.
    /// Taken from the files' own reports when asked (a lock per file), so the page path
    /// pays nothing for it.
    public var fileProgress: [FileProgress] { fileSource.withLock { $0 }?() ?? [] }

    /// Sets where `fileProgress` comes from.
    func track(files source: @escaping @Sendable () -> [FileProgress]) { fileSource.withLock { $0 = source } }
}
