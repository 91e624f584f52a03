// The funnel to the C library: every system call the checker makes goes through
// `SystemCalls`, which retries EINTR and turns failures into `SystemError`. Two files in IO
// also import the C library, each for what a funnel cannot give: `MappedWindowGuard` (a
// signal handler may call only async-signal-safe functions, directly) and `Locked` (a
// pthread mutex that ThreadSanitizer can see). ArchitectureTests keeps it to these three.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: which call and the `errno` it set.
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The call, for example `pread`.
    public var call: String
    /// The C `errno` value.
    public var errno: Int32

    /// Creates a system error.
    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The C library's text for `errno` (`strerror`).
    public var message: String { SystemCalls.errorText(errno) }

    public var description: String { "\(call) failed: \(message) (errno \(errno))" }

    /// `ENOENT`.
    public static var noSuchFile: Int32 { ENOENT }
    /// `EACCES`.
    public static var permissionDenied: Int32 { EACCES }
    /// `EISDIR`.
    public static var isDirectory: Int32 { EISDIR }
    /// `EIO`.
    public static var ioError: Int32 { EIO }
    /// `ENOTDIR`.
    public static var notADirectory: Int32 { ENOTDIR }
    /// `ELOOP`.
    public static var tooManySymbolicLinks: Int32 { ELOOP }
}

/// What `stat` says about a path.
struct FileStatus: Sendable {
    enum Kind: Sendable { case regular, directory, fifo, characterDevice, blockDevice, socket, symbolicLink, other }
    var kind: Kind
    var size: UInt64
    var device: UInt64
    var inode: UInt64
    var modificationSeconds: Int
    var modificationNanoseconds: Int
    var changeSeconds: Int
    var changeNanoseconds: Int

    /// What identifies the file and its contents' version.
    var identity: FileIdentity {
        FileIdentity(device: device, inode: inode, size: size,
                     modification: .init(seconds: modificationSeconds, nanoseconds: modificationNanoseconds),
                     change: .init(seconds: changeSeconds, nanoseconds: changeNanoseconds))
    }
}

enum SystemCalls {
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Opens `path` (its bytes, see `PathEncoding`) read-only, without following into FIFOs'
    /// blocking open.
    static func openReadOnly(_ path: String) throws(SystemError) -> Int32 {
        while true {
            guard let fd = PathEncoding.withCString(path, { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }) else {
                throw SystemError(call: "open", errno: EINVAL)
            }
            if fd >= 0 {
                // Regular files ignore O_NONBLOCK; clear it so reads behave normally.
                let flags = fcntl(fd, F_GETFL)
                if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
                return fd
            }
            let code = errno
            if code == EINTR { continue }
            throw SystemError(call: "open", errno: code)
        }
    }

    /// Replaces the file at `path` with `bytes` atomically: written to `path.tmp`, flushed to
    /// disk (`fsync`), then renamed over `path`, so a reader sees the old file or the new one,
    /// never a part (a state file, `--state`).
    static func replaceFile(_ path: String, with bytes: [UInt8]) throws(SystemError) {
        let temporary = path + ".tmp"
        guard let fd = PathEncoding.withCString(temporary, { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }) else {
            throw SystemError(call: "open", errno: EINVAL)
        }
        guard fd >= 0 else { throw SystemError(call: "open", errno: errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let code = count < 0 ? errno : EIO
                close(fd)
                throw SystemError(call: "write", errno: code)
            }
            written += count
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            throw SystemError(call: "fsync", errno: code)
        }
        close(fd)
        let renamed: Int32? = PathEncoding.withCString(temporary) { from in PathEncoding.withCString(path) { rename(from, $0) } } ?? nil
        guard renamed == 0 else { throw SystemError(call: "rename", errno: renamed == nil ? EINVAL : errno) }
    }

    static func close(_ fd: Int32) {
        #if canImport(Darwin)
        _ = Darwin.close(fd)
        #elseif canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Musl.close(fd)
        #endif
    }

    private static func status(from info: stat) -> FileStatus {
        let kind: FileStatus.Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFIFO: kind = .fifo
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        case S_IFSOCK: kind = .socket
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        #if canImport(Darwin)
        let seconds = Int(info.st_mtimespec.tv_sec), nanoseconds = Int(info.st_mtimespec.tv_nsec)
        let changeSeconds = Int(info.st_ctimespec.tv_sec), changeNanoseconds = Int(info.st_ctimespec.tv_nsec)
        #else
        let seconds = Int(info.st_mtim.tv_sec), nanoseconds = Int(info.st_mtim.tv_nsec)
        let changeSeconds = Int(info.st_ctim.tv_sec), changeNanoseconds = Int(info.st_ctim.tv_nsec)
        #endif
        return FileStatus(kind: kind, size: UInt64(max(0, info.st_size)), device: UInt64(info.st_dev),
                          inode: UInt64(info.st_ino), modificationSeconds: seconds, modificationNanoseconds: nanoseconds,
                          changeSeconds: changeSeconds, changeNanoseconds: changeNanoseconds)
    }

    static func status(of fd: Int32) throws(SystemError) -> FileStatus {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError(call: "fstat", errno: errno) }
        return status(from: info)
    }

    static func status(ofPath path: String, followLinks: Bool = true) throws(SystemError) -> FileStatus {
        var info = stat()
        let call = followLinks ? "stat" : "lstat"
        guard let result = PathEncoding.withCString(path, { followLinks ? stat($0, &info) : lstat($0, &info) }) else {
            throw SystemError(call: call, errno: EINVAL)
        }
        guard result == 0 else { throw SystemError(call: call, errno: errno) }
        return status(from: info)
    }

    /// Sleeps the calling thread for `seconds` (resumed after a signal for the rest).
    static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        let whole = Int(seconds)
        var request = timespec(tv_sec: whole, tv_nsec: Int((seconds - Double(whole)) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }

    /// Reads up to `count` bytes at `offset`; returns the bytes read (0 at end of file).
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, offset: UInt64) throws(SystemError) -> Int {
        guard offset <= UInt64(Int64.max) else { return 0 }
        while true {
            let result = pread(fd, buffer, count, off_t(offset))
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemError(call: "pread", errno: code)
        }
    }

    /// The data (non-hole) regions of `fd` within `range`, from `SEEK_DATA`/`SEEK_HOLE`; nil
    /// when the file system cannot tell (then every byte counts as data). Bytes past the
    /// current end of the file count as data: they are not holes, they are gone.
    static func dataRegions(_ fd: Int32, in range: Range<UInt64>) -> [Range<UInt64>]? {
        #if os(Linux)
        // SEEK_DATA and SEEK_HOLE (Linux values; glibc exposes them only under _GNU_SOURCE).
        let seekData: Int32 = 3, seekHole: Int32 = 4
        guard range.upperBound <= UInt64(Int64.max) else { return nil }
        var regions: [Range<UInt64>] = []
        var position = range.lowerBound
        while position < range.upperBound {
            let data = lseek(fd, off_t(position), seekData)
            if data < 0 {
                guard errno == ENXIO else { return nil }
                // No data after `position`: a hole up to the end of the file. Past the end
                // (the file shrank) is no hole: it counts as data, so that reading it
                // reports the shrink instead of counting vanished pages as zero pages.
                guard let end = try? status(of: fd).size else { return nil }
                if end < range.upperBound { regions.append(max(position, end)..<range.upperBound) }
                break
            }
            let start = UInt64(data)
            if start >= range.upperBound { break }
            let hole = lseek(fd, off_t(start), seekHole)
            guard hole >= 0 else { return nil }
            let end = min(UInt64(hole), range.upperBound)
            if end > start { regions.append(start..<end) }
            position = max(end, start + 1)
        }
        return regions
        #else
        return nil
        #endif
    }

    /// Maps `length` bytes of `fd` at `offset` (a multiple of the system page size) read-only.
    static func map(_ fd: Int32, offset: UInt64, length: Int) throws(SystemError) -> UnsafeRawPointer {
        guard length > 0, offset <= UInt64(Int64.max) else { throw SystemError(call: "mmap", errno: EINVAL) }
        let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(offset))
        guard let address, address != MAP_FAILED else { throw SystemError(call: "mmap", errno: errno) }
        _ = madvise(address, length, MADV_SEQUENTIAL)
        return UnsafeRawPointer(address)
    }

    static func unmap(_ address: UnsafeRawPointer, length: Int) {
        _ = munmap(UnsafeMutableRawPointer(mutating: address), length)
    }

    /// The virtual-memory page size.
    static let memoryPageSize: Int = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Online processors.
    static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Names in a directory (not `.` or `..`), or an error. Names that are not valid UTF-8 are
    /// decoded losslessly (`PathEncoding`), so each can be opened again.
    static func directoryEntries(_ path: String) throws(SystemError) -> [String] {
        guard let opened = PathEncoding.withCString(path, { opendir($0) }) else {
            throw SystemError(call: "opendir", errno: EINVAL)
        }
        guard let directory = opened else { throw SystemError(call: "opendir", errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        // readdir's records are only d_reclen bytes long, often less than a whole `dirent`:
        // read the name in place; copying `entry.pointee` would read past the record.
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(directory) {
            let namePointer = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self)
            let name = PathEncoding.string(fromBytes: UnsafeRawBufferPointer(start: namePointer, count: strlen(namePointer)))
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
