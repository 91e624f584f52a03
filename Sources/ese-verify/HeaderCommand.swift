import ESECheck
import ESEFormat

/// `ese-verify header FILE`: print a database, log or checkpoint header as eseutil /mh, /ml, /mk do.
enum HeaderCommand {
    static let usage = """
        usage: ese-verify header [--json] FILE

        Prints the header of a database (as eseutil /mh), a log file (as eseutil /ml on one
        file) or a checkpoint (as eseutil /mk), with eseutil's field labels, order and value
        formats, so that scripts written for eseutil keep working. The kind of file is
        recognised from its contents (and its extension when the contents are ambiguous).

          --json   the same fields as label/value pairs (schema "ese-verify/1")

        example: ese-verify header /backups/E00/mailbox01.edb | grep "Log Required"
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: ["--json"], options: [])
        guard parsed.operands.count == 1, let path = parsed.operands.first else {
            throw Arguments.UsageError(message: "header takes one file")
        }
        let dump: HeaderDump
        do {
            dump = try HeaderReader.dump(path)
        } catch {
            if parsed.has("--json") {
                console.out(JSONValue.object(["schema": .string(reportSchema), "error": error.json]).serialized(pretty: true))
            } else {
                console.error("ese-verify header: \(PathEncoding.displayed(error.description))")
            }
            return ExitStatus(CheckStatus(error))
        }
        if parsed.has("--json") {
            console.out(JSONValue.object(["schema": .string(reportSchema), "header": dump.json]).serialized(pretty: true))
        } else {
            console.out(dump.text)
        }
        return dump.warnings.isEmpty ? .success : .problemsFound
    }
}
