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

    public var description: String {
        if let cause { return "bytes \(offset)..<\(offset + length): \(cause)" }
        return "bytes \(offset)..<\(offset + length): the file ended early (now \(sizeNow.map(String.init) ?? "?") bytes)"
    }
}

/// How file bytes are brought in.
public enum ReadMethod: String, Hashable, Sendable, CaseIterable {
    /// `pread` into a reusable buffer. Immune to files that shrink under the checker (a
    /// short read is reported), so it is the default.
    case positional
    /// `mmap` windows with `MADV_SEQUENTIAL` for files that cannot change — on a read-only
    /// mount (a snapshot) or marked immutable — and `pread` for every other file. A file
    /// truncated while a window is mapped would raise SIGBUS and kill the host process, so
    /// the checkers never map a file someone could truncate.
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

    /// Maps even files that could change (only for `MappedFile`).
    let alwaysMap: Bool

    init(method: ReadMethod, faults: ReadFaultInjection? = nil, alwaysMap: Bool = false) {
        self.method = method
        self.faults = faults
        self.alwaysMap = alwaysMap
    }

    deinit { buffer.deallocate() }

    mutating func withBytes<R>(of file: ReadOnlyFile, at offset: UInt64, count: Int, _ body: (RawSpan) -> R) throws(ReadFailure) -> R {
        if let code = faults?.failure(path: file.path, offset: offset, count: count) {
            throw ReadFailure(offset: offset, length: UInt64(count), cause: SystemError(call: "pread", errno: code))
        }
        if maps(file) { return try readMapped(file, offset, count, body) }
        return try readPositional(file, offset, count, body)
    }

    /// Whether windows of `file` are mapped: with the mapped method, and only while the file
    /// cannot change (else `pread`). Asked again for every window, since a mount can change.
    func maps(_ file: ReadOnlyFile) -> Bool {
        method == .mapped && (alwaysMap || file.cannotChange)
    }

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

    private func readMapped<R>(_ file: ReadOnlyFile, _ offset: UInt64, _ count: Int, _ body: (RawSpan) -> R) throws(ReadFailure) -> R {
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
        defer { SystemCalls.unmap(address, length: length) }
        return body(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(start: address + lead, count: count)))
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
/// call and unmapped before it returns — always, whatever the file.
///
/// - Important: a file truncated by another process while a window is mapped raises
///   SIGBUS. The size is re-checked before each window, which narrows but cannot close that
///   race; use it only on files that cannot change (``ReadOnlyFile/cannotChange``), or use
///   `PositionalFile`. The checkers' ``ReadMethod/mapped`` makes that choice per file.
public struct MappedFile: FileBytes, ~Copyable {
    public let file: ReadOnlyFile
    private var reader = WindowReader(method: .mapped, alwaysMap: true)

    /// Creates a mapper of `file`.
    public init(_ file: ReadOnlyFile) { self.file = file }

    public mutating func withBytes<R>(at offset: UInt64, count: Int, _ body: (RawSpan) -> R) throws(ReadFailure) -> R {
        try reader.withBytes(of: file, at: offset, count: count, body)
    }
}
