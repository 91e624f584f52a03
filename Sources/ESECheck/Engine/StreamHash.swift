import ESEFormat

/// The whole-file hash of bytes that arrive once, in order (a tar member as it streams
/// past): each piece is hashed as it passes and recorded at its offset in `FileHashPieces`,
/// which combines them into the manifest's whole-file hash (docs/manifest.md) — the value
/// `FileHasher` gives for the same bytes on disk.
struct StreamHash: Sendable {
    private var pieces = FileHashPieces()
    /// Bytes hashed so far.
    private(set) var length: UInt64 = 0

    /// Hashes the next bytes of the stream.
    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        pieces.record(offset: length, length: UInt64(bytes.count), crc: CRC32C.checksum(bytes.span.bytes))
        length += UInt64(bytes.count)
    }

    /// The hash of every byte appended, when they are `expectedSize` bytes; nil otherwise (a
    /// member cut short is never given a hash).
    func value(expectedSize: UInt64) -> UInt32? {
        length == expectedSize ? pieces.whole(fileSize: length) : nil
    }
}
