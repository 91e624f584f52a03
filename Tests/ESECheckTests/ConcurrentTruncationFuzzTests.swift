@_spi(Testing) import ESECheck
import ESETestSupport
import Foundation
import Testing

/// Issue 13, points 2–3 and 11: the fuzz of files that change while they are read. Seeded
/// runs pick a read method, threads, window and chunk sizes, the offset at which another
/// "process" acts, and what it does — cut the file (on a page boundary or not, to nothing),
/// or cut it and extend it back to its size with zeros. Whatever the timing, a check whose
/// file was changed under it never certifies the copy, and nothing crashes.
@Suite struct ConcurrentTruncationFuzzTests {
    let directory = TemporaryDirectory()

    enum Action: CaseIterable { case cut, cutAndRegrow }

    /// Changes `path` through a descriptor of its own, as another process would.
    static func change(_ path: String, _ action: Action, to size: Int, original: Int) {
        let descriptor = open(path, O_WRONLY)
        precondition(descriptor >= 0, "cannot open \(path) for writing")
        precondition(ftruncate(descriptor, off_t(size)) == 0, "ftruncate failed")
        if action == .cutAndRegrow { precondition(ftruncate(descriptor, off_t(original)) == 0, "ftruncate failed") }
        close(descriptor)
    }

    @Test func aFileChangedWhileReadIsNeverCertified() throws {
        var changed = 0
        for seed in 0..<32 where try run(seed: seed) { changed += 1 }
        #expect(changed >= 16, "most runs change the file while it is read: \(changed) of 32")
    }

    /// One seeded run; true when the file was changed during it.
    func run(seed: Int) throws -> Bool {
        var random = SeededRandom(seed: UInt64(seed) &+ 0x7155)
        let pageSize = [4096, 8192, 32768][random.next(below: 3)]
        let pages = 40 + random.next(below: 60)
        let path = try SampleDatabase.write(to: directory.file("fuzz-\(seed).edb"), pageSize: pageSize, pages: pages,
                                            seed: UInt64(seed), usedFraction: random.next(below: 2) == 0 ? 1 : 0.7)
        let size = (pages + 2) * pageSize
        let method: ReadMethod = random.next(below: 2) == 0 ? .mapped : .positional
        let action = Action.allCases[random.next(below: Action.allCases.count)]
        let trigger = UInt64(random.next(below: size))
        let cutTo = random.next(below: 3) == 0 ? 0 : random.next(below: 3) == 0
            ? random.next(below: pages + 2) * pageSize : random.next(below: size)
        let fired = Once()
        let acted = Locked(false)
        let act: @Sendable (String, UInt64) -> Void = { readPath, offset in
            guard readPath == path, offset >= trigger, fired.first() else { return }
            Self.change(path, action, to: cutTo, original: size)
            acted.withLock { $0 = true }
        }
        var options = CheckOptions(readMethod: method, concurrency: 1 + random.next(below: 4),
                                   windowBytes: (64 << 10) << random.next(below: 3), chunkBytes: (64 << 10) << random.next(below: 4))
        options.readFaults = method == .mapped
            ? ReadFaultInjection(failures: [], beforeRead: act, afterMapping: act)
            : ReadFaultInjection(failures: [], beforeRead: act)
        let report = StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil)
        let label = "seed \(seed): \(method) \(action) at \(trigger) to \(cutTo) of \(size), page \(pageSize)"
        let changed = acted.withLock { $0 }
        if changed {
            #expect(!report.isRestorable, "\(label): \(report.databases.map(\.reasons))")
            #expect(report.databases[0].verdict != .consistent, "\(label)")
        } else {
            #expect(report.isRestorable, "\(label): untouched, \(report.databases.map(\.reasons))")
        }
        return changed
    }
}
