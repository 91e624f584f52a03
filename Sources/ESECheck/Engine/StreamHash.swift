import ESEFormat

/// The whole-file hash of bytes that arrive once, in order (a tar member as it streams
/// past): the manifest's XXH3-64 tree (docs/manifest.md) formed as the pieces pass, in pieces
/// of any size — the value `FileHasher` gives for the same bytes on disk.
struct StreamHash: Sendable {
    private var tree = XXH3TreeStream()

    /// Bytes hashed so far.
    var length: UInt64 { tree.byteCount }

    /// Hashes the next bytes of the stream.
    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        tree.update(bytes.span.bytes)
    }

    /// The hash of every byte appended, when they are `expectedSize` bytes; nil otherwise (a
    /// member cut short is never given a hash).
    func value(expectedSize: UInt64) -> UInt64? {
        length == expectedSize ? tree.finalize() : nil
    }
}
