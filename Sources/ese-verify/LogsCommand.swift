import ESECheck
import ESEFormat

/// `ese-verify logs [--json] [--base NAME] DIR`: verify a log set.
enum LogsCommand {
    static let usage = """
        usage: ese-verify logs [--json] [--base NAME] [--jobs N] [--quiet] DIR

        Verifies the transaction logs of one log set in DIR: every log header and body
        (v7 LRCHECKSUM and v8 segment formats), the checkpoint, and the chain between
        generations - one log signature, no missing generation, each log's previous-
        generation time and accumulated segment checksum matching its predecessor.
        A torn write in the current log is reported as patchable (a warning).

          --json       print one JSON object (schema "ese-verify/1")
          --base NAME  the 3-character base name (E00, edb, SRU); needed only when DIR
                       holds more than one log set
          --jobs N     threads to use (default: all processors)
          --quiet      no progress display

        example: ese-verify logs --base E00 /backups/E00/logs
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: ["--json", "--quiet"], options: ["--base", "--jobs"])
        guard parsed.operands.count == 1, let directory = parsed.operands.first else {
            throw Arguments.UsageError(message: parsed.operands.isEmpty ? "logs needs a directory" : "logs takes one directory")
        }
        let jobs = try parsed.integer("--jobs", in: 1...1024) ?? 0
        let progress = CheckProgress()
        let report = console.withProgress(progress, quiet: parsed.has("--quiet") || parsed.has("--json")) {
            LogSetChecker(options: CheckOptions(concurrency: jobs, progress: progress)).check(directory: directory, baseName: parsed.value("--base"))
        }
        if parsed.has("--json") {
            console.out(JSONValue.object(["schema": .string(reportSchema), "logs": report.json]).serialized(pretty: true))
        } else {
            console.out(report.text)
        }
        if let error = report.errors.first {
            return error.code == .invalidUse || error.code == .wrongFileType ? .problemsFound : .unreadableInput
        }
        return report.isWhole ? .success : .problemsFound
    }
}
