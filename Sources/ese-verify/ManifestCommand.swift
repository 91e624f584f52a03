import ESECheck
import Foundation

/// `ese-verify manifest`: the full check of a storage group, recording a backup manifest.
enum ManifestCommand {
    static let usage = """
        usage: ese-verify manifest --out FILE [--json] [--base NAME] [--jobs N] [--quiet] DIR
               ese-verify manifest --out FILE [--json] [--base NAME] [--jobs N] [--quiet] FILE...

        Runs the full storage-group check on DIR (as `check DIR`) and, in the same read, records
        every regular file of DIR in a manifest: name, size, identity, whole-file hash (XXH3-64 tree), and
        for databases the signatures, state, required logs and page counts, for logs the
        generation, signature and creation time. The manifest ends with a CRC-32C of itself
        (format: docs/manifest.md). Prints the check's report; the exit status is the check's
        (4 also when FILE cannot be written).

        With files instead of a directory, the storage group they form is checked (databases
        by extension or header, log-set files - all in one directory - as one log set) and each
        file is recorded under its path as given (`./` and repeated `/` dropped): verify a copy
        by giving the same paths where it is. A path that is not a regular file is refused
        (exit status 3).

          --out FILE   where to write the manifest (required)
          --json       print the check's JSON report (schema "ese-verify/1") with a
                       "manifest" object: the files recorded and their hashes
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: ["--quiet", "--json"], options: ["--out", "--base", "--jobs"])
        guard !parsed.operands.isEmpty else { throw Arguments.UsageError(message: "manifest needs a directory or files") }
        guard let out = parsed.value("--out") else { throw Arguments.UsageError(message: "manifest needs --out FILE") }
        let directory = parsed.operands.count == 1 && Console.isDirectory(parsed.operands[0]) ? parsed.operands[0] : nil
        if directory == nil, let bad = parsed.operands.first(where: { !Console.isRegularFile($0) }) {
            console.error("ese-verify manifest: \(PathEncoding.displayed(bad)) is not a readable directory or regular file")
            return .unreadableInput
        }
        let jobs = try parsed.integer("--jobs", in: 1...1024) ?? 0
        let base = try BaseNameCheck.parse(parsed.value("--base"))
        let progress = CheckProgress()
        let builder = ManifestBuilder(options: CheckOptions(concurrency: jobs, progress: progress))
        let built = console.withProgress(progress, quiet: parsed.has("--quiet") || parsed.has("--json")) {
            () -> Result<(manifest: BackupManifest, report: StorageGroupReport), CheckError> in
            if let directory { return .success(builder.build(directory: directory, baseName: base)) }
            return Result { () throws(CheckError) in try builder.build(files: parsed.operands, baseName: base) }
        }
        let manifest: BackupManifest, report: StorageGroupReport
        switch built {
        case .success(let value): (manifest, report) = value
        case .failure(let error): throw Arguments.UsageError(message: error.message)
        }
        guard FileManager.default.createFile(atPath: out, contents: Data(manifest.text.utf8)) else {
            console.error("ese-verify manifest: cannot write \(PathEncoding.displayed(out))")
            return .outputFailed
        }
        if parsed.has("--json") {
            console.out(report.json.adding("manifest", manifest.json(path: out)).serialized(pretty: true))
            return CheckCommand.status(for: report)
        }
        console.out(TextNames.escaped(report).text)
        let unhashed = manifest.entries.filter { $0.hash == nil }.count
        console.out("manifest: \(manifest.entries.count) files recorded in \(PathEncoding.displayed(out))"
                    + (unhashed > 0 ? " (\(unhashed) could not be read whole: no hash)" : ""))
        return CheckCommand.status(for: report)
    }
}
