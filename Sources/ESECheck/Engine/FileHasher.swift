import ESEFormat

/// Completes a file's whole-file hash (`XXH3Tree`): reads the ranges the check did not hash
/// (all of a file the check does not page through; a database's two header pages, a partial
/// last page, a group dropped because a leaf of it was recorded twice) in pieces of at most
/// one 1 MiB group, and folds them in with the pieces the page pass hashed.
enum FileHasher {
    /// The whole-file hash of the file at `path`, using `pieces` already hashed; nil when the
    /// file cannot be opened or read whole, or no longer has `expectedSize` bytes.
    static func hash(path: String, pieces: FileHashPieces = FileHashPieces(), expectedSize: UInt64? = nil) -> UInt64? {
        guard let file = try? ReadOnlyFile(path: path) else { return nil }
        let size = expectedSize ?? file.size
        guard file.size == size else { return nil }
        let groupBytes = UInt64(XXH3Tree.groupBytes)
        var pieces = pieces
        for gap in pieces.gaps(fileSize: size) {
            var offset = gap.lowerBound
            while offset < gap.upperBound {
                // Up to the next group boundary, so that a group folds as soon as it is whole.
                let count = Int(min((offset / groupBytes + 1) * groupBytes, gap.upperBound) - offset)
                guard let bytes = try? file.readBytes(at: offset, count: count), bytes.count == count else { return nil }
                pieces.record(offset: offset, bytes: bytes.span.bytes, fileSize: size)
                offset += UInt64(count)
            }
        }
        return pieces.whole(fileSize: size)
    }
}
