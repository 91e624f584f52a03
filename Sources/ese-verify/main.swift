import ESECheck
import Foundation

/// `ese-verify`: check ESE databases, logs and storage groups from the command line.
let usage = """
    usage: ese-verify <subcommand> [options] ...

    subcommands:
      db FILE...        verify every page of database files
      logs DIR          verify a transaction log set and its checkpoint
      check DB... | DIR the storage-group check: pages, headers, logs; one verdict per database
      manifest --out FILE DIR   check DIR and record a backup manifest (sizes, hashes, header facts)
      verify --manifest FILE DIR  check a copy against its manifest, then the full check
      header FILE       print a database, log or checkpoint header as eseutil /mh, /ml, /mk
      generate --out DIR  write an ESE storage group of any size, or a named fault scenario
      demo              generate a small storage group, check it, damage it, check again
      help [COMMAND]    show help for a subcommand

    Exit status: 0 consistent, 1 problems found, 2 usage error, 3 input could not be read,
    4 output could not be written (stdout closed, pipe closed, device full).
    """

// A reader that goes away must give EPIPE (exit status 4), not kill the process silently.
signal(SIGPIPE, SIG_IGN)
let console = Console()
// Arguments are bytes: a file name that is not UTF-8 must be opened exactly as given, which
// `CommandLine.arguments` (decoded with U+FFFD) cannot do.
var arguments = (1..<Int(CommandLine.argc)).map { index in
    CommandLine.unsafeArgv[index].map { PathEncoding.string(fromBytes: UnsafeRawBufferPointer(start: $0, count: strlen($0))) } ?? ""
}
let commands: [String: (usage: String, run: ([String], Console) throws(Arguments.UsageError) -> ExitStatus)] = [
    "db": (DatabaseCommand.usage, DatabaseCommand.run),
    "logs": (LogsCommand.usage, LogsCommand.run),
    "check": (CheckCommand.usage, CheckCommand.run),
    "generate": (GenerateCommand.usage, GenerateCommand.run),
    "header": (HeaderCommand.usage, HeaderCommand.run),
    "manifest": (ManifestCommand.usage, ManifestCommand.run),
    "verify": (VerifyCommand.usage, VerifyCommand.run),
    "demo": (DemoCommand.usage, DemoCommand.run),
]

func finish(_ status: ExitStatus) -> Never { exit(status.rawValue) }

guard let name = arguments.first else {
    console.error(usage)
    finish(.usageError)
}
arguments.removeFirst()
switch name {
case "--help", "-h", "help":
    if let topic = arguments.first {
        guard let command = commands[topic] else {
            console.error("ese-verify: unknown subcommand '\(PathEncoding.displayed(topic))'\n\n\(usage)")
            finish(.usageError)
        }
        console.out(command.usage)
    } else {
        console.out(usage)
    }
    finish(.success)
default:
    guard let command = commands[name] else {
        console.error("ese-verify: unknown subcommand '\(PathEncoding.displayed(name))'\n\n\(usage)")
        finish(.usageError)
    }
    if arguments.contains("--help") || arguments.contains("-h") {
        console.out(command.usage)
        finish(.success)
    }
    do {
        finish(try command.run(arguments, console))
    } catch {
        // Messages quote arguments: escaped, so no argument can add a line to the output.
        console.error("ese-verify \(name): \(PathEncoding.displayed(error.message))\n\n\(command.usage)")
        finish(.usageError)
    }
}
