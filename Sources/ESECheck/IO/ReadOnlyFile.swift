/// An open, read-only regular file. Closes its descriptor when released.
///
/// Opening refuses directories, FIFOs, devices and sockets with a clear error (a FIFO is
/// opened non-blocking, so it cannot hang the checker). `pread` at explicit offsets makes
/// the type safe to share between threads.
public final class ReadOnlyFile: Sendable {
    /// The path it was opened with.
    public let path: String
    /// The size when it was opened.
    public let size: UInt64
    /// Identity of the file (device, inode, size, modification and change times) when it
    /// was opened; `changes()` compares it with the file now.
    let identity: FileIdentity
    let descriptor: Int32

    /// Opens `path` for reading.
    /// - Throws: `CheckError` (`notFound`, `permissionDenied`, `notARegularFile`, `openFailed`).
    public init(path: String) throws(CheckError) {
        self.path = path
        let fd: Int32
        do {
            fd = try SystemCalls.openReadOnly(path)
        } catch {
            throw CheckError.opening(path, error)
        }
        let status: FileStatus
        do {
            status = try SystemCalls.status(of: fd)
        } catch {
            SystemCalls.close(fd)
            throw CheckError.opening(path, error)
        }
        guard status.kind == .regular else {
            SystemCalls.close(fd)
            throw CheckError(.notARegularFile, path: path, expected: "a regular file", found: "\(status.kind)",
                             message: "is a \(status.kind), not a regular file")
        }
        descriptor = fd
        size = status.size
        identity = status.identity
    }

    deinit { SystemCalls.close(descriptor) }

    /// The file's size now (it may have changed since it was opened).
    public func currentSize() throws(SystemError) -> UInt64 {
        try SystemCalls.status(of: descriptor).size
    }

    /// How the file differs from when it was opened, as `fstat` on the open descriptor and
    /// `stat` of the path see it: each difference as `what: was → is`, empty when the file is
    /// unchanged. A path that now names another file (replaced or renamed), or no file at
    /// all, is a difference.
    func changes() -> [String] {
        var list: [String] = []
        do {
            list += try SystemCalls.status(of: descriptor).identity.differences(from: identity).map { "open file: \($0)" }
        } catch {
            list.append("open file: \(error)")
        }
        do {
            let named = try SystemCalls.status(ofPath: path).identity
            if named.device != identity.device || named.inode != identity.inode {
                list.append("path: now names another file (device/inode \(identity.device)/\(identity.inode) → \(named.device)/\(named.inode))")
            } else if list.isEmpty {
                list += named.differences(from: identity).map { "path: \($0)" }
            }
        } catch {
            list.append("path: \(error)")
        }
        return list
    }

    /// The parts of `range` that hold data (not holes of a sparse file); nil when unknown.
    func dataRegions(in range: Range<UInt64>) -> [Range<UInt64>]? {
        SystemCalls.dataRegions(descriptor, in: range)
    }

    /// Reads up to `count` bytes at `offset` into `buffer`, looping over short reads;
    /// returns fewer than `count` only at end of file.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, offset: UInt64) throws(SystemError) -> Int {
        var done = 0
        while done < count {
            let got = try SystemCalls.read(descriptor, into: buffer + done, count: count - done,
                                           offset: offset + UInt64(done))
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Reads `count` bytes at `offset` into a new array (short at end of file).
    public func readBytes(at offset: UInt64, count: Int) throws(SystemError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let result: Result<Int, SystemError> = bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return .success(0) }
            do throws(SystemError) { return .success(try read(into: base, count: count, offset: offset)) } catch {
                return .failure(error)
            }
        }
        let got = try result.get()
        bytes.removeLast(count - got)
        return bytes
    }
}
