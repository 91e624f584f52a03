/// Why a range of a file could not be read.
public struct ReadFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// First byte of the range.
    public var offset: UInt64
    /// Length of the range.
    public var length: UInt64
    /// The system error, or nil when the file ended early.
    public var cause: SystemError?
    /// The file's size when the short read happened (for `cause == nil`).
    public var sizeNow: UInt64?
    /// Whether the range was mapped and the file shrank while it was read (a `SIGBUS`
    /// caught by ``ReadMethod/mapped``, or a size below the range's end afterwards): its
    /// bytes were handed out, but read as zeros past the new end, so nothing computed from
    /// them may be trusted.
    public var shrankWhileMapped: Bool

    /// Creates a read failure.
    public init(offset: UInt64, length: UInt64, cause: SystemError?, sizeNow: UInt64? = nil, shrankWhileMapped: Bool = false) {
        self.offset = offset
        self.length = length
        self.cause = cause
        self.sizeNow = sizeNow
        self.shrankWhileMapped = shrankWhileMapped
    }

    /// Whether the file was shorter than the range: it shrank since it was opened.
    public var fileEndedEarly: Bool { cause == nil }

    public var description: String {
        if let cause { return "bytes \(offset)..<\(offset + length): \(cause)" }
        let now = "now \(sizeNow.map(String.init) ?? "?") bytes"
        if shrankWhileMapped { return "bytes \(offset)..<\(offset + length): the file shrank while they were mapped (\(now)); not trusted" }
        return "bytes \(offset)..<\(offset + length): the file ended early (\(now))"
    }
}

/// How file bytes are brought in.
public enum ReadMethod: String, Hashable, Sendable, CaseIterable {
    /// `pread` into a reusable buffer. Immune to files that shrink under the checker (a
    /// short read is reported), so it is the default.
    case positional
    /// `mmap` windows with `MADV_SEQUENTIAL`, any regular file. A file truncated while a
    /// window is mapped raises `SIGBUS`; a handler installed while windows are mapped
    /// (`MappedWindowGuard`, chaining to the host's handler for every other fault) reads
    /// zeros there instead and marks the window failed, so the read is reported
    /// (``ReadFailure/shrankWhileMapped``) and never trusted. Falls back to `pread` for a
    /// window when every guard slot is taken.
    case mapped
}

/// A source of file bytes exposed only inside a scoped closure: the bytes are valid for
/// the duration of the closure and never escape it.
public protocol FileBytes: ~Copyable {
    /// The file being read.
    var file: ReadOnlyFile { get }
    /// Calls `body` with `count` bytes at `offset`.
    /// - Throws: `ReadFailure` when the range cannot be read in full.
    mutating func withBytes<R>(at offset: UInt64, count: Int, _ body: (RawSpan) -> R) throws(ReadFailure) -> R
}

/// A reusable reader that brings a byte range of any file into view, by `pread` into a
/// buffer it owns (and reuses across calls and files) or by mapping a window.
struct WindowReader: ~Copyable {
    let method: ReadMethod
    let faults: ReadFaultInjection?
    private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    init(method: ReadMethod, faults: ReadFaultInjection? = nil) {
        self.method = method
        self.faults = faults
    }

    deinit { buffer.deallocate() }

    mutating func withBytes<R>(of file: ReadOnlyFile, at offset: UInt64, count: Int, _ body: (RawSpan) -> R) throws(ReadFailure) -> R {
        if let code = faults?.failure(path: file.path, offset: offset, count: count) {
            throw ReadFailure(offset: offset, length: UInt64(count), cause: SystemError(call: "pread", errno: code))
        }
        if maps { return try readMapped(file, offset, count, body) }
        return try readPositional(file, offset, count, body)
    }

    /// Whether windows are mapped (else read with `pread`).
    var maps: Bool { method == .mapped }

    private mutating func readPositional<R>(_ file: ReadOnlyFile, _ offset: UInt64, _ count: Int, _ body: (RawSpan) -> R) throws(ReadFailure) -> R {
        if buffer.count < count {
            buffer.deallocate()
            buffer = .allocate(byteCount: max(count, 4096), alignment: 4096)
        }
        let got: Int
        do {
            got = try file.read(into: buffer.baseAddress!, count: count, offset: offset)
        } catch {
            throw ReadFailure(offset: offset, length: UInt64(count), cause: error)
        }
        guard got == count else {
            throw ReadFailure(offset: offset, length: UInt64(count), cause: nil, sizeNow: try? file.currentSize())
        }
        return body(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rebasing: buffer[0..<count])))
    }

    /// Maps the range, watched by ``MappedWindowGuard``, and hands it to `body`.
    /// - Throws: `ReadFailure` when the range lies beyond the end of the file now, cannot be
    ///   mapped, or faulted while `body` read it (``ReadFailure/shrankWhileMapped``: then
    ///   `body` has run on bytes that are zeros from the fault on, and its result is dropped).
    private mutating func readMapped<R>(_ file: ReadOnlyFile, _ offset: UInt64, _ count: Int, _ body: (RawSpan) -> R) throws(ReadFailure) -> R {
        let sizeNow: UInt64
        do { sizeNow = try file.currentSize() } catch {
            throw ReadFailure(offset: offset, length: UInt64(count), cause: error)
        }
        guard offset <= sizeNow, UInt64(count) <= sizeNow - offset else {
            throw ReadFailure(offset: offset, length: UInt64(count), cause: nil, sizeNow: sizeNow)
        }
        guard count > 0 else { return body(RawSpan()) }
        let pageSize = UInt64(SystemCalls.memoryPageSize)
        let mapStart = offset - offset % pageSize
        let lead = Int(offset - mapStart)
        let length = lead + count
        let address: UnsafeRawPointer
        do {
            address = try SystemCalls.map(file.descriptor, offset: mapStart, length: length)
        } catch {
            throw ReadFailure(offset: offset, length: UInt64(count), cause: error)
        }
        guard let slot = MappedWindowGuard.watch(address, length: length) else {
            SystemCalls.unmap(address, length: length)
            return try readPositional(file, offset, count, body)
        }
        faults?.afterMapping?(file.path, offset)
        let result = body(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(start: address + lead, count: count)))
        let faulted = MappedWindowGuard.end(slot)
        SystemCalls.unmap(address, length: length)
        // A file cut inside the window's last memory page reads zeros there without a fault.
        let sizeAfter = try? file.currentSize()
        guard !faulted, let sizeAfter, sizeAfter >= offset + UInt64(count) else {
            throw ReadFailure(offset: offset, length: UInt64(count), cause: nil, sizeNow: sizeAfter, shrankWhileMapped: true)
        }
        return result
    }
}

/// File bytes read with `pread` into a buffer owned by the reader and reused across calls.
public struct PositionalFile: FileBytes, ~Copyable {
    public let file: ReadOnlyFile
    private var reader = WindowReader(method: .positional)

    /// Creates a reader of `file`.
    public init(_ file: ReadOnlyFile) { self.file = file }

    public mutating func withBytes<R>(at offset: UInt64, count: Int, _ body: (RawSpan) -> R) throws(ReadFailure) -> R {
        try reader.withBytes(of: file, at: offset, count: count, body)
    }
}

/// File bytes mapped read-only (`MAP_PRIVATE`, `MADV_SEQUENTIAL`) for the duration of each
/// call and unmapped before it returns.
///
/// - Important: a file truncated by another process while a window is mapped does not
///   crash the process: the bytes past the new end read as zeros, and the call throws a
///   ``ReadFailure`` with ``ReadFailure/shrankWhileMapped`` after `body` returns. Whatever
///   `body` computed from those bytes must be discarded.
public struct MappedFile: FileBytes, ~Copyable {
    public let file: ReadOnlyFile
    private var reader = WindowReader(method: .mapped)

    /// Creates a mapper of `file`.
    public init(_ file: ReadOnlyFile) { self.file = file }

    public mutating func withBytes<R>(at offset: UInt64, count: Int, _ body: (RawSpan) -> R) throws(ReadFailure) -> R {
        try reader.withBytes(of: file, at: offset, count: count, body)
    }
}
