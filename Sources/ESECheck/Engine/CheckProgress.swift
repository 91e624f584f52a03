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
}
