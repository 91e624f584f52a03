import ESEFormat

/// The bulk of generated logs: transactions of small page records (Begin0, Insert, Replace,
/// Commit0), deterministic for a seed, each at most `maximumRecordSize` bytes. A v8 segment
/// body of such records is precomputed once (`segmentBody`), so that large logs are written
/// by copying it and sealing each segment's header.
public struct LogRecordFiller: Sendable {
    /// The largest bulk record.
    static let maximumRecordSize = 100
    /// The first page of the bulk records: far past the end of any generated database, so that
    /// redo's database-time check (which skips pages past the end of the file) never compares
    /// them with the generated pages, whose times they do not follow. Faults that need a record
    /// on a real page (`lostFlush`) rewrite one; `StorageGroupSpec.realPageReferences` rewrites
    /// all of the replay span's onto real pages (`PageReferenceTimeline`).
    public static let bulkPage: UInt32 = 0x4000_0000
    /// Bytes of records in a v8 segment (4096 − the 40-byte `LGSEGHDR`).
    static let segmentBodySize = SegmentScanner.segmentSize - 40

    private var random: DeterministicRandom
    private var step = 0
    private var transactionID: UInt32 = 1
    /// One v8 segment body filled exactly with bulk records.
    public private(set) var segmentBody: [UInt8] = []

    /// Creates the filler for `seed`.
    public init(seed: UInt64) {
        random = DeterministicRandom(seed: seed ^ 0xF111)
        var pattern = self
        segmentBody = pattern.fill(Self.segmentBodySize)
    }

    /// The next bulk record (≤ `maximumRecordSize` bytes).
    public mutating func next() -> [UInt8] {
        defer { step = (step + 1) % 4 }
        switch step {
        case 0:
            return LogRecordBuilder.transaction(begin: true, procedure: 1, transaction: transactionID)
        case 1, 2:
            let payload = (0..<(4 + random.next(below: Self.maximumRecordSize - 54))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return LogRecordBuilder.node(replace: step == 2, databaseID: 1, page: Self.bulkPage + UInt32(random.next(below: 1000)),
                                         databaseTime: 0x1000 + UInt64(transactionID), payload: payload)
        default:
            defer { transactionID &+= 1 }
            return LogRecordBuilder.transaction(begin: false, procedure: 1, transaction: transactionID)
        }
    }

    /// `count` bytes of whole records: bulk records while they fit, then one Insert of the
    /// remaining size (≥ 50 bytes) or, below that, one-byte NOPs (none when `padding` is
    /// false: the result is then shorter by fewer than 50 bytes).
    public mutating func fill(_ count: Int, padding: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while count - bytes.count >= 150 { bytes += next() }
        let rest = count - bytes.count
        if rest >= 50 {
            bytes += LogRecordBuilder.node(replace: false, databaseID: 1, page: Self.bulkPage, databaseTime: 0x1000,
                                           payload: [UInt8](repeating: 0x5A, count: rest - 50))
        } else if padding {
            bytes += [UInt8](repeating: 0, count: rest)
        }
        return bytes
    }
}
