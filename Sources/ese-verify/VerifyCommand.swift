import ESECheck
import Foundation

/// `ese-verify verify`: a copy checked against the manifest recorded at backup time.
enum VerifyCommand {
    static let usage = """
        usage: ese-verify verify --manifest FILE [--json] [--base NAME] [--jobs N] [--quiet] DIR
               ese-verify verify --manifest FILE [options] FILE...
               ese-verify verify --manifest FILE [options] --tar ARCHIVE|-

        Is DIR the copy that was verified when the manifest was written? Checks the manifest's
        own checksum (a changed manifest is refused, exit status 3), lists missing, extra and
        resized files before reading any page, then runs the full check with every file's
        whole-file hash (XXH3-64 tree) computed in the same read and names the changed files. A copy that differs
        from its manifest is never restorable: a consistent or recoverable verdict becomes
        incomplete (manifestMismatch, JET -106). Exit status as `check`.

        FILE...: the copy of a manifest of files (`manifest --out M FILE...`), given by the
        same paths; a recorded path not given, or not there, is missing.
        --tar: the copy inside a tar archive (`-`: standard input), read once with nothing
        extracted, each member hashed as it streams past and compared with the manifest entry
        whose name ends its path (`E00/mailbox.edb` is `mailbox.edb` of a manifest of E00);
        the verdict of the storage group is the one `check --tar` gives.

          --manifest FILE  the manifest written by `ese-verify manifest` (required)
          --json       print one JSON object: the check's report (schema "ese-verify/1") with
                       a "manifest" object (isRecordedCopy, missing, extra, resized, changed)
          --tar ARCHIVE  the copy is the storage group inside this tar archive
        """

    /// Where the copy is.
    enum Copy {
        case directory(String)
        case files([String])
        case tar(String)
    }

    static func run(_ arguments: [String], console: Console) throws(Arguments.UsageError) -> ExitStatus {
        let parsed = try Arguments(arguments, flags: ["--quiet", "--json"], options: ["--manifest", "--base", "--jobs", "--tar"])
        let copy: Copy
        if let tar = parsed.value("--tar") {
            guard parsed.operands.isEmpty else { throw Arguments.UsageError(message: "--tar takes no other files") }
            copy = .tar(tar)
        } else if parsed.operands.count == 1, Console.isDirectory(parsed.operands[0]) {
            copy = .directory(parsed.operands[0])
        } else {
            guard !parsed.operands.isEmpty else { throw Arguments.UsageError(message: "verify needs a directory, files or --tar ARCHIVE") }
            copy = .files(parsed.operands)
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
        let json = parsed.has("--json")
        if !json {
            switch copy {
            case .directory(let directory):
                console.out("listing: \(manifest.entries.count) files in the manifest" + lines(ManifestBuilder.compareListing(manifest, directory: directory)))
            case .files(let files):
                console.out("listing: \(manifest.entries.count) files in the manifest" + lines(ManifestBuilder.compareListing(manifest, files: files)))
            case .tar:
                console.out("listing: \(manifest.entries.count) files in the manifest (the archive's members are compared as they pass)")
            }
        }
        let jobs = try parsed.integer("--jobs", in: 1...1024) ?? 0
        let base = try BaseNameCheck.parse(parsed.value("--base"))
        let progress = CheckProgress()
        let options = CheckOptions(concurrency: jobs, progress: progress)
        let outcome = console.withProgress(progress, quiet: parsed.has("--quiet") || json) {
            verify(manifest, copy: copy, options: options, baseName: base)
        }
        let result: ManifestVerification
        switch outcome {
        case .success(let value): result = value
        case .failure(let error): throw Arguments.UsageError(message: error.message)
        case nil:
            if case .tar(let archive) = copy { console.error("ese-verify verify: cannot open the archive \(PathEncoding.displayed(archive))") }
            return .unreadableInput
        }
        if json {
            console.out(result.json(path: path).serialized(pretty: true))
            return CheckCommand.status(for: result.report)
        }
        console.out(TextNames.escaped(result.report).text)
        console.out("manifest: " + (result.comparison.matches
            ? "the copy is the one recorded (\(result.comparison.matched) files, sizes and hashes equal)"
            : "the copy differs from the one recorded" + lines(result.comparison)))
        return CheckCommand.status(for: result.report)
    }

    /// Checks the copy against the manifest; nil when an archive cannot be opened.
    static func verify(_ manifest: BackupManifest, copy: Copy, options: CheckOptions, baseName: String?) -> Result<ManifestVerification, CheckError>? {
        switch copy {
        case .directory(let directory):
            return .success(ManifestBuilder(options: options).verify(manifest, directory: directory, baseName: baseName))
        case .files(let files):
            return Result { () throws(CheckError) in try ManifestBuilder(options: options).verify(manifest, files: files, baseName: baseName) }
        case .tar(let archive):
            return TarInput.verify(manifest, archive, checker: TarChecker(options: options), baseName: baseName).map { .success($0) }
        }
    }

    static func lines(_ comparison: ManifestComparison) -> String {
        comparison.findings.map { "\n  \($0.difference.rawValue) \(PathEncoding.displayed($0.name)): \($0.detail)" }.joined()
    }
}
