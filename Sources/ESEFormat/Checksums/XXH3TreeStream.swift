/// The whole-file hash (`XXH3Tree`) of bytes that arrive in order, in pieces of any size (a
/// tar member as it streams past, a pipe): a partial leaf is buffered until its 4096 bytes are
/// there, leaves fold into their group's hash as each group fills. Memory: one leaf, one
/// group's leaf hashes, and 8 bytes per MiB.
public struct XXH3TreeStream: Sendable {
    private var pending: [UInt8] = []
    private var leaves: [UInt64] = []
    private var groups: [UInt64] = []
    /// Bytes taken so far.
    public private(set) var byteCount: UInt64 = 0

    /// Nothing hashed yet.
    public init() {
        pending.reserveCapacity(XXH3Tree.leafBytes)
        leaves.reserveCapacity(XXH3Tree.groupLeaves)
    }

    /// Takes the next bytes of the file.
    public mutating func update(_ bytes: RawSpan) {
        byteCount += UInt64(bytes.byteCount)
        var offset = 0
        if !pending.isEmpty {
            let take = min(XXH3Tree.leafBytes - pending.count, bytes.byteCount)
            bytes.extracting(0..<take).withUnsafeBytes { pending.append(contentsOf: $0) }
            offset = take
            guard pending.count == XXH3Tree.leafBytes else { return }
            add(leaf: XXH3.hash(pending.span.bytes))
            pending.removeAll(keepingCapacity: true)
        }
        let limit = bytes.byteCount - (bytes.byteCount - offset) % XXH3Tree.leafBytes   // the end of the whole leaves
        while offset < limit {
            // At most up to the end of the current group, so that it folds at once.
            let end = min(offset + (XXH3Tree.groupLeaves - leaves.count) * XXH3Tree.leafBytes, limit)
            XXH3Tree.appendLeafHashes(bytes.extracting(offset..<end), to: &leaves)
            offset = end
            foldIfFull()
        }
        if offset < bytes.byteCount { bytes.extracting(offset...).withUnsafeBytes { pending.append(contentsOf: $0) } }
    }

    /// The whole-file hash of every byte taken (the stream is left as it is).
    public func finalize() -> UInt64 {
        var copy = self
        if !copy.pending.isEmpty { copy.add(leaf: XXH3.hash(copy.pending.span.bytes)) }
        if !copy.leaves.isEmpty { copy.groups.append(XXH3Tree.groupHash(copy.leaves)) }
        return XXH3Tree.fileHash(groups: copy.groups, fileSize: byteCount)
    }

    private mutating func add(leaf: UInt64) {
        leaves.append(leaf)
        foldIfFull()
    }

    private mutating func foldIfFull() {
        guard leaves.count == XXH3Tree.groupLeaves else { return }
        groups.append(XXH3Tree.groupHash(leaves))
        leaves.removeAll(keepingCapacity: true)
    }
}
