import Dispatch
import Synchronization

/// Runs independent work items on a fixed number of threads. Each thread owns a state
/// value (a reader with its buffer) for its whole life and pulls items from a shared
/// counter, so work spreads evenly without per-item allocation of readers.
enum ParallelWork {
    /// Calls `body` once per item, on up to `width` threads, and returns the results in item order.
    static func map<Item: Sendable, State: ~Copyable, Result: Sendable>(
        _ items: [Item], width: Int,
        makeState: @Sendable () -> State,
        _ body: @Sendable (Item, inout State) -> Result
    ) -> [Result] {
        guard !items.isEmpty else { return [] }
        let results = ResultSlots<Result>(count: items.count)
        let next = Counter()
        let threads = max(1, min(width, items.count))
        @Sendable func work() {
            var state = makeState()
            while true {
                let index = next.takeNext()
                guard index < items.count else { break }
                results.store(body(items[index], &state), at: index)
            }
        }
        if threads == 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in work() }
        }
        return results.collect()
    }

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func takeNext() -> Int { value.add(1, ordering: .relaxed).oldValue }
    }

    final class ResultSlots<Result: Sendable>: Sendable {
        private let slots: Locked<[Result?]>
        init(count: Int) { slots = Locked([Result?](repeating: nil, count: count)) }
        func store(_ result: Result, at index: Int) { slots.withLock { $0[index] = result } }
        func collect() -> [Result] { slots.withLock { $0.map { $0! } } }
    }
}
