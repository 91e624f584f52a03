import ESEFormat

extension LogSetReport {
    /// A text report modelled on `eseutil /ml <base>` in verify mode.
    public var text: String {
        var lines = ["Verifying log files..."]
        lines.append("     Base name: \(baseName)")
        lines.append("     Directory: \(directory)")
        if let generations {
            lines.append("     Log generation range: 0x\(String(generations.lowerBound, radix: 16))-0x\(String(generations.upperBound, radix: 16))")
        }
        lines.append("")
        for error in errors { lines.append("ERROR: \(error.description)") }
        for file in files {
            let errorsFound = file.problems.filter { $0.severity == .error }
            let status: String
            if file.problems.contains(where: { $0.code == .tornWrite && $0.severity == .warning }) {
                status = "Log Damaged (PATCHABLE) -- soft recovery will fix this"
            } else if errorsFound.isEmpty {
                status = "OK"
            } else {
                status = "ERROR"
            }
            lines.append("      Log file: \(file.path) - \(status)")
            for problem in file.problems {
                let prefix = problem.severity == .error ? "ERROR" : "WARNING"
                lines.append("        \(prefix): \(problem.message)" + (problem.jetError.map { " [\($0)]" } ?? ""))
            }
        }
        for item in breaks {
            switch item.kind {
            case .gap:
                if let missing = item.missing {
                    let first = LogFileName.name(baseName: baseName, generation: missing.lowerBound)
                    if missing.count == 1 {
                        lines.append("Missing log file: \(first)")
                    } else {
                        let digits = { (g: Int32) in String(LogFileName.name(baseName: "", generation: g).dropLast(4)) }
                        lines.append("Missing log files: \(baseName){\(digits(missing.lowerBound)) - \(digits(missing.upperBound))}.log")
                    }
                }
            case .signature:
                lines.append("ERROR: Invalid log signature: \(item.file ?? "?") (\(item.found ?? "?")). Expected \(item.expected ?? "?")")
            case .prevGenTime:
                lines.append("ERROR: Invalid log sequence. Previous generation time is [\(item.found ?? "?")], but expected [\(item.expected ?? "?")] (\(item.file ?? "?"))")
            case .accumulatedChecksum:
                lines.append("ERROR: Invalid log sequence. Previous generation accumulated segment checksum is \(item.found ?? "?"), but expected \(item.expected ?? "?") (\(item.file ?? "?"))")
            }
        }
        if let checkpoint {
            if let header = checkpoint.selection?.header {
                lines.append("Checkpoint: \(header.checkpoint) (\(checkpoint.path))")
            }
            for problem in checkpoint.problems {
                lines.append("\(problem.severity == .error ? "ERROR" : "WARNING"): checkpoint: \(problem.message)")
            }
        }
        for item in auxiliary where item.state != .empty {
            let what = item.state == .staleLog ? "stale log holding generation \(item.generation ?? 0), not required"
                : "\(item.state.rawValue), not required"
            lines.append("Note: \(item.name.fileName): \(what)")
        }
        lines.append("")
        if let replayPlan { lines += replayPlan.textLines }
        if let logDump {
            if logDump.findings.isEmpty {
                lines.append("eseutil /ml would report no error.")
            } else {
                lines.append("eseutil /ml would report \(logDump.jetError):")
                for finding in logDump.findings { lines.append("  \(finding.file): \(finding.message)") }
            }
        }
        lines.append("")
        if isWhole && !files.contains(where: { $0.problems.contains { $0.severity == .error } }) {
            lines.append(hasWarnings ? "No damaged log files were found (warnings above)." : "No damaged log files were found.")
        } else {
            lines.append("The log set is not whole: see the errors above.")
        }
        return lines.map(PathEncoding.lineSafe).joined(separator: "\n")
    }
}
