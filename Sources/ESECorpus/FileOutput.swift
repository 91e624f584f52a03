import Foundation

/// Writes and edits corpus files through Foundation's `FileHandle` (the corpus writer
/// makes no system calls of its own).
public struct FileOutput {
    /// Why a corpus file could not be written.
    public struct Failure: Error, CustomStringConvertible {
        /// The file.
        public var path: String
        /// What went wrong.
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    let handle: FileHandle
    /// The file being written.
    public let path: String

    /// Creates (or truncates) `path` for writing.
    public init(creating path: String) throws(Failure) {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw Failure(path: path, message: "cannot create the file")
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw Failure(path: path, message: "cannot open the file for writing")
        }
        self.handle = handle
        self.path = path
    }

    /// Opens an existing file for editing.
    public init(editing path: String) throws(Failure) {
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw Failure(path: path, message: "cannot open the file for editing")
        }
        self.handle = handle
        self.path = path
    }

    /// Appends or overwrites `bytes` at the current position.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
        do { try handle.write(contentsOf: data) } catch {
            throw Failure(path: path, message: "write failed: \(error.localizedDescription)")
        }
    }

    /// Writes `bytes` at the current position.
    public func write(_ bytes: [UInt8]) throws(Failure) {
        let result: Result<Void, Failure> = bytes.withUnsafeBytes { buffer in
            do throws(Failure) { try write(buffer); return .success(()) } catch { return .failure(error) }
        }
        try result.get()
    }

    /// Writes raw bytes at `offset`.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(Failure) {
        do { try handle.seek(toOffset: offset) } catch {
            throw Failure(path: path, message: "seek to \(offset) failed: \(error.localizedDescription)")
        }
        try write(bytes)
    }

    /// Writes `bytes` at `offset`.
    public func write(_ bytes: [UInt8], at offset: UInt64) throws(Failure) {
        do { try handle.seek(toOffset: offset) } catch {
            throw Failure(path: path, message: "seek to \(offset) failed: \(error.localizedDescription)")
        }
        try write(bytes)
    }

    /// Reads `count` bytes at `offset`.
    public func read(at offset: UInt64, count: Int) throws(Failure) -> [UInt8] {
        do {
            try handle.seek(toOffset: offset)
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw Failure(path: path, message: "read at \(offset) failed: \(error.localizedDescription)")
        }
    }

    /// Cuts or extends the file to `size` bytes.
    public func truncate(to size: UInt64) throws(Failure) {
        do { try handle.truncate(atOffset: size) } catch {
            throw Failure(path: path, message: "truncate failed: \(error.localizedDescription)")
        }
    }

    /// The file's size.
    public func size() throws(Failure) -> UInt64 {
        do { return try handle.seekToEnd() } catch {
            throw Failure(path: path, message: "size failed: \(error.localizedDescription)")
        }
    }

    /// Closes the file.
    public func close() { try? handle.close() }
}
