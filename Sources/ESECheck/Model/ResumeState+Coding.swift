import ESEFormat

extension ResumeState {
    /// The binary form (docs/resume-state.md): little-endian fields after the magic and the
    /// version, closed by the CRC-32C of every byte before it.
    func encoded() -> [UInt8] {
        var out = StateWriter()
        out.bytes += Self.magic
        out.u32(Self.version)
        out.string(optionsKey)
        out.u32(UInt32(files.count))
        for file in files { out.file(file) }
        let crc = out.bytes.withUnsafeBytes { CRC32C.checksum(RawSpan(_unsafeBytes: $0)) }
        out.u32(crc)
        return out.bytes
    }

    /// The state in `bytes`, or nil when they are not a whole state file of this version (a
    /// wrong magic, version or checksum, or fields that run past the end).
    init?(decoding bytes: [UInt8]) {
        guard bytes.count >= Self.magic.count + 8, Array(bytes.prefix(Self.magic.count)) == Self.magic else { return nil }
        let body = bytes.count - 4
        let stored = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: body, as: UInt32.self)) }
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rebasing: $0[..<body]))) }
        guard stored == crc else { return nil }
        var input = StateReader(bytes: Array(bytes[..<body]), offset: Self.magic.count)
        guard input.u32() == Self.version, let key = input.string(), let count = input.u32(), count <= 1 << 20 else { return nil }
        var files: [FileProgress] = []
        for _ in 0..<count {
            guard let file = input.file() else { return nil }
            files.append(file)
        }
        guard input.offset == input.bytes.count else { return nil }
        self.init(optionsKey: key, files: files)
    }

    /// The version of a state file's bytes, when they start with the magic.
    static func version(of bytes: [UInt8]) -> UInt32? {
        guard bytes.count >= magic.count + 4, Array(bytes.prefix(magic.count)) == magic else { return nil }
        return bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self)) }
    }
}

/// Appends little-endian fields.
private struct StateWriter {
    var bytes: [UInt8] = []

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func string(_ text: String) {
        let utf8 = PathEncoding.bytes(of: text)
        u32(UInt32(utf8.count))
        bytes += utf8
    }

    mutating func file(_ file: ResumeState.FileProgress) {
        string(file.path)
        if let identity = file.identity {
            bytes.append(1)
            for value in [identity.device, identity.inode, identity.size] { u64(value) }
            for value in [identity.modification.seconds, identity.modification.nanoseconds, identity.change.seconds, identity.change.nanoseconds] {
                u64(UInt64(bitPattern: Int64(value)))
            }
        } else {
            bytes.append(0)
        }
        u32(file.pageSize)
        for value in [file.ok, file.uninitialized, file.highestTime] { u64(value) }
        u32(file.highestTimePage)
        u32(file.highestLinkedPage)
        u64(file.bytesRead)
        u32(UInt32(file.done.count))
        for range in file.done {
            u32(range.lowerBound)
            u32(range.upperBound)
        }
        guard let words = file.words else { return bytes.append(0) }
        bytes.append(1)
        bytes.reserveCapacity(bytes.count + 4 * words.count)
        for word in words { u32(word) }
    }
}

/// Reads little-endian fields; nil past the end.
private struct StateReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func u8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u32() -> UInt32? {
        guard bytes.count - offset >= 4 else { return nil }
        defer { offset += 4 }
        return bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    mutating func u64() -> UInt64? {
        guard bytes.count - offset >= 8 else { return nil }
        defer { offset += 8 }
        return bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }

    mutating func string() -> String? {
        guard let count = u32().map(Int.init), bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return PathEncoding.string(fromBytes: bytes[offset..<offset + count])
    }

    mutating func identity() -> FileIdentity?? {
        guard let present = u8() else { return nil }
        guard present == 1 else { return present == 0 ? .some(nil) : nil }
        guard let device = u64(), let inode = u64(), let size = u64(), let ms = u64(), let mn = u64(), let cs = u64(), let cn = u64() else { return nil }
        let time = { (value: UInt64) in Int(truncatingIfNeeded: Int64(bitPattern: value)) }
        return .some(FileIdentity(device: device, inode: inode, size: size,
                                  modification: .init(seconds: time(ms), nanoseconds: time(mn)),
                                  change: .init(seconds: time(cs), nanoseconds: time(cn))))
    }

    mutating func file() -> ResumeState.FileProgress? {
        guard let path = string(), let identity = identity(), let pageSize = u32() else { return nil }
        var file = ResumeState.FileProgress(path: path, identity: identity, pageSize: pageSize)
        guard let ok = u64(), let uninitialized = u64(), let highestTime = u64(), let highestTimePage = u32(),
              let highestLinkedPage = u32(), let bytesRead = u64(), let rangeCount = u32() else { return nil }
        (file.ok, file.uninitialized, file.highestTime, file.highestTimePage) = (ok, uninitialized, highestTime, highestTimePage)
        (file.highestLinkedPage, file.bytesRead) = (highestLinkedPage, bytesRead)
        guard Int(rangeCount) <= (bytes.count - offset) / 8 else { return nil }
        var previous: UInt32?
        for _ in 0..<rangeCount {
            guard let low = u32(), let high = u32(), low >= 1, low <= high, previous.map({ $0 < low }) ?? true else { return nil }
            file.done.append(low...high)
            previous = high
        }
        guard file.ok + file.uninitialized == UInt64(file.donePages), let hasWords = u8(), hasWords <= 1 else { return nil }
        guard hasWords == 1 else { return file }
        let count = file.donePages
        guard (bytes.count - offset) / 4 >= count else { return nil }
        var words = [UInt32](repeating: 0, count: count)
        for index in 0..<count { words[index] = u32()! }
        file.words = words
        return file
    }
}
