import ESEFormat

/// One database's flush types as its pages pass (any order, any thread; one lock per batch),
/// and the flush map a caller handed in for a streamed database. Compared with the map in
/// `finish()` (`FlushMapComparison`). Memory: 3 bits per data page.
final class FlushTypeLedger: Sendable {
    /// A map handed in as bytes: its name and contents.
    struct HandedMap: Sendable {
        var name: String
        var bytes: [UInt8]
    }

    private struct State: Sendable {
        var types: PageFlushTypes
        var handed: HandedMap?
    }

    private let state: Locked<State>

    /// A ledger for `pageCount` data pages.
    init(pageCount: Int) {
        state = Locked(State(types: PageFlushTypes(pageCount: pageCount)))
    }

    /// Records a batch: (page, flush type, database time) of pages that passed their checksum;
    /// an all-zero page comes with flush type −1.
    func record(_ batch: [(page: UInt32, flushType: Int, time: UInt64)]) {
        guard !batch.isEmpty else { return }
        state.withLock { state in
            for item in batch {
                if item.flushType < 0 {
                    state.types.recordZero(item.page...item.page)
                } else {
                    state.types.record(page: item.page, flushType: item.flushType, databaseTime: item.time)
                }
            }
        }
    }

    /// Records all-zero pages.
    func recordZero(_ pages: ClosedRange<UInt32>) { state.withLock { $0.types.recordZero(pages) } }

    /// Keeps the bytes of a flush map handed in by the caller (a streamed database).
    func hand(_ map: HandedMap) { state.withLock { $0.handed = map } }

    /// The map handed in, if any.
    var handed: HandedMap? { state.withLock { $0.handed } }

    /// What was recorded so far.
    var types: PageFlushTypes { state.withLock { $0.types } }

    /// Takes another ledger's contents (a tar stream's per-database session).
    func adopt(_ other: FlushTypeLedger) {
        let (types, handed) = other.state.withLock { ($0.types, $0.handed) }
        state.withLock { $0 = State(types: types, handed: handed) }
    }
}
