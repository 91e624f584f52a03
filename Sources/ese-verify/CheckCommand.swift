import ESECheck
import ESEFormat

/// `ese-verify check`: the storage-group check — pages, headers and logs, one verdict per database.
enum CheckCommand {
    static let usage = """
        usage: ese-verify check [--json] [--logs DIR] [--base NAME] [--backup TYPE] [--jobs N] [--mmap] [--max-findings N] [--no-structure] [--quiet]
                               [--retries N] [--max-rate R] [--pages A-B | --recheck REPORT.json] [--fail-fast] [--progress=json] DB...
               ese-verify check [options] DIR
               ese-verify check [options] --tar FILE|-

        The CHKSGFILES question: is what was copied consistent and restorable? Verifies every
        page of each database, its headers, and the log set the databases need, and gives one
        verdict per database, as ESE's own recovery decides it: consistent, recoverable,
        recoverableWithLoss (only eseutil /r /a recovers, discarding the generations named),
        missingLogs, logsDamaged, corrupt, truncated, signatureMismatch, notRecoverable, unreadable,
        incomplete, unusableState, unsupportedBackup or unstable - with reasons, the JET error, the
        replay plan and any remedy; only consistent and recoverable are restorable. With a directory, the databases and logs in it are used;
        every other entry is listed as skipped, and a database that cannot be opened (a FIFO,
        a broken link, no permission) is reported unreadable. Exit status 0 consistent, 1
        problems found, 2 usage error, 3 input could not be read (also: no database in DIR,
        an unreadable --logs directory), 4 output could not be written.

          --json       print one JSON object (schema "ese-verify/1")
          --logs DIR   the log directory (default: none, so dirty databases miss their logs)
          --base NAME  the 3-character log base name (needed when the directory holds several
                       sets; a name that matches no log file there is a usage error)
          --backup T   full (default) or copy: pages and logs; incremental or differential:
                       the logs since the last recorded backup (refused while circular
                       logging is on, and without a previous full snapshot backup)
          --jobs N     threads to use (default: all processors)
          --mmap       read through mmap windows instead of pread (a file cut meanwhile
                       is reported as changed, never fatal)
          --max-findings N  list at most N findings page by page and N page ranges of
                       findings per database (default 1000); the rest is counted
                       ("findingsOmitted", "findingRangesOmitted")
          --no-structure  skip the B-tree and space-tree walk (pages only); the
                       report then says the structure was not verified
          --quiet      no progress display
        \(OperationOptions.usage)
          --tar FILE   the storage group inside a tar archive (ustar, pax, GNU; `-` reads
                       standard input), read once with nothing extracted: databases streamed
                       page batch by page batch, log-set files held in memory (at most 2 GiB)

        example: ese-verify check --logs /snap/E00/logs --base E00 /snap/E00/mailbox01.edb
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: Set(["--json", "--mmap", "--quiet", "--no-structure"]).union(OperationOptions.flags),
                                   options: Set(["--logs", "--base", "--jobs", "--backup", "--max-findings", "--tar"]).union(OperationOptions.options))
        let tar = parsed.value("--tar")
        guard tar == nil || (parsed.operands.isEmpty && parsed.value("--logs") == nil) else {
            throw Arguments.UsageError(message: "--tar takes no other files and no --logs")
        }
        // A stream is read once, in order: there is no file whose identity a state could hold.
        guard tar == nil || parsed.value("--state") == nil else {
            throw Arguments.UsageError(message: "--state cannot be combined with --tar (an archive stream cannot be resumed)")
        }
        guard !parsed.operands.isEmpty || tar != nil else { throw Arguments.UsageError(message: "check needs database files or a directory") }
        let jobs = try parsed.integer("--jobs", in: 1...1024) ?? 0
        let maxFindings = try parsed.integer("--max-findings", in: 0...100_000_000) ?? PageTally.defaultFindingLimit
        let progress = CheckProgress()
        var options = CheckOptions(readMethod: parsed.has("--mmap") ? .mapped : .positional, concurrency: jobs, progress: progress)
        options.maxFindings = maxFindings
        options.verifyStructure = !parsed.has("--no-structure")
        try OperationOptions.apply(parsed, to: &options)
        guard let backup = BackupType(rawValue: parsed.value("--backup") ?? "full") else {
            throw Arguments.UsageError(message: "--backup must be full, copy, incremental or differential")
        }
        let base = try BaseNameCheck.parse(parsed.value("--base"))
        if let tar {
            guard let report = TarInput.check(tar, checker: TarChecker(options: options, backupType: backup), baseName: base) else {
                console.error("ese-verify check: cannot open the archive \(PathEncoding.displayed(tar))")
                return .unreadableInput
            }
            console.out(parsed.has("--json") ? report.json.serialized(pretty: true) : TextNames.escaped(report).text)
            return status(for: report)
        }
        let checker = StorageGroupChecker(options: options, backupType: backup)
        let single = parsed.operands.count == 1 ? parsed.operands[0] : nil
        let isDirectory = single.map(Console.isDirectory) ?? false
        let logDirectory = parsed.value("--logs")
        var discovery: DirectoryDiscovery?
        if let single, isDirectory, logDirectory == nil {
            do {
                discovery = try DirectoryDiscovery.scan(single)
            } catch {
                console.error("ese-verify check: cannot read the directory \(PathEncoding.displayed(single)): \(PathEncoding.displayed(error.message))")
                return .unreadableInput
            }
            if discovery!.databases.isEmpty && discovery!.logBaseNames.isEmpty {
                console.error("ese-verify check: no database found in \(PathEncoding.displayed(single))"
                              + (discovery!.skipped.isEmpty ? " (it is empty)" : " (\(discovery!.skipped.count) other entries)"))
                return .unreadableInput
            }
            try BaseNameCheck.validate(base, entries: discovery!.entries, directory: single)
        } else if let logDirectory {
            let entries: [String]
            do {
                entries = try LogDirectory.entries(of: logDirectory)
            } catch {
                console.error("ese-verify check: cannot read the log directory \(PathEncoding.displayed(logDirectory)) (--logs): "
                              + PathEncoding.displayed(error.message))
                return .unreadableInput
            }
            try BaseNameCheck.validate(base, entries: entries, directory: logDirectory)
        }
        let report = console.withProgress(progress, quiet: parsed.has("--quiet") || (parsed.has("--json") && parsed.value("--progress") != "json"),
                                          json: parsed.value("--progress") == "json") {
            if let discovery { return checker.check(discovery, baseName: base) }
            return checker.check(databases: parsed.operands, logDirectory: logDirectory, baseName: base)
        }
        console.out(parsed.has("--json") ? report.json.serialized(pretty: true) : TextNames.escaped(report).text)
        return status(for: report)
    }

    static func status(for report: StorageGroupReport) -> ExitStatus { ExitStatus(CheckStatus(report)) }
}
