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
