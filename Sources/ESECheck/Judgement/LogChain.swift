import ESEFormat

/// The checks between log files: one signature, no missing generation, each generation
/// chained to its predecessor by creation time and (v8) accumulated segment checksum, one
/// file size, and a checkpoint that belongs to the set and points at a present log.
/// ESE: `ErrDUMPLog` / `ErrLGDumpLog` (eseutil /ml), next-generation checks in `logredo.cxx`.
enum LogChain {
    static func link(_ report: inout LogSetReport) {
        report.files.sort { order($0) < order($1) }
        let signature = setSignature(report)
        report.signature = signature
        markStrays(&report)

        // Logs from another sequence do not belong to the chain.
        for index in report.files.indices where !isStray(report.files[index]) {
            guard let header = report.files[index].header, let signature, header.logSignature != signature else { continue }
            report.files[index].problems.append(LogProblem(
                "foreignSignature", .error, .badLogSignature,
                "the log belongs to another sequence (signature \(header.logSignature.random), the set's is \(signature.random))"))
        }
        checkSizes(&report)
        linkGenerations(&report, signature: signature)
        checkCheckpoint(&report, signature: signature)
    }

    /// Archived generations by name, the current log last.
    static func order(_ file: LogFileReport) -> (Int, Int64) {
        if file.isCurrent { return (1, Int64(file.header?.generation ?? Int32.max)) }
        return (0, Int64(file.name.generation ?? Int32.max))
    }

    /// The current log's signature (ESE anchors the set on it, logstream.cxx:567), else the
    /// checkpoint's, else the most common.
    static func setSignature(_ report: LogSetReport) -> Signature? {
        if let current = report.files.first(where: \.isCurrent)?.header { return current.logSignature }
        if let signature = report.checkpoint?.selection?.header.logSignature { return signature }
        var counts: [Signature: Int] = [:]
        for file in report.files { if let header = file.header { counts[header.logSignature, default: 0] += 1 } }
        return counts.max { $0.value < $1.value }?.key
    }

    /// Archived logs above the current log's generation: recovery never opens them
    /// (logredo.cxx:4206-4236 stops at the current log). A warning, never a break.
    static func markStrays(_ report: inout LogSetReport) {
        guard let current = report.files.first(where: \.isCurrent)?.header?.generation else { return }
        for index in report.files.indices {
            let file = report.files[index]
            guard !file.isCurrent, let generation = file.name.generation, generation > current else { continue }
            report.files[index].problems.append(LogProblem(
                "strayLog", .warning, nil,
                "generation \(generation) (0x\(String(generation, radix: 16))) is above the current log's \(current) (0x\(String(current, radix: 16))): recovery never opens it"))
        }
    }

    /// Whether the file was marked as a stray above the current log.
    static func isStray(_ file: LogFileReport) -> Bool { file.problems.contains { $0.code == .strayLog } }

    static func isMember(_ file: LogFileReport, _ signature: Signature?) -> Bool {
        guard let header = file.header else { return false }
        return signature == nil || header.logSignature == signature
    }

    static func linkGenerations(_ report: inout LogSetReport, signature: Signature?) {
        var previous: (index: Int, generation: Int32)?
        var highestVersion: (UInt32, UInt32, UInt32)?
        for index in report.files.indices {
            let file = report.files[index]
            guard let generation = file.sequencePosition, !isStray(file) else { continue }
            if file.header != nil, !isMember(file, signature) {
                report.breaks.append(LogBreak(after: previous?.generation ?? generation &- 1, kind: .signature, missing: nil,
                                              file: file.name.fileName, expected: signature.map { "signature \($0.random)" },
                                              found: file.header.map { "signature \($0.logSignature.random)" }))
                previous = (index, generation)
                continue
            }
            if let header = file.header {
                let version = (header.majorVersion, header.updateMajor, header.updateMinor)
                if let highest = highestVersion, version < highest {
                    report.files[index].problems.append(LogProblem(
                        "versionWalkedBackwards", .warning, nil,
                        "log version \(header.versionText) is older than an earlier generation's"))
                }
                if highestVersion.map({ $0 < version }) ?? true { highestVersion = version }
            }
            defer { previous = (index, generation) }
            guard let before = previous else { continue }
            if generation <= before.generation {
                report.files[index].problems.append(LogProblem(
                    "generationOrder", .error, .missingLogFile,
                    "generation \(generation) is not after the previous file's \(before.generation)"))
                continue
            }
            if Int64(generation) > Int64(before.generation) + 1 {
                report.breaks.append(LogBreak(after: before.generation, kind: .gap,
                                              missing: (before.generation + 1)...(generation - 1), file: file.name.fileName))
                continue
            }
            let prior = report.files[before.index]
            guard let header = file.header, let priorHeader = prior.header, isMember(prior, signature) else { continue }
            if header.previousGenerationTime != priorHeader.createTime {
                report.breaks.append(LogBreak(after: before.generation, kind: .prevGenTime, missing: nil, file: file.name.fileName,
                                              expected: "\(priorHeader.createTime)", found: "\(header.previousGenerationTime)"))
            }
            let recorded = header.previousGenerationAccumulatedChecksum
            if header.bodyFormat == .v8, priorHeader.bodyFormat == .v8, recorded != 0,
               let body = prior.body, body.damage == nil, body.accumulatedChecksum != recorded {
                report.breaks.append(LogBreak(after: before.generation, kind: .accumulatedChecksum, missing: nil, file: file.name.fileName,
                                              expected: XEChecksum(rawValue: body.accumulatedChecksum).description,
                                              found: XEChecksum(rawValue: recorded).description))
            }
        }
    }

    /// All logs used together must have one sector size and file size. ESE: −541.
    static func checkSizes(_ report: inout LogSetReport) {
        var counts: [Int: Int] = [:]
        for file in report.files { if let header = file.header { counts[header.declaredFileSize, default: 0] += 1 } }
        guard counts.count > 1, let common = counts.max(by: { $0.value < $1.value })?.key else { return }
        for index in report.files.indices {
            guard let header = report.files[index].header, header.declaredFileSize != common else { continue }
            report.files[index].problems.append(LogProblem(
                "setSizeMismatch", .error, .logFileSizeMismatch,
                "the log declares \(header.declaredFileSize) bytes; the other logs of the set declare \(common)"))
        }
    }

    static func checkCheckpoint(_ report: inout LogSetReport, signature: Signature?) {
        guard var checkpoint = report.checkpoint, let selection = checkpoint.selection else { return }
        let header = selection.header
        if let current = report.files.first(where: \.isCurrent)?.header, current.logSignature != header.logSignature {
            // ESE ignores a checkpoint of another sequence and starts from the lowest log
            // (logredo.cxx:15178-15180): a warning, not a defect of the set.
            checkpoint.problems.append(LogProblem(
                "checkpointSignature", .warning, .badCheckpointSignature,
                "the checkpoint's log signature (\(header.logSignature.random)) differs from the current log's (\(current.logSignature.random)): recovery ignores the checkpoint"))
            report.checkpoint = checkpoint
            return
        }
        let generation = header.checkpoint.generation
        if generation > 0, !report.files.isEmpty, report.file(generation: generation) == nil {
            checkpoint.problems.append(LogProblem(
                "checkpointLogMissing", .error, .missingLogFile,
                "the log holding the checkpoint, generation \(generation) (0x\(String(generation, radix: 16))), is missing"))
        }
        report.checkpoint = checkpoint
    }
}
