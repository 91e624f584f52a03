import Dispatch
import ESECheck
import ESEFormat
import Foundation

/// Timing helpers and the plain-loop baselines the checker is compared with.
enum Measure {
    /// Seconds one run of `body` takes.
    static func seconds(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let elapsed = start.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// A baseline and a candidate timed in alternating rounds (baseline first in even rounds,
    /// candidate first in odd ones), so that both see the same phases of a shared, noisy
    /// machine. `ratio` is the median over rounds of baseline time / candidate time: the
    /// candidate's throughput as a fraction of the baseline's.
    static func paired(rounds: Int, baseline: () -> Void, candidate: () -> Void)
        -> (baseline: Double, candidate: Double, ratio: Double) {
        var baselineTimes: [Double] = [], candidateTimes: [Double] = []
        for round in 0..<rounds {
            if round.isMultiple(of: 2) {
                baselineTimes.append(seconds(baseline))
                candidateTimes.append(seconds(candidate))
            } else {
                candidateTimes.append(seconds(candidate))
                baselineTimes.append(seconds(baseline))
            }
        }
        let ratios = zip(baselineTimes, candidateTimes).map { $0 / $1 }
        return (median(baselineTimes), median(candidateTimes), median(ratios))
    }

    /// Several bodies timed round by round, the order rotating each round so that every body
    /// sees every phase of a shared, noisy machine. Returns each body's time per round.
    static func interleaved(rounds: Int, _ bodies: [() -> Void]) -> [[Double]] {
        var times = Array(repeating: [Double](), count: bodies.count)
        for round in 0..<rounds {
            for step in 0..<bodies.count {
                let index = (round + step) % bodies.count
                times[index].append(seconds(bodies[index]))
            }
        }
        return times
    }

    /// The median over rounds of `baseline[round] / candidate[round]`: the candidate's
    /// throughput as a fraction of the baseline's.
    static func medianRatio(_ baseline: [Double], _ candidate: [Double]) -> Double {
        median(zip(baseline, candidate).map { $0 / $1 })
    }

    /// A plain XOR-reduce of 32-bit words as one writes it: one loop over the words (the
    /// compiler vectorises it).
    @inline(never)
    static func plainXORLoop(_ bytes: RawSpan) -> UInt32 {
        bytes.withUnsafeBytes { buffer -> UInt32 in
            var value: UInt32 = 0
            for word in buffer.bindMemory(to: UInt32.self) { value ^= word }
            return value
        }
    }

    /// A tuned XOR-reduce of 32-bit words (the ceiling's inner loop): the library's
    /// `XORFold`, two 64-byte SIMD accumulators and nothing else.
    @inline(never)
    static func xorReduce(_ bytes: RawSpan) -> UInt32 {
        bytes.withUnsafeBytes { buffer -> UInt32 in
            guard let base = buffer.baseAddress else { return 0 }
            return XORFold.dwords(base, byteCount: buffer.count)
        }
    }

    /// The files cut into pieces of at most `bytes`: (path, offset, length), the work items
    /// both ceilings spread over their threads.
    static func pieces(_ paths: [String], bytes: Int) -> [(String, UInt64, Int)] {
        var items: [(String, UInt64, Int)] = []
        for path in paths {
            guard let size = try? ReadOnlyFile(path: path).size else { continue }
            var offset: UInt64 = 0
            while offset < size {
                items.append((path, offset, Int(min(UInt64(bytes), size - offset))))
                offset += UInt64(bytes)
            }
        }
        return items
    }

    /// The ceiling: every file mapped in 32 MiB windows and XOR-reduced, files and windows
    /// spread over `threads` threads. Returns bytes and a fold of the results (kept so the
    /// work cannot be optimised away).
    static func mappedXORCeiling(_ paths: [String], threads: Int) -> (bytes: Int, fold: UInt32) {
        let items = pieces(paths, bytes: 32 << 20)
        let results = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: items.count)
        results.initialize(repeating: 0)
        defer { results.deallocate() }
        let next = ManagedCounter()
        let shared = SendableBox(items: items, results: results)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let index = next.take()
                guard index < shared.items.count else { break }
                let (path, offset, count) = shared.items[index]
                // A plain C-grade loop: open, mmap the piece, advise sequential, XOR, unmap — not
                // the checker's guarded reader, whose extra work would flatter the ratio.
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { continue }
                defer { close(descriptor) }
                guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, off_t(offset)), address != MAP_FAILED else { continue }
                _ = madvise(address, count, MADV_SEQUENTIAL)
                shared.results[index] = XORFold.dwords(UnsafeRawPointer(address), byteCount: count & ~3)
                munmap(address, count)
            }
        }
        return (items.reduce(0) { $0 + $1.2 }, results.reduce(0, ^))
    }

    /// The other ceiling: every file read with `pread` into a cache-sized buffer per thread
    /// (`bufferBytes`, the checker's pread window) and XOR-reduced with the same loop, 32 MiB
    /// pieces of the files spread over `threads` threads.
    static func preadXORCeiling(_ paths: [String], threads: Int, bufferBytes: Int) -> (bytes: Int, fold: UInt32) {
        let items = pieces(paths, bytes: 32 << 20)
        let results = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: items.count)
        results.initialize(repeating: 0)
        defer { results.deallocate() }
        let next = ManagedCounter()
        let shared = SendableBox(items: items, results: results)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferBytes, alignment: 4096)
            defer { buffer.deallocate() }
            while true {
                let index = next.take()
                guard index < shared.items.count else { break }
                let (path, start, count) = shared.items[index]
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { continue }
                defer { close(descriptor) }
                var value: UInt32 = 0
                var done = 0
                while done < count {
                    let got = pread(descriptor, buffer, min(bufferBytes, count - done), off_t(start) + off_t(done))
                    guard got > 0 else { break }
                    value ^= XORFold.dwords(UnsafeRawPointer(buffer), byteCount: got & ~3)
                    done += got
                }
                shared.results[index] = value
            }
        }
        return (items.reduce(0) { $0 + $1.2 }, results.reduce(0, ^))
    }

    /// Reads every file once so that later measurements run from the page cache.
    static func warm(_ paths: [String]) -> Int {
        var total = 0
        for path in paths {
            guard let file = try? ReadOnlyFile(path: path) else { continue }
            var reader = PositionalFile(file)
            var offset: UInt64 = 0
            while offset < file.size {
                let count = Int(min(UInt64(8 << 20), file.size - offset))
                _ = try? reader.withBytes(at: offset, count: count) { _ in () }
                offset += UInt64(count)
                total += count
            }
        }
        return total
    }
}

final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

struct SendableBox: @unchecked Sendable {
    let items: [(String, UInt64, Int)]
    let results: UnsafeMutableBufferPointer<UInt32>
}

/// Memory figures of this process from /proc.
enum ProcessMemory {
    /// Peak resident set size (VmHWM) in bytes.
    static var peakResident: Int { field("VmHWM") }
    /// Current anonymous resident memory (RssAnon) in bytes: heap and stacks, not mapped file pages.
    static var anonymousResident: Int { field("RssAnon") }

    static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            return (digits.first ?? 0) * 1024
        }
        return 0
    }
}
