import ESEFormat

/// Verifies a log set: every log's header and body (v7 and v8), the checkpoint, and the
/// chain between generations — one signature, `tmPrevGen` linking each generation to its
/// predecessor, the v8 accumulated segment checksum, no missing generation.
/// The equivalent of `eseutil /ml <base>` in verify mode.
public struct LogSetChecker: Sendable {
    /// How to read and how many threads to use.
    public var options: CheckOptions

    /// The largest log file read: 65535 sectors of 4 KiB.
    static let maximumLogBytes = 65535 * 4096

    /// Creates a checker.
    public init(options: CheckOptions = CheckOptions()) { self.options = options }

    /// Which page references the one walk of the records keeps for redo's database-time check
    /// (`PageTimeExpectations.build`), so that no log is read or walked twice: pages numbered
    /// at most `highestPage`, from the logs the replay can include — the checkpoint's
    /// generation and above when the checkpoint is valid (recovery starts there when it uses
    /// it), else every log. Nil (the default, and `logs`): none.
    struct PageCollection: Sendable {
        /// The largest database's data pages: no page past it is ever compared.
        var highestPage: UInt32
        /// The lowest generation collected (nil: every log); the current log always is.
        var lowestGeneration: Int32?

        /// Whether the walk of the log `name` keeps its page references.
        func includes(_ name: LogFileName) -> Bool {
            guard let lowestGeneration, let generation = name.generation else { return true }
            return generation >= lowestGeneration
        }
    }

    /// The page references to keep (set by `CheckSession.checkLogs`); nil keeps none.
    var pageCollection: PageCollection?

    /// Checks the log set with `baseName` (or the only set) in `directory`.
    public func check(directory: String, baseName: String? = nil) -> LogSetReport {
        let listing: LogDirectory
        do {
            listing = try LogDirectory.scan(directory, baseName: baseName)
        } catch {
            var report = LogSetReport(directory: directory, baseName: baseName ?? "")
            report.errors.append(error)
            return report
        }
        return check(listing)
    }

    /// Checks the files of an already-listed log set.
    public func check(_ listing: LogDirectory) -> LogSetReport {
        var report = LogSetReport(directory: listing.path, baseName: listing.baseName)
        let paths = listing.logs.map { (listing.path(of: $0), $0) }
        // Sizes from the directory entries: a file that cannot be stat'ed is planned as empty
        // and reported by its examination.
        options.progress?.plan(bytes: paths.reduce(0) { total, item in
            total + Int(clamping: (try? SystemCalls.status(ofPath: item.0).size) ?? 0)
        }, files: paths.count)
        let progress = options.progress
        let walkRecords = options.walkLogRecords
        // The checkpoint first: its generation tells which logs' page references to keep.
        if let checkpoint = listing.checkpoint {
            report.checkpoint = CheckpointExaminer.examine(path: listing.path(of: checkpoint))
        }
        let collection = pageCollection.map { collection in
            var collection = collection
            collection.lowestGeneration = report.checkpoint?.checkpoint?.generation
            return collection
        }
        report.files = ParallelWork.map(paths, width: options.concurrency,
                                        makeState: { WindowReader(method: .positional) }) { item, reader in
            let pages = collection.flatMap { $0.includes(item.1) ? $0.highestPage : nil }
            let result = LogFileExaminer.examine(path: item.0, name: item.1, reader: &reader, walkRecords: walkRecords,
                                                 collectingPagesUpTo: pages)
            progress?.advance(bytes: Int(result.fileSize))
            progress?.finishFile()
            return result
        }
        report.auxiliary = listing.auxiliary.map { AuxiliaryExaminer.examine(path: listing.path(of: $0), name: $0) }
        Self.complete(&report)
        return report
    }

    /// The set-level part, once every file is examined: the chain, the replay plan as is,
    /// and what `eseutil /ml` would report.
    static func complete(_ report: inout LogSetReport) {
        LogChain.link(&report)
        var facts = RecoveryInput(logSet: report, logsGiven: true, databases: [], backupType: .full)
        facts.databasesGiven = false
        report.replayPlan = RecoveryModel.evaluateAsIs(facts).plan
        report.logDump = LogDumpModel.evaluate(facts.logs)
    }
}

/// Reads and checks one log file on its own: header, header fields, size, body.
enum LogFileExaminer {
    /// Examines the log at `path`; with `walkRecords` its records too, keeping the references to
    /// pages numbered at most `collectingPagesUpTo` when it is given.
    static func examine(path: String, name: LogFileName, reader: inout WindowReader, walkRecords: Bool = false,
                        collectingPagesUpTo highestPage: UInt32? = nil) -> LogFileReport {
        var report = LogFileReport(path: path, name: name, fileSize: 0)
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            report.problems.append(LogProblem("unreadable", .error, .missingLogFile, error.message))
            return report
        }
        report.fileSize = file.size
        guard file.size >= UInt64(LogFileHeader.size) else {
            let what = file.size == 0 ? "the file is empty" : "the file is \(file.size) bytes, shorter than a log header (4096)"
            report.problems.append(LogProblem(file.size == 0 ? "emptyFile" : "tooShort", .error, .logFileCorrupt, what))
            return report
        }
        // The buffer holds what the body scan uses: the size the header declares, never more
        // than the file or the largest log ESE writes, and only the header when it is bad.
        let declared: Int
        do {
            declared = try reader.withBytes(of: file, at: 0, count: LogFileHeader.size) { bytes in
                guard let header = LogFileHeader.validated(bytes) else { return LogFileHeader.size }
                return max(LogFileHeader.size, header.declaredFileSize)
            }
        } catch {
            report.problems.append(LogProblem("readFailed", .error, .diskIO, "cannot read: \(error)"))
            return report
        }
        let readBytes = Int(min(file.size, UInt64(LogSetChecker.maximumLogBytes), UInt64(declared)))
        do {
            try reader.withBytes(of: file, at: 0, count: readBytes) { bytes in
                examine(bytes, into: &report, walkRecords: walkRecords, collectingPagesUpTo: highestPage)
            }
        } catch {
            report.problems.append(LogProblem("readFailed", .error, .diskIO, "cannot read: \(error)"))
        }
        return report
    }

    static func examine(_ bytes: RawSpan, into report: inout LogFileReport, walkRecords: Bool = false,
                        collectingPagesUpTo highestPage: UInt32? = nil) {
        let headerBytes = bytes.extracting(0..<LogFileHeader.size)
        guard let header = LogFileHeader.validated(headerBytes) else {
            let stored = LegacyChecksum.stored(headerBytes), computed = LegacyChecksum.compute(headerBytes)
            let blank = headerBytes.isAllZero()
            report.problems.append(LogProblem(
                "headerChecksum", .error, .logFileCorrupt,
                blank ? "the header is all zero (not a log, or never written)"
                    : "the header checksum is bad (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)))"))
            return
        }
        report.header = header
        for (error, message) in header.fieldProblems {
            report.problems.append(LogProblem("headerField", .error, error, message))
        }
        if let named = report.name.generation, named != header.generation {
            report.problems.append(LogProblem(
                "generationMismatch", .error, .logGenerationMismatch,
                "the name says generation \(named) (0x\(String(named, radix: 16))) but the header says \(header.generation) (0x\(String(header.generation, radix: 16)))"))
        }
        guard !report.problems.contains(where: { $0.code == .headerField }) else { return }
        let declared = header.declaredFileSize
        if Int(report.fileSize) != declared {
            report.problems.append(LogProblem(
                "sizeMismatch", .error, .logFileSizeMismatch,
                "the file is \(report.fileSize) bytes but the header declares \(header.fileSectors) sectors of \(header.sectorSize) (\(declared) bytes)"))
        }
        let body = bytes.extracting(0..<min(bytes.byteCount, declared))
        let scan = header.scanBody(body)
        report.body = scan
        for correction in scan.corrections {
            report.problems.append(LogProblem("correctedBit", .warning, nil,
                                              "segment \(correction.sector): a single flipped bit (\(correction.bit)) is corrected by its ECC",
                                              sector: correction.sector))
        }
        if let torn = scan.tornWriteSector {
            // Soft recovery repairs a torn write with a valid shadow in any generation
            // (logread.cxx:1560-1678); only a hard restore refuses it in archived logs (−570/−571).
            report.problems.append(LogProblem(
                "tornWrite", .warning, nil,
                "torn write at sector \(torn), patchable from its shadow copy: soft recovery repairs it"
                    + (report.isCurrent ? "" : " (a hard restore of a backup set would refuse it, -570/-571)"), sector: torn))
        }
        if let damage = scan.damage {
            report.problems.append(LogProblem(
                "bodyDamaged", .error, .logFileCorrupt,
                "log damaged (\(damage.reason.rawValue)) at sector \(damage.sector) (offset \(damage.fileOffset)); last good data ends at \(scan.endOfData)",
                sector: damage.sector))
        }
        guard walkRecords else { return }
        // The records of the valid data, as ESE's reader checks them (eseutil /ml; recovery from the checkpoint on).
        let walk = LogRecordWalker.walk(body, header: header, scan: scan, collectingPages: highestPage != nil,
                                        upTo: highestPage ?? .max)
        report.records = walk
        if let invalid = walk.firstInvalid {
            report.problems.append(LogProblem(
                "invalidRecord", .error, invalid.jetError,
                "invalid log record (\(invalid.reason.rawValue)): type \(invalid.type.name) at \(invalid.position), sector \(invalid.sector), offset \(invalid.fileOffset)"
                    + " (a hard restore reports -573 in the backup set, -574 past it)",
                sector: invalid.sector))
        }
    }
}

/// Temporary and reserve logs: recognised, described, never required.
enum AuxiliaryExaminer {
    static func examine(path: String, name: LogFileName) -> AuxiliaryLogFile {
        guard let file = try? ReadOnlyFile(path: path) else {
            return AuxiliaryLogFile(path: path, name: name, fileSize: 0, state: .unreadable)
        }
        guard let head = try? file.readBytes(at: 0, count: LogFileHeader.size) else {
            return AuxiliaryLogFile(path: path, name: name, fileSize: file.size, state: .unreadable)
        }
        return examine(head: head, path: path, name: name, fileSize: file.size)
    }

    /// The same from the file's first bytes (at most a log header's worth is used).
    static func examine(head: [UInt8], path: String, name: LogFileName, fileSize: UInt64) -> AuxiliaryLogFile {
        let head = Array(head.prefix(LogFileHeader.size))
        var state = AuxiliaryLogFile.State.unrecognised
        var generation: Int32?
        if head.isAllZero || LogExtendPattern.matches(head.span.bytes) {
            state = .empty
        } else if head.count == LogFileHeader.size, let header = LogFileHeader.validated(head.span.bytes) {
            state = .staleLog
            generation = header.generation
        }
        return AuxiliaryLogFile(path: path, name: name, fileSize: fileSize, state: state, generation: generation)
    }
}

/// The checkpoint file: both copies, checksum, file type.
enum CheckpointExaminer {
    static func examine(path: String) -> CheckpointReport {
        var report = CheckpointReport(path: path)
        let bytes: [UInt8]
        do {
            let file = try ReadOnlyFile(path: path)
            bytes = try file.readBytes(at: 0, count: 2 * CheckpointHeader.size)
        } catch let error as CheckError {
            report.problems.append(LogProblem("unreadable", .error, .checkpointFileNotFound, error.message))
            return report
        } catch {
            report.problems.append(LogProblem("unreadable", .error, .diskIO, "\(error)"))
            return report
        }
        return examine(bytes: bytes, path: path)
    }

    /// The same from the file's bytes (both copies are in the first 8 KiB).
    static func examine(bytes: [UInt8], path: String) -> CheckpointReport {
        var report = CheckpointReport(path: path)
        guard let selection = CheckpointSelection.select(from: bytes.span.bytes) else {
            report.problems.append(LogProblem("checkpointCorrupt", .error, .checkpointCorrupt,
                                              "neither copy of the checkpoint has a valid checksum"))
            return report
        }
        report.selection = selection
        if !selection.primaryValid {
            report.problems.append(LogProblem("primaryCopyBad", .warning, nil, "the first checkpoint copy is bad; the second was used"))
        } else if !selection.shadowValid {
            report.problems.append(LogProblem("shadowCopyBad", .warning, nil, "the second checkpoint copy is bad or missing"))
        } else if !selection.copiesIdentical {
            report.problems.append(LogProblem("copiesDiffer", .warning, nil, "the two checkpoint copies are valid but differ"))
        }
        return report
    }
}
