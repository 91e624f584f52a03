/// Reads a tar stream once, front to back, without extracting anything: the ustar, pax and GNU
/// formats as GNU tar and bsdtar write them (POSIX.1-2001 `pax`; ustar's name prefix; GNU
/// long names `L`/`K`; sizes in octal or GNU base-256). Usable on any byte stream: the caller
/// supplies a `read` function that returns the next bytes (up to the count asked, an empty
/// array at the end).
///
/// ```
/// var reader = TarReader { count in try input.read(upTo: count) }
/// while let entry = try reader.next() {
///     while let piece = try reader.content(upTo: 1 << 20) { use(piece) }
/// }
/// ```
/// Content not read before `next()` is skipped (read and discarded: streams cannot seek).
public struct TarReader {
    /// Returns the next bytes of the stream: at most `count`, an empty array at its end.
    public typealias Read = (_ count: Int) throws -> [UInt8]

    /// One member of the archive.
    public struct Entry: Hashable, Sendable {
        /// What a member is.
        public enum Kind: Hashable, Sendable {
            /// A regular file (type `0`, NUL or `7`).
            case file
            /// A directory (type `5`).
            case directory
            /// Anything else (links, devices, FIFOs, GNU sparse files): its type flag.
            case other(UInt8)
        }
        /// The member's path in the archive (pax `path`, GNU long name or ustar prefix/name).
        public var path: String
        /// Its content size in bytes.
        public var size: UInt64
        /// What it is.
        public var kind: Kind
        /// The last path component.
        public var baseName: String { path.split(separator: "/").last.map(String.init) ?? path }
    }

    /// Why the stream is not a readable tar archive.
    public struct FormatError: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong, and where.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    private let read: Read
    private var buffer: [UInt8] = []
    private var position = 0
    /// Bytes of the current member's content not yet returned, and its padding.
    private var remaining: UInt64 = 0
    private var padding = 0
    /// Stream offset of the next header, for messages.
    private var offset: UInt64 = 0
    private var ended = false
    /// Whether the archive's end-of-archive blocks (zero blocks; GNU tar accepts one) were
    /// read. A stream that ends without them may be cut at a member boundary: every member read
    /// is whole, but members after the cut are gone (POSIX.1 ustar: "two consecutive blocks of
    /// zero bytes" end the archive).
    public private(set) var endMarkerSeen = false

    /// A reader over `read`.
    public init(read: @escaping Read) { self.read = read }

    /// The next member, or nil at the end of the archive (a zero block, or the end of the
    /// stream on a block boundary: then `endMarkerSeen` is false). Skips what is left of the
    /// current member.
    /// - Throws: `FormatError` for a bad header checksum, a size that cannot be read, or a
    ///   stream that ends inside a header or a member; the read function's errors.
    public mutating func next() throws -> Entry? {
        while try content(upTo: 1 << 20) != nil {}
        try skip(padding)
        padding = 0
        var longName: String?, paxPath: String?, paxSize: UInt64?, paxSparse = false
        while !ended {
            guard let block = try take(512, allowEnd: true) else { ended = true; return nil }
            let headerOffset = offset
            offset += 512
            if block.allSatisfy({ $0 == 0 }) {
                ended = true
                endMarkerSeen = true
                return nil
            }
            let header = try TarHeader.parse(block, at: headerOffset)
            let size = paxSize ?? header.size
            switch header.type {
            case UInt8(ascii: "x"), UInt8(ascii: "g"):
                let records = TarHeader.paxRecords(try contentWhole(size, what: "pax header"))
                if header.type == UInt8(ascii: "g") { continue }  // global records: nothing ESECheck needs
                paxPath = records["path"]
                // A GNU sparse file in the pax format (GNU.sparse.* records, versions 0.0-1.0): the
                // member's bytes are not the file's, so it is no regular file (GNU tar's sparse.c).
                if records.keys.contains(where: { $0.hasPrefix("GNU.sparse.") }) {
                    paxSparse = true
                    paxPath = records["GNU.sparse.name"] ?? paxPath
                }
                if let text = records["size"] {
                    guard let value = UInt64(text) else { throw FormatError(message: "pax size '\(text)' at offset \(headerOffset)") }
                    paxSize = value
                }
            case UInt8(ascii: "L"):
                longName = TarHeader.string(try contentWhole(size, what: "GNU long name"))
            case UInt8(ascii: "K"):
                _ = try contentWhole(size, what: "GNU long link name")
            default:
                if header.extended { try skipSparseExtensions() }
                remaining = size
                padding = Int((512 - size % 512) % 512)
                let type = paxSparse ? UInt8(ascii: "S") : header.type
                let kind: Entry.Kind = switch type {
                case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): .file
                case UInt8(ascii: "5"): .directory
                default: .other(type)
                }
                return Entry(path: paxPath ?? longName ?? header.path, size: size, kind: kind)
            }
        }
        return nil
    }

    /// The next piece of the current member's content (at most `count` bytes), nil when all
    /// of it has been returned.
    public mutating func content(upTo count: Int) throws -> [UInt8]? {
        guard remaining > 0 else { return nil }
        let wanted = Int(min(UInt64(max(1, count)), remaining))
        guard let bytes = try take(wanted, allowEnd: false, partial: true) else { return nil }
        remaining -= UInt64(bytes.count)
        offset += UInt64(bytes.count)
        return bytes
    }

    /// A small member's whole content (pax and GNU headers), with its padding.
    private mutating func contentWhole(_ size: UInt64, what: String) throws -> [UInt8] {
        guard size <= 1 << 20 else { throw FormatError(message: "a \(what) of \(size) bytes at offset \(offset)") }
        guard let bytes = try take(Int(size), allowEnd: false) else { return [] }
        offset += size
        let pad = Int((512 - size % 512) % 512)
        try skip(pad)
        return bytes
    }

    /// Reads the rest of the stream after the end-of-archive block and tells whether it holds
    /// anything but zeros (the padding to the archive's record size). Non-zero bytes there are
    /// members tar does not extract: a zeroed member header read as the end, or archives
    /// concatenated without `tar -A`. False before the end was reached.
    public mutating func dataAfterEnd() throws -> Bool {
        guard endMarkerSeen else { return false }
        var found = buffer[position...].contains { $0 != 0 }
        position = buffer.count
        while !found {
            let more = try read(1 << 16)
            if more.isEmpty { break }
            found = more.contains { $0 != 0 }
        }
        return found
    }

    /// Skips a GNU sparse member's extension blocks (the last has `isextended`, byte 504, zero).
    private mutating func skipSparseExtensions() throws {
        while true {
            guard let block = try take(512, allowEnd: false) else { throw FormatError(message: "the stream ends inside a sparse header at offset \(offset)") }
            offset += 512
            if block[504] == 0 { return }
        }
    }

    private mutating func skip(_ count: Int) throws {
        guard count > 0 else { return }
        _ = try take(count, allowEnd: false)
        offset += UInt64(count)
    }

    /// `count` bytes (or, with `partial`, as many as are buffered, at least one); nil at a
    /// clean end when `allowEnd`.
    private mutating func take(_ count: Int, allowEnd: Bool, partial: Bool = false) throws -> [UInt8]? {
        if position == buffer.count {
            buffer = try read(max(count, 1 << 16))
            position = 0
            if buffer.isEmpty {
                if allowEnd || count == 0 { return nil }
                throw FormatError(message: "the stream ends inside a member at offset \(offset)")
            }
        }
        if partial || buffer.count - position >= count {
            let end = min(buffer.count, position + count)
            defer { position = end }
            return Array(buffer[position..<end])
        }
        var out = Array(buffer[position...])
        position = buffer.count
        while out.count < count {
            let more = try read(count - out.count)
            if more.isEmpty {
                if allowEnd && out.isEmpty { return nil }
                throw FormatError(message: "the stream ends inside a \(allowEnd ? "header" : "member") at offset \(offset)")
            }
            out += more
        }
        return out
    }
}
