import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// The mutation sweep: random single- and multi-byte damage anywhere in generated storage
/// groups must never pass silently. After each mutation the storage-group check either stops
/// calling the group restorable, or reports the damage it repairs or tolerates (a corrected
/// bit, a bad header copy ESE rewrites from the other copy, damage in a log not needed) — or
/// the byte lies in one of the regions no checksum covers, listed in `uncovered` with why.
@Suite struct MutationSweepTests {
    /// Healthy scenarios, shrunk so that thousands of checks stay fast.
    static let scenarios = ["clean-small-pages", "clean-32k-pages", "dirty-recoverable", "dirty-v7-logs",
                            "legacy-checksum-pages", "incremental-after-full-backup"]
    static let mutationsPerScenario = 1200

    enum Region: Equatable {
        case checked
        /// Bytes no checksum covers, and why.
        case uncovered(String)
    }

    struct Target {
        let path: String
        let size: Int
    }

    /// Where a mutation lands, and whether any checksum covers it.
    static func region(of path: String, offset: Int, spec: StorageGroupSpec, files: StorageGroupFiles, report: StorageGroupReport) -> Region {
        if files.auxiliary.contains(path) { return .uncovered("temporary and reserve logs are filler, never read as logs") }
        if let index = files.databases.firstIndex(of: path), !report.backupType.checksPages,
           offset >= 2 * spec.databases[index].pageSize {
            return .uncovered("an incremental or differential backup holds logs only: database pages are not part of it")
        }
        guard let generation = files.logs.first(where: { $0.value == path })?.key else { return .checked }
        let sectorSize = spec.logFormat == .v8 ? 4096 : 512
        let sectors = max(spec.logFileSectors, spec.logFormat == .v8 ? 8 : 24)
        let sector = offset / sectorSize
        guard let body = report.logs?.report?.file(generation: generation)?.body else { return .checked }
        if spec.logFormat == .v8 {
            if sector == sectors - 1 { return .uncovered("the last segment of a v8 log is reserved for a shadow copy; ESE never reads it") }
            if let last = body.lastGoodSector, sector == last + 1, generation == spec.lastGeneration {
                return .uncovered("the shadow copy of the current log's partial segment is stale once the segment is written; ESE skips it")
            }
        } else {
            let end = Int(body.endOfData.sector) * sectorSize + Int(body.endOfData.byteOffset)
            let endSector = end / sectorSize
            if offset >= end, sector == endSector, end % sectorSize != 0 {
                return .uncovered("bytes after the end of data inside the last v7 sector belong to no checksum record")
            }
            if sector == endSector + (end % sectorSize == 0 ? 0 : 1) {
                return .uncovered("the sector after a v7 log's data holds the shadow of the last flush; ESE does not check it")
            }
        }
        return .checked
    }

    /// Whether the report names the damage at `offset` of `path`.
    static func reportsDamage(_ report: StorageGroupReport, path: String, offset: Int, spec: StorageGroupSpec, files: StorageGroupFiles) -> Bool {
        if let index = files.databases.firstIndex(of: path) {
            let database = report.databases[index].report
            let pageSize = spec.databases[index].pageSize
            if offset < 2 * pageSize { return !database.warnings.isEmpty || database.headers == nil }
            let page = UInt32(offset / pageSize - 1)
            return database.tally.findings.contains { $0.pageNumber == page }
        }
        if path == files.checkpoint { return !(report.logs?.report?.checkpoint?.problems.isEmpty ?? true) }
        guard let generation = files.logs.first(where: { $0.value == path })?.key, let logs = report.logs else { return false }
        let file = logs.report?.files.first { $0.path == path }
        return !(file?.problems.isEmpty ?? true) || logs.damagedUnnecessary.contains(generation)
            || (logs.report?.breaks.contains { $0.after == generation || $0.after + 1 == generation } ?? false)
    }

    @Test(arguments: scenarios)
    func noMutationPassesSilently(scenarioName: String) throws {
        let scenario = try #require(try ScenarioCatalog.named(scenarioName))
        var spec = scenario.spec(seed: 7)
        for index in spec.databases.indices {
            spec.databases[index].pageCount = min(spec.databases[index].pageCount, 24)
            spec.databases[index].usedFraction = 0.8
        }
        spec.logFileSectors = spec.logFormat == .v8 ? 12 : 48
        let directory = TemporaryDirectory()
        let files = try StorageGroupWriter.write(spec, to: directory.file("g"))
        let backup = BackupType(rawValue: scenario.backup ?? "full") ?? .full
        let checker = StorageGroupChecker(options: CheckOptions(concurrency: 1), backupType: backup)
        let baseline = checker.check(directory: files.directory)
        try #require(baseline.isRestorable, "\(scenarioName) must start healthy: \(baseline.databases.map(\.reasons))")

        let targets = (files.databases + files.logs.values.sorted() + [files.checkpoint] + files.auxiliary).map {
            Target(path: $0, size: Int((try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0))
        }
        let total = targets.reduce(0) { $0 + $1.size }
        var random = DeterministicRandom(seed: UInt64(scenarioName.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        var silent: [String] = []
        var uncoveredHits: [String: Int] = [:]
        for _ in 0..<Self.mutationsPerScenario {
            // Pick a byte uniformly over all bytes of the group.
            var offset = random.next(below: total)
            var chosen = targets[0]
            for candidate in targets {
                if offset < candidate.size { chosen = candidate; break }
                offset -= candidate.size
            }
            let target = chosen
            let length = random.next(below: 4) == 0 ? 1 + random.next(below: 16) : 1
            let output = try FileOutput(editing: target.path)
            let original = try output.read(at: UInt64(offset), count: length)
            var damaged = original
            for index in damaged.indices {
                var value = UInt8(truncatingIfNeeded: random.next())
                if value == damaged[index] { value ^= 0xFF }
                damaged[index] = value
            }
            try output.write(damaged, at: UInt64(offset))
            output.close()

            let report = checker.check(directory: files.directory)
            if report.isRestorable, !Self.reportsDamage(report, path: target.path, offset: offset, spec: spec, files: files) {
                switch Self.region(of: target.path, offset: offset, spec: spec, files: files, report: baseline) {
                case .uncovered(let why): uncoveredHits[why, default: 0] += 1
                case .checked: silent.append("\(target.path.split(separator: "/").last!) offset \(offset) length \(length)")
                }
            }
            let restore = try FileOutput(editing: target.path)
            try restore.write(original, at: UInt64(offset))
            restore.close()
        }
        #expect(silent.isEmpty, "\(scenarioName): \(silent.count) mutations passed silently, e.g. \(silent.prefix(5))")
        for (why, count) in uncoveredHits.sorted(by: { $0.key < $1.key }) {
            print("mutation sweep \(scenarioName): \(count) mutation(s) in uncovered bytes: \(why)")
        }
        #expect(checker.check(directory: files.directory).isRestorable, "the group is restored after the sweep")
    }
}
