extension HeaderDump {
    /// eseutil's text.
    public var text: String {
        var lines: [String] = []
        switch kind {
        case .database: lines += ["", "Initiating FILE DUMP mode...", "         Database: \(PathEncoding.displayed(path))", "", "DATABASE HEADER:"]
        case .log: lines += ["", "Initiating FILE DUMP mode...", "      Log file: \(PathEncoding.displayed(path))"]
        case .checkpoint: lines += ["", "Initiating FILE DUMP mode...", "      Checkpoint file: \(PathEncoding.displayed(path))", ""]
        }
        for entry in entries {
            if entry.isSection {
                lines.append("")
                lines.append(entry.label + ":")
            } else if entry.label.isEmpty {
                lines.append(entry.value)
            } else {
                lines.append(entry.label + ": " + entry.value)
            }
        }
        for warning in warnings { lines.append("WARNING: \(warning)") }
        return lines.map(PathEncoding.lineSafe).joined(separator: "\n")
    }
}
