/// The whole-file hash of a backup manifest (docs/manifest.md, format 2): a two-level tree of
/// XXH3-64 hashes, so that pieces of a file hashed out of order on several threads give the
/// one value any XXH3 library recomputes.
///
/// - a **leaf** is 4096 bytes of the file (the last one may be shorter); its hash is the
///   XXH3-64 of its bytes;
/// - a **group** is 256 consecutive leaves (1 MiB; the last group may hold fewer); its hash is
///   the XXH3-64 of its leaves' hashes, each written as 8 bytes big-endian (xxHash's canonical
///   form, what `XXH64_canonicalFromHash` and Python's `xxh3_64_digest` give);
/// - the **file hash** is the XXH3-64 of the group hashes, 8 bytes big-endian each, followed by
///   the file size in bytes as 8 bytes big-endian. An empty file has no group: its hash is the
///   XXH3-64 of 8 zero bytes.
///
/// Leaves are small enough that a run of pages at any page-aligned offset (pages are 4 KiB or
/// more) holds whole leaves, and a group is large enough that a file's hash keeps 8 bytes per
/// MiB while its pieces arrive.
public enum XXH3Tree {
    /// Bytes in a leaf.
    public static let leafBytes = 4096
    /// Leaves in a group.
    public static let groupLeaves = 256
    /// Bytes in a group (1 MiB).
    public static let groupBytes = leafBytes * groupLeaves

    /// The hash of each leaf of `bytes`, which start on a leaf boundary: every whole leaf, and
    /// a last shorter one when `includingShortLast` is true.
    public static func leafHashes(_ bytes: RawSpan, includingShortLast: Bool) -> [UInt64] {
        bytes.withUnsafeBytes { buffer in
            let whole = buffer.count / leafBytes
            let short = includingShortLast && buffer.count % leafBytes != 0
            var hashes = [UInt64]()
            hashes.reserveCapacity(whole + 1)
            XXH3.appendHashes(buffer, every: leafBytes, to: &hashes)
            if short { hashes.append(XXH3.hash(UnsafeRawBufferPointer(rebasing: buffer[(whole * leafBytes)...]))) }
            return hashes
        }
    }

    /// Appends the hash of each whole leaf of `bytes` (which start on a leaf boundary) to
    /// `hashes`: the page pass calls it on each page while the page is still in cache.
    public static func appendLeafHashes(_ bytes: RawSpan, to hashes: inout [UInt64]) {
        bytes.withUnsafeBytes { buffer in XXH3.appendHashes(buffer, every: leafBytes, to: &hashes) }
    }

    /// The hash of a group from its leaves' hashes in order (at most `groupLeaves`).
    public static func groupHash(_ leaves: some Collection<UInt64>) -> UInt64 { canonicalHash(leaves, trailer: nil) }

    /// The file hash from its groups' hashes in order and its size.
    public static func fileHash(groups: some Collection<UInt64>, fileSize: UInt64) -> UInt64 {
        canonicalHash(groups, trailer: fileSize)
    }

    /// The file hash of `bytes` held whole (files read in one piece, and tests).
    public static func hash(_ bytes: RawSpan) -> UInt64 {
        var groups: [UInt64] = []
        var offset = 0
        while offset < bytes.byteCount {
            let end = min(offset + groupBytes, bytes.byteCount)
            groups.append(groupHash(leafHashes(bytes.extracting(offset..<end), includingShortLast: true)))
            offset = end
        }
        return fileHash(groups: groups, fileSize: UInt64(bytes.byteCount))
    }

    /// The hash of a leaf of zeros (a hole of a sparse file, read without its bytes).
    public static let zeroLeaf: UInt64 = XXH3.hash([UInt8](repeating: 0, count: leafBytes).span.bytes)
    /// The hash of a whole group of zeros.
    public static let zeroGroup: UInt64 = groupHash(repeatElement(zeroLeaf, count: groupLeaves))

    /// The XXH3-64 of `values` as 8-byte big-endian words, then `trailer` likewise when given.
    static func canonicalHash(_ values: some Collection<UInt64>, trailer: UInt64?) -> UInt64 {
        var words = [UInt64]()
        words.reserveCapacity(values.count + 1)
        for value in values { words.append(value.bigEndian) }
        if let trailer { words.append(trailer.bigEndian) }
        return words.withUnsafeBytes { XXH3.hash($0) }
    }
}
