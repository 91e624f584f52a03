@_spi(Testing) import ESECheck
import ESETestSupport
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// Coverage maps: exact, cheap for huge claimed sizes.
@Suite struct CoverageMapTests {
    @Test func singlePagesAndRanges() {
        var map = CoverageMap(pageCount: 200_000)
        #expect(map.markSeen(1) && !map.markSeen(1))
        #expect(map.markSeen(range: 2...70_000) == 69_999)
        #expect(map.markSeen(range: 69_990...70_010) == 10)
        #expect(map.markSeen(range: 70_011...199_999) == 129_989)
        #expect(map.missing == [200_000...200_000])
        #expect(map.duplicated == [1...1, 69_990...70_000])
        #expect(map.seenCount == 199_999 && !map.isComplete)
        #expect(map.markSeen(200_000) && map.isComplete && map.missing.isEmpty)
        #expect(!map.markSeen(0) && !map.markSeen(200_001))
    }

    @Test func noneSeenAgreesWithPageByPage() {
        // Pages straddle a chunk boundary (65,536) and word boundaries; some chunks full.
        var map = CoverageMap(pageCount: 140_000)
        map.markSeen(range: 1...65_536)
        for page in [65_600, 65_663, 65_664, 70_000, 131_072, 131_073] { _ = map.markSeen(page) }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let low = Int.random(in: -5...140_010, using: &random)
            let high = low + Int.random(in: 0...300, using: &random)
            let expected = low >= 1 && high <= 140_000 && !(low...high).contains { map.wasSeen($0) }
            #expect(map.noneSeen(low...high) == expected, "\(low)...\(high)")
        }
        #expect(map.noneSeen(65_537...65_599) && !map.noneSeen(65_537...65_600) && !map.noneSeen(65_536...65_540))
        #expect(map.noneSeen(65_665...69_999) && !map.noneSeen(131_000...131_072))
    }

    @Test func aHugeMapCostsWhatIsSeen() {
        var map = CoverageMap(pageCount: Int(UInt32.max))
        map.markSeen(range: 1...Int(UInt32.max) - 10)
        #expect(map.missing == [(Int(UInt32.max) - 9)...Int(UInt32.max)])
        #expect(map.duplicated.isEmpty)
    }
}

/// Hostile input: crafted headers, huge claims, files that change, read errors.
@Suite struct HostileInputTests {
    let directory = TemporaryDirectory()

    func group(_ name: String = "g", dirty: Bool = true, pageSize: Int = 8192) throws -> (StorageGroupSpec, StorageGroupFiles) {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: pageSize, pageCount: 40, usedFraction: 1)])
        spec.dirty = dirty
        spec.generations = 4
        spec.logFileSectors = 16
        return (spec, try StorageGroupWriter.write(spec, to: directory.file(name)))
    }

    @Test func aClaimedSizeOfTwoToTheSixtyThreeIsAnErrorNotACrash() throws {
        let (_, files) = try group()
        let leading = [UInt8](try Data(contentsOf: URL(fileURLWithPath: files.databases[0])).prefix(65536))
        let session = CheckSession(databases: [.stream(name: "claim", fileSize: 1 << 63, leadingBytes: leading)])
        let headers = try session.checkDatabaseHeaders()
        #expect(headers.databases[0].errors.contains { $0.message.contains("more pages than ESE can number") })
        #expect(try session.finish().databases[0].verdict == .unreadable)
    }

    @Test func aHugeSparseDatabaseIsCheckedFromItsHoles() throws {
        let (_, files) = try group(pageSize: 32768)
        let path = files.databases[0]
        let output = try FileOutput(editing: path)
        var size: UInt64 = 0
        // As large as the file system allows, up to 2^63 bytes (and at most 4 TiB, for test time).
        for candidate: UInt64 in [UInt64(Int64.max) & ~32767, 1 << 50, 1 << 44, 1 << 42, 1 << 40] where candidate <= 1 << 42 {
            if (try? output.truncate(to: candidate)) != nil { size = candidate; break }
        }
        output.close()
        try #require(size > 0, "the file system refused every sparse size")
        let start = ContinuousClock.now
        let report = DatabaseChecker().check(path)
        #expect(start.duration(to: .now) < .seconds(120))
        #expect(report.pages.total == Int(size / 32768) - 2)
        #expect(report.pages.ok == 40 && report.pages.uninitialized == Int(size / 32768) - 42)
        #expect(report.passed)
    }

    /// DBFILEHDR fields as (offset, size).
    static let databaseFields: [(Int, Int)] = [
        (4, 4), (8, 4), (12, 4), (16, 8), (24, 4), (52, 4), (56, 8), (64, 8), (72, 8), (80, 8), (88, 8), (96, 8), (104, 4),
        (108, 4), (136, 8), (152, 4), (156, 4), (160, 8), (176, 4), (180, 4), (184, 8), (200, 4), (204, 4), (208, 4),
        (212, 4), (216, 4), (232, 4), (236, 4), (240, 4), (280, 8), (296, 4), (300, 4), (304, 4), (316, 8), (332, 4),
        (336, 4), (340, 4), (344, 4), (348, 8), (356, 4), (360, 4), (368, 4), (384, 4), (400, 4), (416, 4), (420, 8),
        (436, 4), (440, 4), (444, 8), (460, 4), (464, 4), (468, 4), (472, 4), (476, 4), (492, 4), (508, 8), (532, 4),
        (536, 4), (540, 4), (552, 4), (572, 8), (580, 4), (640, 4), (644, 4), (648, 4), (652, 4), (656, 8), (667, 4),
        (672, 8), (680, 4), (684, 4), (716, 4), (736, 4), (740, 8),
    ]
    /// LGFILEHDR fields as (offset, size), including the first attachment entry.
    static let logFields: [(Int, Int)] = [
        (4, 4), (8, 2), (10, 2), (12, 2), (14, 2), (16, 8), (24, 8), (32, 4), (36, 4), (40, 4), (44, 4), (72 + 522, 1),
        (72 + 543, 4), (639, 1), (640, 8), (648, 4), (652, 1), (653, 8), (661, 4), (667, 4), (671, 1), (672, 1), (673, 2),
        (675, 8), (683, 4), (687, 4), (691, 8), (699, 8),
    ]
    /// Checkpoint fields as (offset, size).
    static let checkpointFields: [(Int, Int)] = [(4, 8), (12, 8), (20, 4), (48 + 522, 1), (615, 8), (631, 8), (647, 1), (648, 8), (667, 4), (679, 1), (681, 2)]

    static func values(size: Int) -> [UInt64] {
        let max: UInt64 = size == 8 ? .max : (UInt64(1) << UInt64(size * 8)) - 1
        return [0, 1, max, max - 1]
    }

    /// Sets a field to each extreme value, reseals the header, runs the whole check: it must
    /// return (no trap, no hang) with a report.
    func sweep(_ path: String, headerSize: Int, copies: [UInt64], fields: [(Int, Int)], directory group: String) throws {
        let original = try FileOutput(editing: path)
        let saved = try original.read(at: 0, count: headerSize * copies.count + headerSize)
        original.close()
        for (offset, size) in fields {
            for value in Self.values(size: size) {
                let file = try FileOutput(editing: path)
                for copy in copies {
                    var image = ByteImage(try file.read(at: copy, count: headerSize))
                    for index in 0..<size { image.bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
                    image.sealHeader()
                    try file.write(image.bytes, at: copy)
                }
                file.close()
                let report = StorageGroupChecker().check(directory: group)
                #expect(!report.databases.isEmpty || report.logs != nil, "field \(offset) = \(value)")
                _ = report.json.serialized()
                _ = report.text
            }
            let file = try FileOutput(editing: path)
            try file.write(saved, at: 0)
            file.close()
        }
    }

    @Test func everyDatabaseHeaderFieldAtItsExtremes() throws {
        let (_, files) = try group()
        try sweep(files.databases[0], headerSize: 8192, copies: [0, 8192], fields: Self.databaseFields, directory: files.directory)
    }

    @Test func everyLogHeaderFieldAtItsExtremes() throws {
        let (_, files) = try group()
        try sweep(files.log(3)!, headerSize: 4096, copies: [0], fields: Self.logFields, directory: files.directory)
        try sweep(files.log(4)!, headerSize: 4096, copies: [0], fields: Self.logFields, directory: files.directory)
    }

    @Test func everyLegacyLogHeaderFieldAtItsExtremes() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "db.edb", pageSize: 8192, pageCount: 10)])
        spec.logFormat = .v7
        spec.generations = 3
        spec.logFileSectors = 64
        let files = try StorageGroupWriter.write(spec, to: directory.file("v7"))
        try sweep(files.log(2)!, headerSize: 4096, copies: [0], fields: Self.logFields, directory: files.directory)
    }

    @Test func everyCheckpointFieldAtItsExtremes() throws {
        let (_, files) = try group()
        try sweep(files.checkpoint, headerSize: 4096, copies: [0, 4096], fields: Self.checkpointFields, directory: files.directory)
    }

    @Test func aFileTruncatedWhileItIsCheckedIsReportedNotFatal() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "big.edb", pageSize: 32768, pageCount: 12_000, usedFraction: 1)])
        spec.generations = 2
        let files = try StorageGroupWriter.write(spec, to: directory.file("trunc"), threads: 2)
        let path = files.databases[0]
        for method in ReadMethod.allCases {
            let copy = directory.file("victim-\(method).edb")
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let progress = CheckProgress()
            // A thread of its own, not a task: synchronous tests running beside this one can
            // occupy every thread of the cooperative pool until the check has finished.
            let cut = DispatchSemaphore(value: 0)
            let cutError = Locked<(any Error)?>(nil)
            let checkFinished = Locked(false)
            let cutter = Thread {
                while progress.bytesDone < 20 << 20, !checkFinished.withLock({ $0 }) { usleep(1000) }
                do {
                    let output = try FileOutput(editing: copy)
                    try output.truncate(to: 100 * 32768 + 1000)
                    output.close()
                } catch { cutError.withLock { $0 = error } }
                cut.signal()
            }
            cutter.start()
            let report = DatabaseChecker(options: CheckOptions(readMethod: method, concurrency: 1, progress: progress)).check(copy)
            checkFinished.withLock { $0 = true }
            cut.wait()
            if let error = cutError.withLock({ $0 }) { throw error }
            #expect(!report.passed, "\(method)")
            #expect(report.errors.contains { $0.code == .fileChanged } || !report.readFailures.isEmpty, "\(method): \(report.errors)")
        }
    }

    @Test func readErrorsAreReportedForTheirRangeAfterARetry() throws {
        let (_, files) = try group(dirty: false)
        let path = files.databases[0]
        // Pages 10–12 live at physical pages 11–13.
        let failing = UInt64(11 * 8192)..<UInt64(14 * 8192)
        let faults = ReadFaultInjection(failures: [(path: path, range: failing, errno: 5)])
        var options = CheckOptions(concurrency: 1)
        options.readFaults = faults
        let report = DatabaseChecker(options: options).check(path)
        #expect(report.readFailures.count == 1)
        #expect(report.readFailures.first?.offset == failing.lowerBound && report.readFailures.first?.length == 3 * 8192)
        #expect(report.readFailures.first?.cause?.errno == 5)
        #expect(report.pages.total == 37, "every other page is still checked")
        // The window failed twice (read + retry), then each failing page twice.
        #expect(faults.failedAttempts == 2 + 3 * 2)
        let verdict = StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil)
        #expect(verdict.databases.first?.verdict == .unreadable)
        #expect(verdict.databases.first?.reasons.contains { $0.code == "readFailed" && $0.message.contains("Input/output error") } == true)
    }
}
