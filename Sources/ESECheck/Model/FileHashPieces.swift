import ESEFormat

/// The CRC-32C of the pieces of one file as the check read them — out of order, on several
/// threads — combined in file order into the CRC-32C of the whole file (`CRC32C.combine`),
/// the value any CRC-32C tool computes over the file (docs/manifest.md).
///
/// Pieces are recorded by offset; a piece recorded again at the same offset replaces the
/// earlier one (a resubmitted batch). Ranges no piece covers (the two header pages and a
/// partial last page, which the page pass does not read) are listed by `gaps` so that the
/// caller reads them; pieces that overlap without being the same range give no whole-file
/// hash (nothing is guessed).
public struct FileHashPieces: Hashable, Sendable {
    /// One piece: its length and CRC-32C.
    struct Piece: Hashable, Sendable {
        var length: UInt64
        var crc: UInt32
    }

    private var pieces: [UInt64: Piece] = [:]

    /// No pieces yet.
    public init() {}

    /// The number of pieces recorded.
    public var count: Int { pieces.count }

    /// Records the CRC-32C of `length` bytes at `offset`.
    public mutating func record(offset: UInt64, length: UInt64, crc: UInt32) {
        guard length > 0 else { return }
        pieces[offset] = Piece(length: length, crc: crc)
    }

    /// Records `length` zero bytes at `offset` (a hole of a sparse file), without bytes.
    public mutating func recordZeros(offset: UInt64, length: UInt64) {
        record(offset: offset, length: length, crc: CRC32C.zeros(length))
    }

    /// The ranges of `0..<fileSize` that no piece covers, in order.
    public func gaps(fileSize: UInt64) -> [Range<UInt64>] {
        var list: [Range<UInt64>] = [], position: UInt64 = 0
        for (offset, piece) in pieces.sorted(by: { $0.key < $1.key }) {
            if offset > position { list.append(position..<min(offset, fileSize)) }
            position = max(position, offset + piece.length)
            if position >= fileSize { break }
        }
        if position < fileSize { list.append(position..<fileSize) }
        return list.filter { !$0.isEmpty }
    }

    /// The CRC-32C of `0..<fileSize`, or nil when a range is missing, pieces overlap, or a
    /// piece runs past `fileSize`.
    public func whole(fileSize: UInt64) -> UInt32? {
        var crc: UInt32 = 0, position: UInt64 = 0
        for (offset, piece) in pieces.sorted(by: { $0.key < $1.key }) {
            guard offset == position else { return nil }
            crc = CRC32C.combine(crc, piece.crc, secondLength: piece.length)
            position += piece.length
        }
        return position == fileSize ? crc : nil
    }
}
