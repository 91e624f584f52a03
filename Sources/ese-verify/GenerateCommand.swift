import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Synchronization

/// `ese-verify generate`: write an ESE-format storage group of any size, optionally a named
/// scenario with its faults.
enum GenerateCommand {
    static let usage = """
        usage: ese-verify generate --out DIR [--databases N] [--size SIZE] [--page-size BYTES]
                                   [--generations N] [--log-format v8|v7] [--dirty] [--flush-map]
                                   [--scenario NAME] [--seed N] [--jobs N] [--quiet]
               ese-verify generate --list

        Writes databases (headers, shadows, pages with valid checksums), a log set, a
        checkpoint, temporary and reserve logs - bit-exact to the ESE formats - into DIR.
        Output is deterministic for a seed. With --scenario, writes a scenario of
        Corpus/scenarios.json and injects its faults; --list shows the scenarios.

          --out DIR          where to write (created if needed)
          --databases N      number of databases (default 1)
          --size SIZE        total database size, e.g. 512MiB, 10GiB (default 64MiB)
          --page-size BYTES  4096, 8192, 16384 or 32768 (default 32768)
          --generations N    log generations, the last being the current log (default 8)
          --log-format F     v8 (segments, default) or v7 (LRCHECKSUM)
          --dirty            databases in dirty shutdown, needing the last logs
          --flush-map        write each database's flush map (<db>.jfm) beside it
          --scenario NAME    write a named scenario (see --list)
          --seed N           seed (default 1)
          --jobs N           writer threads (default: all processors)
          --quiet            no progress display
          --list             list the scenarios of Corpus/scenarios.json and exit

        example: ese-verify generate --out /tmp/sg --databases 4 --size 10GiB --page-size 32768
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: ["--dirty", "--quiet", "--list", "--flush-map"],
                                   options: ["--out", "--databases", "--size", "--page-size", "--generations", "--log-format",
                                             "--scenario", "--seed", "--jobs"])
        if parsed.has("--list") {
            let scenarios = (try? ScenarioCatalog.all()) ?? []
            for scenario in scenarios { console.out("\(scenario.name): \(scenario.summary)") }
            return .success
        }
        guard parsed.operands.isEmpty else { throw Arguments.UsageError(message: "unexpected argument '\(parsed.operands[0])'") }
        guard let out = parsed.value("--out") else { throw Arguments.UsageError(message: "generate needs --out DIR") }
        let seed = try parsed.integer("--seed", in: 0...Int.max).map(UInt64.init)
        let jobs = try parsed.integer("--jobs", in: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        let size = try parsed.value("--size").map(parseSize)
        let pageSize = try parsed.integer("--page-size", in: 2048...32768)
        if let pageSize, PageLayout(pageSize: pageSize) == nil {
            throw Arguments.UsageError(message: "--page-size must be 4096, 8192, 16384 or 32768")
        }
        var spec: StorageGroupSpec
        var scenario: Scenario?
        if let name = parsed.value("--scenario") {
            guard let found = try? ScenarioCatalog.named(name) else {
                throw Arguments.UsageError(message: "no scenario '\(name)' (see ese-verify generate --list)")
            }
            scenario = found
            spec = found.spec(seed: seed)
        } else {
            let count = try parsed.integer("--databases", in: 1...1000) ?? 1
            let page = pageSize ?? 32768
            spec = StorageGroupSpec(databases: (1...count).map {
                .init(name: String(format: "mailbox%02d.edb", $0), pageSize: page, pageCount: 16)
            })
            spec.generations = try parsed.integer("--generations", in: 1...100_000) ?? 8
            spec.dirty = parsed.has("--dirty")
            spec.seed = seed ?? 1
            switch parsed.value("--log-format") ?? "v8" {
            case "v8": spec.logFormat = .v8; spec.logFileSectors = 256
            case "v7": spec.logFormat = .v7; spec.logFileSectors = 2048
            default: throw Arguments.UsageError(message: "--log-format must be v8 or v7")
            }
        }
        if let pageSize, scenario != nil { for index in spec.databases.indices { spec.databases[index].pageSize = pageSize } }
        if parsed.has("--flush-map") { for index in spec.databases.indices { spec.databases[index].flushMap = true } }
        if let size { scale(&spec, to: size) } else if scenario == nil { scale(&spec, to: 64 << 20) }

        let total = Int(spec.databaseBytes) + spec.generations * spec.logFileSectors * (spec.logFormat == .v8 ? 4096 : 512)
        let progress = CheckProgress()
        progress.plan(bytes: total, files: spec.databases.count + spec.generations)
        let start = Date()
        let result: Result<StorageGroupFiles, Error> = console.withProgress(progress, quiet: parsed.has("--quiet")) {
            do {
                if let scenario {
                    return .success(try scenario.write(to: out, spec: spec, threads: jobs) { progress.advance(bytes: $0) }.files)
                }
                return .success(try StorageGroupWriter.write(spec, to: out, threads: jobs) { progress.advance(bytes: $0) })
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .failure(let error):
            console.error("ese-verify generate: \(error)")
            return .unreadableInput
        case .success(let files):
            let seconds = Date().timeIntervalSince(start)
            console.out("Wrote \(files.databases.count) database(s), \(files.logs.count) log generation(s) (\(spec.logFormat.rawValue)), "
                        + "a checkpoint and \(files.auxiliary.count) temporary/reserve log(s) and flush map(s) to \(out)")
            console.out(String(format: "%@ in %.2f s (%.0f MB/s)", Console.formatBytes(Double(total)), seconds,
                               seconds > 0 ? Double(total) / 1_048_576 / seconds : 0))
            if let scenario {
                console.out("Scenario \(scenario.name): \(scenario.summary)")
                if let verdict = scenario.expect.verdict { console.out("Expected verdict: \(verdict)") }
            }
            return .success
        }
    }

    /// Spreads `bytes` over the databases in proportion to their current page counts.
    static func scale(_ spec: inout StorageGroupSpec, to bytes: UInt64) {
        let current = max(1, spec.databaseBytes)
        for index in spec.databases.indices {
            let database = spec.databases[index]
            let share = Double(UInt64(database.pageCount + 2) * UInt64(database.pageSize)) / Double(current)
            let pages = Int(Double(bytes) * share) / database.pageSize - 2
            spec.databases[index].pageCount = pages > 0 ? pages : max(database.pageCount, 1)
        }
    }

    /// Parses sizes like 4096, 512MiB, 10GiB, 1.5GB, 100M (see `ByteSize`).
    static func parseSize(_ text: String) throws(Arguments.UsageError) -> UInt64 {
        if let bytes = ByteSize.parse(text) { return bytes }
        throw Arguments.UsageError(message: "cannot read size '\(text)' (examples: 512MiB, 10GiB)")
    }
}
