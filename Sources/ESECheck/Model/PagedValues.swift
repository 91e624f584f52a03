/// One integer per page (or per word of a page bitmap), kept in chunks of 65,536 values. A
/// chunk holds one value for all its entries until an entry is set to another, and only then is
/// allocated: memory follows the pages that arrive (or the holes marked as ranges), not the size
/// a file, a header or an archive declares. A tar member that claims 32 TiB, or a sparse file of
/// 4 TiB, costs 8 bytes per chunk until its pages are really supplied.
struct PagedValues<Value: FixedWidthInteger & Sendable>: Hashable, Sendable {
    static var chunkShift: Int { 16 }
    static var chunkSize: Int { 1 << chunkShift }

    /// How many values (indices 0..<count).
    let count: Int
    /// Per chunk, its values once allocated; empty while the chunk is uniform.
    private var chunks: [[Value]]
    /// Per chunk, the value of every entry while the chunk is unallocated.
    private var uniform: [Value]

    /// `count` values, every one `initial`.
    init(count: Int, initial: Value = 0) {
        self.count = max(0, count)
        let chunkCount = (self.count + Self.chunkSize - 1) >> Self.chunkShift
        chunks = [[Value]](repeating: [], count: chunkCount)
        uniform = [Value](repeating: initial, count: chunkCount)
    }

    /// The valid indices.
    var indices: Range<Int> { 0..<count }

    /// The value at `index` (which must be in `indices`).
    subscript(index: Int) -> Value {
        get {
            let chunk = index >> Self.chunkShift
            return chunks[chunk].isEmpty ? uniform[chunk] : chunks[chunk][index & (Self.chunkSize - 1)]
        }
        set {
            let chunk = index >> Self.chunkShift
            if chunks[chunk].isEmpty {
                if uniform[chunk] == newValue { return }
                allocate(chunk)
            }
            chunks[chunk][index & (Self.chunkSize - 1)] = newValue
        }
    }

    /// Sets every value in `range` (clamped to `indices`) to `value`: whole chunks become
    /// uniform again (and are freed), so marking a huge hole costs per chunk, not per page.
    mutating func fill(_ range: Range<Int>, with value: Value) {
        let range = range.clamped(to: indices)
        var index = range.lowerBound
        while index < range.upperBound {
            let chunk = index >> Self.chunkShift
            let chunkStart = chunk << Self.chunkShift
            let chunkEnd = min(chunkStart + Self.chunkSize, count)
            let end = min(chunkEnd, range.upperBound)
            if index == chunkStart, end == chunkEnd {
                chunks[chunk] = []
                uniform[chunk] = value
            } else if !chunks[chunk].isEmpty || uniform[chunk] != value {
                if chunks[chunk].isEmpty { allocate(chunk) }
                for position in index..<end { chunks[chunk][position - chunkStart] = value }
            }
            index = end
        }
    }

    /// The values in `range` (within `indices`), in order.
    func values(in range: Range<Int>) -> [Value] {
        range.clamped(to: indices).map { self[$0] }
    }

    /// Bytes held in allocated chunks.
    var allocatedBytes: Int {
        chunks.reduce(0) { $0 + $1.count * MemoryLayout<Value>.stride }
    }

    /// Sets every value of `other` that is not `skipping` here (at the same index, where this
    /// has one): per chunk when `other` holds it uniform, so an unallocated chunk costs nothing.
    mutating func overlay(_ other: Self, skipping: Value) {
        for chunk in other.chunks.indices {
            let start = chunk << Self.chunkShift
            if other.chunks[chunk].isEmpty {
                if other.uniform[chunk] != skipping { fill(start..<min(start + Self.chunkSize, other.count), with: other.uniform[chunk]) }
                continue
            }
            for (offset, value) in other.chunks[chunk].enumerated() where value != skipping && start + offset < count {
                self[start + offset] = value
            }
        }
    }

    private mutating func allocate(_ chunk: Int) {
        let size = min(Self.chunkSize, count - (chunk << Self.chunkShift))
        chunks[chunk] = [Value](repeating: uniform[chunk], count: size)
    }

    /// Equal when every value is equal, however the chunks are held.
    static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for chunk in lhs.chunks.indices {
            switch (lhs.chunks[chunk].isEmpty, rhs.chunks[chunk].isEmpty) {
            case (true, true):
                if lhs.uniform[chunk] != rhs.uniform[chunk] { return false }
            case (false, false):
                if lhs.chunks[chunk] != rhs.chunks[chunk] { return false }
            case (true, false):
                if rhs.chunks[chunk].contains(where: { $0 != lhs.uniform[chunk] }) { return false }
            case (false, true):
                if lhs.chunks[chunk].contains(where: { $0 != rhs.uniform[chunk] }) { return false }
            }
        }
        return true
    }

    /// Hashes the count only (values held in different chunk forms must hash alike).
    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
    }
}
