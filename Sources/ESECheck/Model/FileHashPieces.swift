import ESEFormat

/// The pieces of one file's whole-file hash (`XXH3Tree`, docs/manifest.md) as the check read
/// them — out of order, on several threads: the hash of every 4 KiB leaf recorded so far,
/// folded into its group's hash as soon as the group's 256 leaves are there (8 bytes per MiB
/// are kept, not 8 per leaf).
///
/// A run of bytes is hashed outside any lock (`Run`) and recorded under it. A leaf recorded
/// again replaces the earlier one while its group is open; in a group already folded it
/// drops the group, whose bytes are then read again by `FileHasher` (`gaps`) — a resubmitted
/// batch never leaves a stale leaf in the hash. Leaves no run covers (the two header pages, a
/// partial last page, bytes at the edges of a run off the 4 KiB grid) are listed by `gaps` so
/// that the caller reads them; a leaf recorded past the end of the file, or a short leaf that
/// is not the file's last, gives no whole-file hash (nothing is guessed).
public struct FileHashPieces: Hashable, Sendable {
    /// The leaf hashes of a run of bytes, computed outside any lock: every leaf that lies
    /// wholly inside the run, and the file's short last leaf when the run ends the file.
    public struct Run: Hashable, Sendable {
        /// The index of the first leaf hashed (offset / 4096).
        public var firstLeaf: UInt64
        /// The leaves' hashes, in order.
        public var hashes: [UInt64]
        /// The length of the last leaf when it is the file's short last leaf, else nil.
        public var shortLastLength: Int?

        /// Leaves already hashed, none of them short, from leaf `firstLeaf` on.
        public init(firstLeaf: UInt64, hashes: [UInt64]) {
            self.firstLeaf = firstLeaf
            self.hashes = hashes
        }

        /// Hashes the leaves of `bytes`, read at `offset` of a file of `fileSize` bytes (nil
        /// when unknown: then no short leaf is hashed).
        public init(offset: UInt64, bytes: RawSpan, fileSize: UInt64?) {
            let leafBytes = UInt64(XXH3Tree.leafBytes)
            let skip = Int((leafBytes - offset % leafBytes) % leafBytes)
            let end = offset + UInt64(bytes.byteCount)
            firstLeaf = (offset + leafBytes - 1) / leafBytes
            guard skip < bytes.byteCount else {
                hashes = []
                return
            }
            let endsFile = fileSize == end && end % leafBytes != 0
            hashes = XXH3Tree.leafHashes(bytes.extracting(skip...), includingShortLast: endsFile)
            shortLastLength = endsFile ? Int(end % leafBytes) : nil
        }
    }

    /// The leaves of a group not yet whole.
    struct OpenGroup: Hashable, Sendable {
        var leaves = [UInt64](repeating: 0, count: XXH3Tree.groupLeaves)
        var present = [Bool](repeating: false, count: XXH3Tree.groupLeaves)
        var count = 0

        /// Sets the leaves from `slot` on; returns the leaves present.
        mutating func set(_ slot: Int, _ hashes: ArraySlice<UInt64>) -> Int {
            for (offset, hash) in zip(slot..., hashes) {
                if !present[offset] { count += 1 }
                present[offset] = true
                leaves[offset] = hash
            }
            return count
        }
    }

    private var groups: [UInt64: UInt64] = [:]
    private var open: [UInt64: OpenGroup] = [:]
    /// Leaves recorded shorter than 4 KiB, by index: only the file's last may be.
    private var shortLeaves: [UInt64: Int] = [:]

    /// No pieces yet.
    public init() {}

    /// The number of groups folded and groups still open.
    public var count: Int { groups.count + open.count }

    /// Records a run's leaves, one group at a time: a group the run covers whole is folded at
    /// once, the others gather leaves until they are.
    public mutating func record(_ run: Run) {
        let groupLeaves = UInt64(XXH3Tree.groupLeaves)
        forgetShortLeaves(run.firstLeaf..<(run.firstLeaf + UInt64(run.hashes.count)))
        if let length = run.shortLastLength, !run.hashes.isEmpty { shortLeaves[run.firstLeaf + UInt64(run.hashes.count - 1)] = length }
        var index = 0
        while index < run.hashes.count {
            let leaf = run.firstLeaf + UInt64(index)
            let group = leaf / groupLeaves, slot = Int(leaf % groupLeaves)
            let take = min(run.hashes.count - index, XXH3Tree.groupLeaves - slot)
            record(group: group, slot: slot, run.hashes[index..<(index + take)])
            index += take
        }
    }

    /// Records the hash of the bytes of `length` at `offset` (a convenience over `Run`).
    public mutating func record(offset: UInt64, bytes: RawSpan, fileSize: UInt64?) {
        record(Run(offset: offset, bytes: bytes, fileSize: fileSize))
    }

    /// Records `length` zero bytes at `offset` (a hole of a sparse file), without bytes: the
    /// leaves wholly inside, whole groups at once.
    public mutating func recordZeros(offset: UInt64, length: UInt64) {
        let leafBytes = UInt64(XXH3Tree.leafBytes), groupLeaves = UInt64(XXH3Tree.groupLeaves)
        var leaf = (offset + leafBytes - 1) / leafBytes
        let end = (offset + length) / leafBytes
        while leaf < end {
            if leaf % groupLeaves == 0, leaf + groupLeaves <= end, open[leaf / groupLeaves] == nil, groups[leaf / groupLeaves] == nil {
                groups[leaf / groupLeaves] = XXH3Tree.zeroGroup
                forgetShortLeaves(leaf..<(leaf + groupLeaves))
                leaf += groupLeaves
            } else {
                forgetShortLeaves(leaf..<(leaf + 1))
                record(group: leaf / groupLeaves, slot: Int(leaf % groupLeaves), [XXH3Tree.zeroLeaf])
                leaf += 1
            }
        }
    }

    /// Leaves recorded again as whole leaves are no longer short.
    private mutating func forgetShortLeaves(_ leaves: Range<UInt64>) {
        guard !shortLeaves.isEmpty else { return }
        shortLeaves = shortLeaves.filter { !leaves.contains($0.key) }
    }

    /// Records leaves of one group from `slot` on; a group that has its 256 leaves is folded.
    private mutating func record(group: UInt64, slot: Int, _ leaves: ArraySlice<UInt64>) {
        if groups.removeValue(forKey: group) != nil { return }   // recorded again: the group is read again
        if leaves.count == XXH3Tree.groupLeaves, open[group] == nil {
            groups[group] = XXH3Tree.groupHash(leaves)
            return
        }
        // Mutated in place in the dictionary (no copy of the group's leaves).
        guard open[group, default: OpenGroup()].set(slot, leaves) == XXH3Tree.groupLeaves,
              let whole = open.removeValue(forKey: group) else { return }
        groups[group] = XXH3Tree.groupHash(whole.leaves)
    }

    /// The byte ranges of `0..<fileSize` whose leaves are missing, in order and merged.
    public func gaps(fileSize: UInt64) -> [Range<UInt64>] {
        let leafBytes = UInt64(XXH3Tree.leafBytes), groupBytes = UInt64(XXH3Tree.groupBytes)
        var list: [Range<UInt64>] = []
        func add(_ range: Range<UInt64>) {
            guard range.lowerBound < fileSize else { return }
            let clipped = range.lowerBound..<min(range.upperBound, fileSize)
            if let last = list.last, last.upperBound == clipped.lowerBound {
                list[list.count - 1] = last.lowerBound..<clipped.upperBound
            } else {
                list.append(clipped)
            }
        }
        let groupCount = (fileSize + groupBytes - 1) / groupBytes
        for group in 0..<groupCount where groups[group] == nil {
            let start = group * groupBytes
            guard let pending = open[group] else {
                add(start..<start + groupBytes)
                continue
            }
            for slot in 0..<XXH3Tree.groupLeaves where !pending.present[slot] {
                add(start + UInt64(slot) * leafBytes..<start + UInt64(slot + 1) * leafBytes)
            }
        }
        return list
    }

    /// The whole-file hash of `0..<fileSize`, or nil when a leaf is missing, a leaf was recorded
    /// past the end, or a short leaf is not the file's last one of the right length.
    public func whole(fileSize: UInt64) -> UInt64? {
        let leafBytes = UInt64(XXH3Tree.leafBytes), groupLeaves = UInt64(XXH3Tree.groupLeaves)
        let leafCount = (fileSize + leafBytes - 1) / leafBytes
        let groupCount = (leafCount + groupLeaves - 1) / groupLeaves
        let tail = Int(fileSize % leafBytes)
        let expectedShort: [UInt64: Int] = tail == 0 ? [:] : [leafCount - 1: tail]
        guard shortLeaves == expectedShort, groups.keys.allSatisfy({ $0 < groupCount }),
              open.keys.allSatisfy({ $0 < groupCount }) else { return nil }
        var hashes: [UInt64] = []
        hashes.reserveCapacity(Int(groupCount))
        for group in 0..<groupCount {
            if let hash = groups[group] {
                hashes.append(hash)
                continue
            }
            let needed = Int(min(groupLeaves, leafCount - group * groupLeaves))
            guard let pending = open[group], pending.count == needed, pending.present[0..<needed].allSatisfy({ $0 }) else { return nil }
            hashes.append(XXH3Tree.groupHash(pending.leaves[0..<needed]))
        }
        return XXH3Tree.fileHash(groups: hashes, fileSize: fileSize)
    }
}
