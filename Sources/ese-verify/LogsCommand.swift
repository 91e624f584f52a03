import ESECheck
import ESEFormat

/// `ese-verify logs [--json] [--records] [--base NAME] DIR`: verify a log set.
enum LogsCommand {
    static let usage = """
        usage: ese-verify logs [--json] [--records] [--base NAME] [--jobs N] [--quiet] DIR

        Verifies the transaction logs of one log set in DIR: every log header and body
        (v7 LRCHECKSUM and v8 segment formats), the checkpoint, and the chain between
        generations - one log signature, no missing generation, each log's previous-
        generation time and accumulated segment checksum matching its predecessor.
        A torn write in the current log is reported as patchable (a warning). Copies and
        other spellings of a log (E0000008-copy.log, E0000008.LOG beside E0000008.log) are
        listed as skipped and never damage the set. Exit status 0 whole, 1 problems found,
        2 usage error, 3 unreadable directory, 4 output could not be written.

          --json       print one JSON object (schema "ese-verify/1")
          --records    print, per log, the records by type and the first invalid record's
                       position, like the summary of eseutil /ml /v (every record is always
                       walked as ESE's reader does - type, size, fragments - and an invalid
                       one is a problem, JET_errLogFileCorrupt -501)
          --base NAME  the 3-character base name (E00, edb, SRU); needed only when DIR
                       holds more than one log set; one matching no file is a usage error
          --jobs N     threads to use (default: all processors)
          --quiet      no progress display

        example: ese-verify logs --base E00 /backups/E00/logs
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: ["--json", "--quiet", "--records"], options: ["--base", "--jobs"])
        guard parsed.operands.count == 1, let directory = parsed.operands.first else {
            throw Arguments.UsageError(message: parsed.operands.isEmpty ? "logs needs a directory" : "logs takes one directory")
        }
        let jobs = try parsed.integer("--jobs", in: 1...1024) ?? 0
        let base = try BaseNameCheck.parse(parsed.value("--base"))
        let entries: [String]
        do {
            entries = try LogDirectory.entries(of: directory)
        } catch {
            console.error("ese-verify logs: cannot read the log directory \(PathEncoding.displayed(directory)): \(PathEncoding.displayed(error.message))")
            return .unreadableInput
        }
        try BaseNameCheck.validate(base, entries: entries, directory: directory)
        let listing = try? LogDirectory.select(entries, in: directory, baseName: base)
        // Files of the directory's log-set kinds that are not checked: copies, other spellings.
        var skipped: [(path: String, reason: String)] = []
        for duplicate in listing?.duplicates ?? [] {
            skipped.append((listing!.path(of: duplicate.name), "names the same log as \(duplicate.kept.fileName), which is the one checked"))
        }
        for name in listing?.otherSpelling ?? [] {
            skipped.append((listing!.path(of: name), "is spelled with another extension or digit count than the set's logs: recovery never sees it"))
        }
        for name in listing?.unrecognized ?? [] {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            skipped.append((path, "named like a log-set file, but not a name ESE gives its files (a copy?)"))
        }
        skipped.sort { $0.path < $1.path }
        let progress = CheckProgress()
        let report = console.withProgress(progress, quiet: parsed.has("--quiet") || parsed.has("--json")) {
            LogSetChecker(options: CheckOptions(concurrency: jobs, progress: progress))
                .check(directory: directory, baseName: base)
        }
        if parsed.has("--json") {
            console.out(JSONValue.object(["schema": .string(reportSchema), "logs": report.json,
                                          "skippedFiles": .array(skipped.map { .string($0.path) })]).serialized(pretty: true))
        } else {
            var text = TextNames.escaped(report).text
            if parsed.has("--records") { text += recordsText(report) }
            for item in skipped { text += "\nSkipped (not checked): \(PathEncoding.displayed(item.path)): \(PathEncoding.displayed(item.reason))" }
            console.out(text)
        }
        return ExitStatus(CheckStatus(report))
    }

    /// Per log: the records walked by type and the first invalid record, like `eseutil /ml /v`.
    static func recordsText(_ report: LogSetReport) -> String {
        var text = "\n\nLog records:"
        for file in report.files {
            let name = PathEncoding.displayed(file.name.fileName)
            guard let walk = file.records else {
                text += "\n  \(name): not walked (no valid header or body)"
                continue
            }
            text += "\n  \(name): \(walk.recordsWalked) records in \(walk.bytesWalked) bytes"
            if let invalid = walk.firstInvalid {
                text += "; first invalid record: \(invalid.reason.rawValue), type \(invalid.type.name) at \(invalid.position)"
                    + " (sector \(invalid.sector), offset \(invalid.fileOffset)), error \(invalid.jetError.code)"
            }
            if let clean = walk.cleanEnd { text += "; ends cleanly at \(clean)" }
            let counts = walk.countsByType.map { "\($0.type.name) \($0.count)" }
            if !counts.isEmpty { text += "\n    " + counts.joined(separator: ", ") }
        }
        return text
    }
}
