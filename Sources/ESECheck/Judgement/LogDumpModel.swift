import ESEFormat

/// The walk of `eseutil /ml`, as a pure function of the log facts.
public enum LogDumpModel {
    /// Walks the logs as `eseutil /ml` does.
    public static func evaluate(_ logs: [RecoveryLog]) -> LogDumpReport {
        var report = LogDumpReport()
        let ordered = logs.filter { !$0.isCurrent }.sorted { ($0.nameGeneration ?? 0) < ($1.nameGeneration ?? 0) }
            + logs.filter(\.isCurrent)
        var reference: RecoveryLog?
        var compareNext = true
        func add(_ log: RecoveryLog, _ error: JetError, _ message: String) {
            report.findings.append(.init(file: log.fileName, jetError: error, message: message))
        }
        for log in ordered {
            guard let header = log.usableHeader else {
                // logdump.cxx:1345-1361: a file whose header cannot be read is not a reference.
                add(log, log.headerProblem?.jetError ?? .logFileCorrupt, "Log damaged (unusable): " + (log.headerProblem?.message ?? ""))
                compareNext = false
                continue
            }
            if let named = log.nameGeneration, named != header.generation {
                add(log, .logGenerationMismatch, "the name says generation \(named), the header \(header.generation)")  // logdump.cxx:685-696
                compareNext = false
                continue
            }
            var adjacencyFailed = false
            if let previous = reference?.usableHeader {
                if log.isCurrent, compareNext, header.generation != previous.generation &+ 1 {
                    // logdump.cxx:1086-1093
                    add(log, .missingLogFile, "Log file is generation \(header.generation), but expected generation is \(previous.generation &+ 1)")
                    adjacencyFailed = true
                } else if !log.isCurrent, header.generation > previous.generation &+ 1 {
                    // logdump.cxx:715-743: the first file after a gap is not compared.
                    add(log, .missingLogFile, "Missing log file(s): generations \(previous.generation &+ 1)-\(header.generation &- 1)")
                    reference = log
                    compareNext = true
                    continue
                } else if compareNext {
                    if header.previousGenerationTime != previous.createTime {
                        add(log, .invalidLogSequence, "the previous-generation time does not match \(reference?.fileName ?? "")")  // 1117-1128
                        adjacencyFailed = true
                    } else if header.previousGenerationAccumulatedChecksum != 0, let accumulated = reference?.accumulatedChecksum,
                              header.previousGenerationAccumulatedChecksum != accumulated {
                        add(log, .logSequenceChecksumMismatch, "the previous generation's accumulated segment checksum does not match")  // 1137-1147
                        adjacencyFailed = true
                    } else if header.logSignature != previous.logSignature {
                        add(log, .badLogSignature, "the log signature differs from \(reference?.fileName ?? "")")  // 1191-1200
                        adjacencyFailed = true
                    }
                }
            }
            if case .corrupt(_, let detail) = log.body {
                add(log, .logFileCorrupt, "Log damaged (unusable): \(detail)")
                adjacencyFailed = true
            }
            if adjacencyFailed {
                compareNext = false
            } else {
                reference = log
                compareNext = true
            }
        }
        return report
    }
}
