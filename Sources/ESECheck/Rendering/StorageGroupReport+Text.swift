import ESEFormat

extension StorageGroupReport {
    /// A text report: each database's header facts, pages and verdict with reasons; the logs;
    /// the overall result.
    public var text: String {
        var lines: [String] = []
        for database in databases {
            let report = database.report
            lines.append("Database: \(report.path)")
            if let header = report.header {
                lines.append("  State: \(header.state.eseutilName)  Log Required: \(header.minimumRequiredGeneration)-\(header.maximumRequiredGeneration)"
                             + " (0x\(String(header.minimumRequiredGeneration, radix: 16))-0x\(String(header.maximumRequiredGeneration, radix: 16)))"
                             + "  Page size: \(report.pageSize ?? 0)")
                let pages = report.pages
                if !backupType.checksPages {
                    lines.append("  Pages: not checked (an \(backupType.rawValue) backup holds logs only)")
                } else {
                lines.append("  Pages: \(database.coverage.seenCount) of \(database.coverage.pageCount) checked: \(pages.ok) ok,"
                             + " \(pages.uninitialized) uninitialized, \(pages.correctable) correctable, \(pages.badChecksum) bad,"
                             + " \(pages.wrongPageNumber) wrong page number"
                             + (pages.structureDamaged > 0 ? ", \(pages.structureDamaged) damaged structure" : ""))
                if let summary = report.structure?.textLines.first { lines.append("  " + summary) }
                if let summary = report.flushMap?.textLines.first { lines.append("  " + summary) }
                }
            }
            if let pageTimes = database.pageTimes { lines.append("  " + pageTimes.text) }
            if !report.scope.isComplete { lines.append("  " + report.scope.textLine) }
            if let resumed = report.resumed { lines.append("  " + resumed.textLine) }
            lines.append("  Verdict: \(database.verdict.rawValue)" + (database.jetError == .success ? "" : " [\(database.jetError)]"))
            for reason in database.reasons {
                lines.append("    \(reason.isWarning ? "warning" : "-") \(reason.message)")
            }
        }
        for problem in problems { lines.append("Problem: \(problem.message)") }
        if !scope.isComplete { lines.append(scope.textLine) }
        if let logs {
            if let set = logs.report {
                let range = set.generations.map { "0x\(String($0.lowerBound, radix: 16))-0x\(String($0.upperBound, radix: 16))" } ?? "none"
                lines.append("Logs: \(set.baseName) in \(set.directory): generations \(range), \(set.isWhole ? "whole" : "NOT whole")")
                for error in set.errors { lines.append("  - \(error.message)") }
                for file in set.files where !file.problems.isEmpty {
                    for problem in file.problems { lines.append("  \(problem.severity == .error ? "-" : "warning") \(file.name.fileName): \(problem.message)") }
                }
                for item in set.breaks {
                    let missing = item.missing.map { " (missing 0x\(String($0.lowerBound, radix: 16))-0x\(String($0.upperBound, radix: 16)))" } ?? ""
                    lines.append("  - \(item.kind.rawValue) after generation 0x\(String(item.after, radix: 16))\(missing)")
                }
            } else {
                lines.append("Logs: none given")
            }
            if let required = logs.requiredGenerations {
                lines.append("  Required by the databases: \(required.lowerBound)-\(required.upperBound)"
                             + " (0x\(String(required.lowerBound, radix: 16))-0x\(String(required.upperBound, radix: 16)))")
            }
            if logs.onlyUnnecessaryLogsCorrupt { lines.append("  Only logs older than the earliest needed are damaged.") }
            if let circular = logs.report?.circularLogging, circular.isOn || circular.wasEverOn {
                lines.append("  Circular logging: \(circular.isOn ? "on" : "was on")")
            }
            if let set = logs.report {
                let temporary = set.temporaryLogs.map { "\($0.name.fileName) (\($0.state.rawValue))" }
                let reserve = set.reserveLogs.map { "\($0.name.fileName) (\($0.state.rawValue))" }
                lines.append("  Temporary log: \(temporary.isEmpty ? "absent" : temporary.joined(separator: ", ")); reserve logs: "
                             + (reserve.isEmpty ? "absent" : reserve.joined(separator: ", ")) + " (never required)")
            }
        }
        if let plan = replayPlan, backupType.checksPages { lines += plan.textLines }
        for remedy in remedies { lines.append("Remedy: \(remedy.message)") }
        for path in skippedFiles { lines.append("Skipped (not a database or log-set file): \(path)") }
        lines.append("")
        lines.append("Backup type: \(backupType.rawValue)")
        if let truncateBelow {
            lines.append("After this backup succeeds, log generations below \(truncateBelow) (0x\(String(truncateBelow, radix: 16))) may be deleted.")
        }
        lines.append("Result: \(verdict.rawValue) (JET \(jetError.code)\(jetError == .success ? "" : " \(jetError.name)"))")
        return lines.map(PathEncoding.lineSafe).joined(separator: "\n")
    }
}
