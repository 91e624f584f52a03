import ESECheck
import Foundation

/// `ese-verify manifest`: the full check of a storage group, recording a backup manifest.
enum ManifestCommand {
    static let usage = """
        usage: ese-verify manifest --out FILE [--base NAME] [--jobs N] [--quiet] DIR

        Runs the full storage-group check on DIR (as `check DIR`) and, in the same read, records
        every regular file of DIR in a manifest: name, size, identity, whole-file hash (XXH3-64 tree), and
        for databases the signatures, state, required logs and page counts, for logs the
        generation, signature and creation time. The manifest ends with a CRC-32C of itself
        (format: docs/manifest.md). Prints the check's report; the exit status is the check's
        (4 also when FILE cannot be written).

          --out FILE   where to write the manifest (required)
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: ["--quiet"], options: ["--out", "--base", "--jobs"])
        guard parsed.operands.count == 1, let directory = parsed.operands.first else {
            throw Arguments.UsageError(message: "manifest needs one directory")
        }
        guard let out = parsed.value("--out") else { throw Arguments.UsageError(message: "manifest needs --out FILE") }
        guard Console.isDirectory(directory) else {
            console.error("ese-verify manifest: \(PathEncoding.displayed(directory)) is not a readable directory")
            return .unreadableInput
        }
        let jobs = try parsed.integer("--jobs", in: 1...1024) ?? 0
        let base = try BaseNameCheck.parse(parsed.value("--base"))
        let progress = CheckProgress()
        let builder = ManifestBuilder(options: CheckOptions(concurrency: jobs, progress: progress))
        let (manifest, report) = console.withProgress(progress, quiet: parsed.has("--quiet")) {
            builder.build(directory: directory, baseName: base)
        }
        guard FileManager.default.createFile(atPath: out, contents: Data(manifest.text.utf8)) else {
            console.error("ese-verify manifest: cannot write \(PathEncoding.displayed(out))")
            return .outputFailed
        }
        console.out(TextNames.escaped(report).text)
        let unhashed = manifest.entries.filter { $0.hash == nil }.count
        console.out("manifest: \(manifest.entries.count) files recorded in \(PathEncoding.displayed(out))"
                    + (unhashed > 0 ? " (\(unhashed) could not be read whole: no hash)" : ""))
        return CheckCommand.status(for: report)
    }
}
