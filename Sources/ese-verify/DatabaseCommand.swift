import ESECheck
import ESEFormat

/// `ese-verify db [--json] FILE...`: checksum every page of database files.
enum DatabaseCommand {
    static let usage = """
        usage: ese-verify db [--json] [--jobs N] [--mmap] [--max-findings N] [--no-structure] [--quiet]
                            [--retries N] [--max-rate R] [--pages A-B | --recheck REPORT.json]
                            [--fail-fast] [--progress=json] FILE...

        Verifies every page of each database file: primary and shadow header, then every
        page's checksum (XOR and ECC formats, 4-32 KiB pages), reporting bad pages,
        correctable single-bit errors (with the bit), uninitialized pages and pages with a
        wrong page number. Files are checked in parallel; large files are split across cores.

          --json     print one JSON object (schema "ese-verify/1") instead of text
          --jobs N   threads to use (default: all processors)
          --mmap     read through mmap windows instead of pread (a file cut meanwhile
                     is reported as changed, never fatal)
          --max-findings N  list at most N findings page by page and N page ranges of
                     findings per file (default 1000); the rest is counted
                     ("findingsOmitted", "findingRangesOmitted")
          --no-structure  skip the B-tree and space-tree walk (pages only); the
                       report then says the structure was not verified
          --quiet    no progress display
        \(OperationOptions.usage)

        example: ese-verify db --json /backups/E00/mailbox01.edb
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: Set(["--json", "--mmap", "--quiet", "--no-structure"]).union(OperationOptions.flags),
                                   options: Set(["--jobs", "--max-findings"]).union(OperationOptions.options))
        guard !parsed.operands.isEmpty else { throw Arguments.UsageError(message: "db needs at least one database file") }
        let jobs = try parsed.integer("--jobs", in: 1...1024) ?? 0
        let maxFindings = try parsed.integer("--max-findings", in: 0...100_000_000) ?? PageTally.defaultFindingLimit
        let progress = CheckProgress()
        var options = CheckOptions(readMethod: parsed.has("--mmap") ? .mapped : .positional, concurrency: jobs,
                                   progress: progress)
        options.maxFindings = maxFindings
        options.verifyStructure = !parsed.has("--no-structure")
        try OperationOptions.apply(parsed, to: &options)
        let reports = console.withProgress(progress, quiet: parsed.has("--quiet") || (parsed.has("--json") && parsed.value("--progress") != "json"),
                                           json: parsed.value("--progress") == "json") {
            DatabaseChecker(options: options).check(parsed.operands)
        }
        if parsed.has("--json") {
            let document = JSONValue.object(["schema": .string(reportSchema), "scope": CheckScope.merged(reports.map(\.scope)).json,
                                              "databases": .array(reports.map(\.json))])
            console.out(document.serialized(pretty: true))
        } else {
            console.out(reports.map(\.text).joined(separator: "\n\n"))
            let bytes = reports.reduce(0) { $0 + $1.bytesRead }
            let seconds = reports.map(\.elapsedSeconds).max() ?? 0
            console.out("")
            console.out(Console.throughputLine(bytes: bytes, seconds: seconds))
        }
        return status(for: reports)
    }

    static func status(for reports: [DatabaseReport]) -> ExitStatus { ExitStatus(CheckStatus(reports)) }
}
