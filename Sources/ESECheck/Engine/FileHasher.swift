import ESEFormat

/// Completes a file's whole-file CRC-32C: reads the ranges the check did not read (all of a
/// file the check does not page through; a database's two header pages and partial last
/// page) in 1 MiB pieces and combines them with the pieces the page pass hashed.
enum FileHasher {
    /// Bytes read at a time.
    static let pieceBytes = 1 << 20

    /// The CRC-32C of the file at `path`, using `pieces` already hashed; nil when the file
    /// cannot be opened or read whole, or no longer has `expectedSize` bytes.
    static func crc32c(path: String, pieces: FileHashPieces = FileHashPieces(), expectedSize: UInt64? = nil) -> UInt32? {
        guard let file = try? ReadOnlyFile(path: path) else { return nil }
        let size = expectedSize ?? file.size
        guard file.size == size else { return nil }
        var pieces = pieces
        for gap in pieces.gaps(fileSize: size) {
            var offset = gap.lowerBound
            while offset < gap.upperBound {
                let count = Int(min(UInt64(pieceBytes), gap.upperBound - offset))
                guard let bytes = try? file.readBytes(at: offset, count: count), bytes.count == count else { return nil }
                pieces.record(offset: offset, length: UInt64(count), crc: CRC32C.checksum(bytes.span.bytes))
                offset += UInt64(count)
            }
        }
        return pieces.whole(fileSize: size)
    }
}
