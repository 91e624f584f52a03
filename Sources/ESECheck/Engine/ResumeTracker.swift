import ESEFormat
import Synchronization

/// `--state FILE` while pages are read: which windows were read whole and clean, a save of the
/// state file every `saveInterval` seconds at most (and at the end), and, when the run resumes
/// a saved state, the pages taken from it (docs/resume-state.md).
///
/// A save must see every slot as of whole windows: a window half absorbed would be neither
/// read again nor complete. So a save pauses the readers between windows (`enter`/`leave`, one
/// atomic add each), copies what it keeps — counts and ranges, the structure state (copy on
/// write) — and lets them go before it encodes and writes the file.
final class ResumeTracker: Sendable {
    /// The least time between two saves; a save that took long stretches it to 20 times its
    /// duration, so saving costs at most 5 % of the run.
    static let saveInterval: Duration = .seconds(5)

    /// What the windows of one database read whole and clean (every page good or all zero).
    struct Tally: Sendable {
        /// Physical page ranges, merged when a save normalizes them.
        var done: [Range<Int>] = []
        var ok: UInt64 = 0
        var uninitialized: UInt64 = 0
        var bytes: UInt64 = 0
    }

    private struct Schedule: Sendable {
        var next: ContinuousClock.Instant
        var lastDuration: Duration = .zero
        var failure: String?
    }

    /// The state file.
    let path: String
    /// The options that change results (`optionsKey`).
    let optionsKey: String
    /// The session's slots, in database order.
    let slots: [DatabaseSlot]
    /// Per slot, the pages taken from the state (pgno, sorted, disjoint): not read by this run.
    let restored: [[ClosedRange<UInt32>]]
    /// The gate the test hook stops, and after how many windows.
    let interruption: (gate: FailFastGate, windows: Int)?
    let tallies: [Locked<Tally>]
    private let schedule: Locked<Schedule>
    private let active = Atomic<Int>(0)
    private let pausing = Atomic<Bool>(false)
    private let saving = Atomic<Bool>(false)
    private let windows = Atomic<Int>(0)

    init(path: String, optionsKey: String, slots: [DatabaseSlot], restored: [[ClosedRange<UInt32>]], tallies: [Tally],
         interruption: (gate: FailFastGate, windows: Int)?) {
        self.path = path
        self.optionsKey = optionsKey
        self.slots = slots
        self.restored = restored
        self.tallies = tallies.map { Locked($0) }
        self.interruption = interruption
        schedule = Locked(Schedule(next: .now + Self.saveInterval))
    }

    // MARK: Windows

    /// Starts a window of reading: waits while a save copies the progress.
    func enter() {
        while true {
            while pausing.load(ordering: .sequentiallyConsistent) { SystemCalls.sleep(seconds: 0.0005) }
            active.add(1, ordering: .sequentiallyConsistent)
            if !pausing.load(ordering: .sequentiallyConsistent) { return }
            active.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    /// Ends a window; saves when a save is due.
    func leave() {
        active.subtract(1, ordering: .sequentiallyConsistent)
        let count = windows.add(1, ordering: .relaxed).newValue
        if let interruption, count >= interruption.windows { interruption.gate.interrupt() }
        if schedule.withLock({ $0.next <= .now }) { save() }
    }

    /// Records physical pages `physical` of `slot` as read whole and clean: `ok` good pages,
    /// `uninitialized` all-zero pages, `bytes` read. The root and its OwnExt page (pgno 1 and
    /// 2: the owned-space evidence) are always read again, so windows holding them are not kept.
    func noteClean(_ slot: DatabaseSlot, physical: Range<Int>, ok: Int, uninitialized: Int, bytes: Int) {
        guard physical.lowerBound > Int(DatabaseSlot.spacePageNumbers.upperBound) + 1, ok + uninitialized == physical.count else { return }
        tallies[slot.index].withLock { tally in
            if let last = tally.done.last, last.upperBound == physical.lowerBound {
                tally.done[tally.done.count - 1] = last.lowerBound..<physical.upperBound
            } else {
                tally.done.append(physical)
            }
            tally.ok += UInt64(ok)
            tally.uninitialized += UInt64(uninitialized)
            tally.bytes += UInt64(bytes)
        }
    }

    // MARK: Saving

    /// Saves the state now (one saver at a time; a save already running makes this a no-op).
    func save() {
        guard saving.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
        defer { saving.store(false, ordering: .sequentiallyConsistent) }
        let start = ContinuousClock.now
        pausing.store(true, ordering: .sequentiallyConsistent)
        while active.load(ordering: .sequentiallyConsistent) > 0 { SystemCalls.sleep(seconds: 0.0002) }
        let copies = slots.map { slot in snapshot(slot) }
        pausing.store(false, ordering: .sequentiallyConsistent)
        let state = ResumeState(optionsKey: optionsKey, files: copies.map { $0.fileProgress() })
        var failure: String?
        do throws(SystemError) {
            try SystemCalls.replaceFile(path, with: state.encoded())
        } catch {
            failure = "the state file \(path) could not be written: \(error)"
        }
        let took = start.duration(to: .now)
        schedule.withLock { schedule in
            schedule.lastDuration = took
            schedule.next = .now + max(Self.saveInterval, took * 20)
            if let failure { schedule.failure = failure }
        }
    }

    /// Why the state file could not be written, when a save failed.
    var saveFailure: String? { schedule.withLock { $0.failure } }

    /// What one slot's save keeps, copied while the readers are paused.
    struct SlotCopy {
        let slot: DatabaseSlot
        let tally: Tally
        let structure: StructureState?
        let highestTime: HighestDatabaseTime?
        let highestLinkedPage: UInt32
    }

    private func snapshot(_ slot: DatabaseSlot) -> SlotCopy {
        let tally = tallies[slot.index].withLock { tally in
            tally.done = Self.merged(tally.done)
            return tally
        }
        return slot.progress.withLock { state in
            SlotCopy(slot: slot, tally: tally, structure: state.structure, highestTime: state.report.tally.highestDatabaseTime,
                     highestLinkedPage: state.report.highestLinkedPage)
        }
    }

    /// Ranges sorted and merged where they touch or overlap.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
