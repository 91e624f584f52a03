import ESECheck
import ESECorpus
import ESEFormat
import Foundation

/// `ese-verify demo`: generate a small storage group in a temporary folder, check it, damage
/// it the way real copies get damaged, and check it again.
enum DemoCommand {
    static let usage = """
        usage: ese-verify demo [--keep]

        Generates a small storage group (two dirty 8 KiB-page databases and eight v8 log
        generations) in a temporary folder and runs the storage-group check on it; then flips
        one bit in a database page and deletes a required log, and checks again. The folder is
        removed afterwards unless --keep is given.

          --keep   keep the generated storage group and print where it is

        example: ese-verify demo
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: ["--keep"], options: [])
        guard parsed.operands.isEmpty else { throw Arguments.UsageError(message: "demo takes no arguments") }
        let directory = NSTemporaryDirectory() + "ese-verify-demo-\(UUID().uuidString.prefix(8))"
        defer { if !parsed.has("--keep") { try? FileManager.default.removeItem(atPath: directory) } }
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox01.edb", pageSize: 8192, pageCount: 2000),
                                                .init(name: "mailbox02.edb", pageSize: 8192, pageCount: 1500)])
        spec.dirty = true
        spec.generations = 8
        spec.logFileSectors = 64
        let files: StorageGroupFiles
        do {
            files = try StorageGroupWriter.write(spec, to: directory, threads: 2)
        } catch {
            console.error("ese-verify demo: \(error)")
            return .unreadableInput
        }
        console.out("== A healthy copy: \(directory)")
        console.out("   2 databases in dirty shutdown (as in a VSS snapshot), log generations 1-8, checkpoint at 6")
        console.out("")
        let healthy = StorageGroupChecker().check(directory: directory)
        console.out(healthy.text)
        console.out("")
        do {
            try FaultInjector.apply(Fault(.singleBitFlip, database: 0, page: 1, bit: 4242), to: files, spec: spec)
            try FaultInjector.apply(Fault(.deleteGeneration, generation: 7), to: files, spec: spec)
        } catch {
            console.error("ese-verify demo: \(error)")
            return .unreadableInput
        }
        console.out("== The same copy after one flipped bit in page 1 of mailbox01.edb and losing E0000007.log")
        console.out("")
        let damaged = StorageGroupChecker().check(directory: directory)
        console.out(damaged.text)
        console.out("")
        let asExpected = healthy.verdict == .recoverable && damaged.verdict == .missingLogs
            && damaged.databases[0].report.pages.correctable == 1
        console.out(asExpected
            ? "Demo finished: the healthy copy is recoverable; the damaged one misses a required log (and has a correctable bit)."
            : "Demo finished, but the verdicts were not the expected ones.")
        if parsed.has("--keep") { console.out("The storage group is kept in \(directory)") }
        return asExpected ? .success : .problemsFound
    }
}
