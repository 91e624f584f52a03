@_spi(Testing) import ESECheck
import ESETestSupport
import ESECorpus
import Foundation
import Synchronization
import Testing

/// Calls of the host handlers the chaining exit tests install.
private let hostSignalCalls = Atomic<Int>(0)

/// Issue 13, point 3: mapped reads never crash. A file truncated while a window is mapped
/// reads zeros past its new end, and the read is reported, never trusted; faults that are
/// not ours reach the handler the process had; ours is removed when the last window closes.
/// Serialized: one test takes every guard slot, and the others need theirs to map.
@Suite(.serialized) struct MappedReadFaultTests {
    let directory = TemporaryDirectory()

    /// The sum of the bytes `makeFile` writes at `offsets`.
    static func sum(of offsets: Range<Int>) -> UInt64 {
        var total: UInt64 = 0
        for offset in offsets { total += UInt64(offset % 251 + 1) }
        return total
    }

    func makeFile(_ name: String, size: Int) -> String {
        let path = directory.file(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data((0..<size).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }))
        return path
    }

    /// Cuts `path` to `size` bytes through a descriptor of its own, as another process would.
    static func cut(_ path: String, to size: Int) {
        let descriptor = open(path, O_WRONLY)
        precondition(descriptor >= 0, "cannot open \(path) for writing")
        precondition(ftruncate(descriptor, off_t(size)) == 0, "ftruncate failed")
        close(descriptor)
    }

    /// First page, last page, a short file, odd sizes and offsets, a cut inside the last
    /// memory page (zeros without a fault).
    @Test(arguments: [
        (size: 5 * 4096 + 123, cutTo: 0, offset: 0, count: 5 * 4096 + 123),
        (size: 5 * 4096 + 123, cutTo: 3 * 4096, offset: 0, count: 5 * 4096 + 123),
        (size: 5 * 4096 + 123, cutTo: 3 * 4096 + 7, offset: 4096, count: 4 * 4096 + 123),
        (size: 100, cutTo: 0, offset: 0, count: 100),
        (size: 12345, cutTo: 12300, offset: 5000, count: 12345 - 5000),
        (size: 1 << 20, cutTo: 8191, offset: 8192 + 13, count: (1 << 20) - 8192 - 13),
    ])
    func aFileCutWhileMappedIsReportedNotFatal(size: Int, cutTo: Int, offset: Int, count: Int) throws {
        let path = makeFile("cut-\(size)-\(cutTo)-\(offset)", size: size)
        var mapped = MappedFile(try ReadOnlyFile(path: path))
        var seen: (first: UInt8, last: UInt8, sum: UInt64) = (0, 0, 0)
        let failure = try #require(throws: ReadFailure.self) {
            try mapped.withBytes(at: UInt64(offset), count: count) { span in
                Self.cut(path, to: cutTo)
                seen = span.withUnsafeBytes { bytes in (bytes[0], bytes[count - 1], bytes.reduce(0) { $0 &+ UInt64($1) }) }
            }
        }
        #expect(failure.shrankWhileMapped)
        #expect(failure.fileEndedEarly, "no system error: the file ended")
        #expect(failure.offset == UInt64(offset) && failure.length == UInt64(count))
        #expect(try #require(failure.sizeNow) == UInt64(cutTo))
        #expect(failure.description.contains("shrank while they were mapped"), "\(failure)")
        #expect(seen.last == 0, "bytes past the new end read as zeros")
        #expect(seen.first == (offset < cutTo ? UInt8(offset % 251 + 1) : 0))
        #expect(seen.sum == Self.sum(of: offset..<max(offset, cutTo)), "only the bytes still in the file count")
    }

    @Test func readsAfterAFaultAreTrustedAgain() throws {
        let victim = makeFile("victim", size: 64 << 10)
        var mapped = MappedFile(try ReadOnlyFile(path: victim))
        #expect(throws: ReadFailure.self) {
            try mapped.withBytes(at: 0, count: 64 << 10) { span in
                Self.cut(victim, to: 0)
                _ = span.withUnsafeBytes { $0.reduce(0, &+) }
            }
        }
        let intact = makeFile("intact", size: 64 << 10)
        var again = MappedFile(try ReadOnlyFile(path: intact))
        let sum: UInt64 = try again.withBytes(at: 0, count: 64 << 10) { span in
            span.withUnsafeBytes { bytes in bytes.reduce(0) { $0 &+ UInt64($1) } }
        }
        #expect(sum == Self.sum(of: 0..<(64 << 10)))
    }

    @Test func manyThreadsCutWhileMapped() throws {
        let paths = (0..<8).map { makeFile("threads-\($0)", size: 256 << 10) }
        let files = try paths.map { try ReadOnlyFile(path: $0) }
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            var mapped = MappedFile(files[index])
            do {
                try mapped.withBytes(at: 0, count: 256 << 10) { span in
                    Self.cut(paths[index], to: (index * 31) << 10)
                    _ = span.withUnsafeBytes { $0.reduce(0, &+) }
                }
            } catch let error as ReadFailure {
                if error.shrankWhileMapped { failures.withLock { $0 += 1 } }
            } catch {}
        }
        #expect(failures.withLock { $0 } == paths.count, "every cut window is reported")
    }

    /// More windows open at once than the guard has slots: the rest are read with pread,
    /// and every one sees its bytes.
    @Test func moreWindowsThanGuardSlotsStillReadCorrectly() throws {
        let path = makeFile("nested", size: 4096)
        let file = try ReadOnlyFile(path: path)
        func nest(_ depth: Int) throws(ReadFailure) -> Int {
            guard depth > 0 else { return 0 }
            var mapped = MappedFile(file)
            let inner = try mapped.withBytes(at: UInt64(depth % 4000), count: 1) { span in span.unsafeLoad(fromByteOffset: 0, as: UInt8.self) }
            #expect(inner == UInt8(depth % 4000 % 251 + 1), "window \(depth)")
            return try mapped.withBytes(at: 0, count: 4096) { _ in (try? nest(depth - 1)) ?? -1 } + 1
        }
        #expect(try nest(300) == 300)
    }

    // MARK: The checkers

    /// Checks a clean 64-page database, cutting it to `cutTo` bytes once its first data
    /// window is mapped (or, reading with pread, just before it is read).
    func checkCut(method: ReadMethod, cutTo: Int, chunkBytes: Int = 32 << 20, usedFraction: Double = 0.8) throws -> StorageGroupReport {
        let path = try SampleDatabase.write(to: directory.file("db-\(method)-\(cutTo)-\(chunkBytes).edb"), pages: 64,
                                            usedFraction: usedFraction)
        let once = Once()
        let cut: @Sendable (String, UInt64) -> Void = { readPath, offset in
            guard readPath == path, offset >= 2 * 8192, once.first() else { return }
            Self.cut(path, to: cutTo)
        }
        let faults = method == .mapped
            ? ReadFaultInjection(failures: [], afterMapping: cut)
            : ReadFaultInjection(failures: [], beforeRead: cut)
        var options = CheckOptions(readMethod: method, concurrency: 1, windowBytes: 64 << 10, chunkBytes: chunkBytes)
        options.readFaults = faults
        return StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil)
    }

    @Test(arguments: [20 * 8192 + 1000, 40 * 8192, 2 * 8192])
    func aDatabaseCutWhileMappedIsIncompleteWithNoPageTrusted(cutTo: Int) throws {
        let report = try checkCut(method: .mapped, cutTo: cutTo)
        let database = report.databases[0]
        #expect(database.verdict == .incomplete, "\(database.reasons)")
        #expect(database.report.readFailures.isEmpty)
        let error = try #require(database.report.errors.first { $0.code == .fileChanged && $0.message.contains("mapped") })
        #expect(try #require(error.offset) == 2 * 8192, "the one window, from the first data page")
        // The window held every data page: none of them is counted, none is reported bad.
        #expect(database.report.pages.total == 0, "\(database.report.pages)")
        #expect(database.report.tally.findings.isEmpty)
        #expect(!report.isRestorable)
    }

    @Test(arguments: [20 * 8192 + 1000, 40 * 8192])
    func aDatabaseCutBeforeAPreadIsIncomplete(cutTo: Int) throws {
        let report = try checkCut(method: .positional, cutTo: cutTo)
        let database = report.databases[0]
        #expect(database.verdict == .incomplete, "\(database.reasons)")
        #expect(database.report.readFailures.isEmpty, "a shrink is a change, not an I/O error")
        let error = try #require(database.report.errors.first { $0.code == .fileChanged && $0.message.contains("shrank") })
        #expect(try #require(error.offset) == UInt64(cutTo / 8192 * 8192))
        #expect(database.report.pages.total == cutTo / 8192 - 2, "the pages still in the file are checked")
        #expect(database.report.pages.bad == 0)
    }

    /// Chunks read after the cut: the pages past the new end are gone, not holes of a
    /// sparse file, and are never counted as zero (uninitialized) pages.
    @Test(arguments: ReadMethod.allCases)
    func pagesPastTheNewEndAreNeverCountedAsHoles(method: ReadMethod) throws {
        let report = try checkCut(method: method, cutTo: 20 * 8192 + 1000, chunkBytes: 64 << 10, usedFraction: 1)
        let database = report.databases[0]
        #expect(database.verdict == .incomplete, "\(database.reasons)")
        #expect(database.report.pages.uninitialized == 0, "\(database.report.pages)")
        #expect(database.report.pages.bad == 0)
        #expect(database.report.pages.total <= 18, "only pages before the cut: \(database.report.pages)")
        #expect(database.report.readFailures.isEmpty)
    }

    @Test func theCLIWithMmapReportsACutAsIncompleteNotSIGBUS() throws {
        let path = try SampleDatabase.write(to: directory.file("cli.edb"), pages: 40_000, usedFraction: 1)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let cutSize = 1000 * 8192 + 100
        var cutMidCheck = false
        // The cut must land after the file is opened and before the check ends: try longer
        // and longer delays until one does.
        for delay in [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000] as [UInt32] {
            try original.write(to: URL(fileURLWithPath: path))
            let cutter = Thread {
                usleep(delay)
                Self.cut(path, to: cutSize)
            }
            cutter.start()
            let result = try CommandRunner.run(["check", "--json", "--mmap", "--jobs", "1", path])
            while !cutter.isFinished { usleep(1000) }
            #expect(result.status != 128 + SIGBUS && result.status != 135, "killed by SIGBUS: \(result.stderr)")
            if result.stdout.contains("\"fileSize\": \(cutSize)") { continue }  // cut before the file was opened
            let databases = result.json["databases"] as? [[String: Any]] ?? []
            let verdict = databases.first?["verdict"] as? String ?? "none"
            if verdict == "consistent" { break }  // the check finished before the cut
            #expect(result.status == 1, "\(result.stderr)")
            #expect(verdict == "incomplete", "\(result.stdout.prefix(2000))")
            #expect(result.stdout.contains("fileChanged"))
            cutMidCheck = true
            break
        }
        #expect(cutMidCheck, "no cut landed while the file was checked")
    }

    // MARK: Chaining (each in a process of its own: signal dispositions are process-wide)

    /// The raw address of an action's handler.
    static func handlerAddress(_ action: sigaction) -> UInt {
        #if canImport(Darwin)
        unsafeBitCast(action.__sigaction_u, to: UInt.self)
        #else
        unsafeBitCast(action.__sigaction_handler, to: UInt.self)
        #endif
    }

    @Test func aHostHandlerWithSiginfoIsCalledForFaultsNotOursAndRestored() async {
        await #expect(processExitsWith: .success) {
            var host = sigaction()
            #if canImport(Darwin)
            host.__sigaction_u.__sa_sigaction = { _, _, _ in hostSignalCalls.add(1, ordering: .relaxed) }
            #else
            host.__sigaction_handler.sa_sigaction = { _, _, _ in hostSignalCalls.add(1, ordering: .relaxed) }
            #endif
            host.sa_flags = SA_SIGINFO
            sigemptyset(&host.sa_mask)
            guard sigaction(SIGBUS, &host, nil) == 0 else { exit(10) }
            let path = "/tmp/esecheck-chain-\(getpid())"
            _ = FileManager.default.createFile(atPath: path, contents: Data(count: 8192))
            defer { unlink(path) }
            guard let file = try? ReadOnlyFile(path: path) else { exit(11) }
            var mapped = MappedFile(file)
            var ours = false
            _ = try? mapped.withBytes(at: 0, count: 8192) { _ in
                var current = sigaction()
                sigaction(SIGBUS, nil, &current)
                ours = MappedReadFaultTests.handlerAddress(current) != MappedReadFaultTests.handlerAddress(host)
                raise(SIGBUS)  // not a fault in a window: the host's handler gets it
            }
            guard ours else { exit(12) }
            guard hostSignalCalls.load(ordering: .relaxed) == 1 else { exit(13) }
            var after = sigaction()
            sigaction(SIGBUS, nil, &after)
            guard MappedReadFaultTests.handlerAddress(after) == MappedReadFaultTests.handlerAddress(host),
                  after.sa_flags & SA_SIGINFO != 0 else { exit(14) }
            exit(0)
        }
    }

    @Test func aPlainHostHandlerIsCalled() async {
        await #expect(processExitsWith: .success) {
            _ = signal(SIGBUS, { _ in hostSignalCalls.add(1, ordering: .relaxed) })
            let path = "/tmp/esecheck-plain-\(getpid())"
            _ = FileManager.default.createFile(atPath: path, contents: Data(count: 4096))
            defer { unlink(path) }
            guard let file = try? ReadOnlyFile(path: path) else { exit(11) }
            var mapped = MappedFile(file)
            _ = try? mapped.withBytes(at: 0, count: 4096) { _ in raise(SIGBUS) }
            exit(hostSignalCalls.load(ordering: .relaxed) == 1 ? 0 : 13)
        }
    }

    @Test func aSentSignalWithTheDefaultActionStillEndsTheProcess() async {
        await #expect(processExitsWith: .signal(SIGBUS)) {
            signal(SIGBUS, SIG_DFL)
            let path = "/tmp/esecheck-default-\(getpid())"
            _ = FileManager.default.createFile(atPath: path, contents: Data(count: 4096))
            guard let file = try? ReadOnlyFile(path: path) else { exit(11) }
            unlink(path)
            var mapped = MappedFile(file)
            _ = try? mapped.withBytes(at: 0, count: 4096) { _ in raise(SIGBUS) }
            exit(0)
        }
    }

    @Test func aFaultOutsideEveryWindowStillEndsTheProcess() async {
        await #expect(processExitsWith: .signal(SIGBUS)) {
            signal(SIGBUS, SIG_DFL)
            let path = "/tmp/esecheck-foreign-\(getpid())"
            _ = FileManager.default.createFile(atPath: path, contents: Data(count: 8192))
            let descriptor = open(path, O_RDWR)
            let file = try? ReadOnlyFile(path: path)
            unlink(path)
            // A mapping of the host's own, not watched: its fault is not ours to repair.
            guard let foreign = mmap(nil, 8192, PROT_READ, MAP_SHARED, descriptor, 0), foreign != MAP_FAILED,
                  let file else { exit(11) }
            var mapped = MappedFile(file)
            _ = try? mapped.withBytes(at: 0, count: 4096) { _ in
                _ = ftruncate(descriptor, 0)
                _ = foreign.load(fromByteOffset: 4096, as: UInt8.self)
            }
            exit(0)
        }
    }
}
