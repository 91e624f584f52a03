import ESECheck
import Foundation

/// `ese-verify verify`: a copy checked against the manifest recorded at backup time.
enum VerifyCommand {
    static let usage = """
        usage: ese-verify verify --manifest FILE [--base NAME] [--jobs N] [--quiet] DIR

        Is DIR the copy that was verified when the manifest was written? Checks the manifest's
        own CRC-32C (a changed manifest is refused, exit status 3), lists missing, extra and
        resized files before reading any page, then runs the full check with every file's
        whole-file hash (XXH3-64 tree) computed in the same read and names the changed files. A copy that differs
        from its manifest is never restorable: a consistent or recoverable verdict becomes
        incomplete (manifestMismatch, JET -106). Exit status as `check`.

          --manifest FILE  the manifest written by `ese-verify manifest` (required)
        """

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: ["--quiet"], options: ["--manifest", "--base", "--jobs"])
        guard parsed.operands.count == 1, let directory = parsed.operands.first else {
            throw Arguments.UsageError(message: "verify needs one directory")
        }
        guard let path = parsed.value("--manifest") else { throw Arguments.UsageError(message: "verify needs --manifest FILE") }
        guard let data = FileManager.default.contents(atPath: path) else {
            console.error("ese-verify verify: cannot read the manifest \(PathEncoding.displayed(path))")
            return .unreadableInput
        }
        let manifest: BackupManifest
        do {
            manifest = try BackupManifest.parse([UInt8](data), path: path)
        } catch {
            console.error("ese-verify verify: \(PathEncoding.displayed(path)): \(PathEncoding.displayed(error.message))")
            return .unreadableInput
        }
        guard Console.isDirectory(directory) else {
            console.error("ese-verify verify: \(PathEncoding.displayed(directory)) is not a readable directory")
            return .unreadableInput
        }
        let listing = ManifestBuilder.compareListing(manifest, directory: directory)
        console.out("listing: \(manifest.entries.count) files in the manifest" + lines(listing))
        let jobs = try parsed.integer("--jobs", in: 1...1024) ?? 0
        let base = try BaseNameCheck.parse(parsed.value("--base"))
        let progress = CheckProgress()
        let builder = ManifestBuilder(options: CheckOptions(concurrency: jobs, progress: progress))
        let result = console.withProgress(progress, quiet: parsed.has("--quiet")) {
            builder.verify(manifest, directory: directory, baseName: base)
        }
        console.out(TextNames.escaped(result.report).text)
        console.out("manifest: " + (result.comparison.matches
            ? "the copy is the one recorded (\(result.comparison.matched) files, sizes and hashes equal)"
            : "the copy differs from the one recorded" + lines(result.comparison)))
        return CheckCommand.status(for: result.report)
    }

    static func lines(_ comparison: ManifestComparison) -> String {
        comparison.findings.map { "\n  \($0.difference.rawValue) \(PathEncoding.displayed($0.name)): \($0.detail)" }.joined()
    }
}
