import ESEFormat

extension LogSetChecker {
    /// Checks a log set whose files the caller holds in memory (read from a tar stream), by
    /// file name, exactly as `check(directory:)` checks the same files on disk: the same
    /// selection of the set (`LogDirectory.select`), the same examination of each log, the
    /// checkpoint and reserve logs, the same chain. `directory` names the set in reports.
    public func check(files: [String: [UInt8]], directory: String, baseName: String? = nil) -> LogSetReport {
        let listing: LogDirectory
        do {
            listing = try LogDirectory.select(Array(files.keys).sorted(), in: directory, baseName: baseName)
        } catch {
            var report = LogSetReport(directory: directory, baseName: baseName ?? "")
            report.errors.append(error)
            return report
        }
        var report = LogSetReport(directory: listing.path, baseName: listing.baseName)
        let walkRecords = options.walkLogRecords
        // The checkpoint first, as `check(_:)` does: its generation tells which logs' page
        // references the one walk keeps (`pageCollection`).
        if let checkpoint = listing.checkpoint {
            report.checkpoint = CheckpointExaminer.examine(bytes: Array((files[checkpoint.fileName] ?? []).prefix(2 * CheckpointHeader.size)),
                                                           path: listing.path(of: checkpoint))
        }
        let collection = pageCollection.map { collection in
            var collection = collection
            collection.lowestGeneration = report.checkpoint?.checkpoint?.generation
            return collection
        }
        report.files = ParallelWork.map(listing.logs, width: options.concurrency, makeState: { () }) { name, _ in
            LogFileExaminer.examine(buffer: files[name.fileName] ?? [], path: listing.path(of: name), name: name, walkRecords: walkRecords,
                                    collectingPagesUpTo: collection.flatMap { $0.includes(name) ? $0.highestPage : nil })
        }
        report.auxiliary = listing.auxiliary.map { name in
            let bytes = files[name.fileName] ?? []
            return AuxiliaryExaminer.examine(head: bytes, path: listing.path(of: name), name: name, fileSize: UInt64(bytes.count))
        }
        Self.complete(&report)
        return report
    }
}

extension LogFileExaminer {
    /// One log from its bytes: the checks of `examine(path:)` (size, header, body) without a file.
    /// With `collectingPagesUpTo`, the walk keeps the references to pages numbered at most that.
    static func examine(buffer: [UInt8], path: String, name: LogFileName, walkRecords: Bool,
                        collectingPagesUpTo highestPage: UInt32? = nil) -> LogFileReport {
        var report = LogFileReport(path: path, name: name, fileSize: UInt64(buffer.count))
        guard buffer.count >= LogFileHeader.size else {
            let what = buffer.isEmpty ? "the file is empty" : "the file is \(buffer.count) bytes, shorter than a log header (4096)"
            report.problems.append(LogProblem(buffer.isEmpty ? "emptyFile" : "tooShort", .error, .logFileCorrupt, what))
            return report
        }
        let header = buffer.span.bytes.extracting(0..<LogFileHeader.size)
        let declared = LogFileHeader.validated(header).map { max(LogFileHeader.size, $0.declaredFileSize) } ?? LogFileHeader.size
        let count = min(buffer.count, LogSetChecker.maximumLogBytes, declared)
        examine(buffer.span.bytes.extracting(0..<count), into: &report, walkRecords: walkRecords, collectingPagesUpTo: highestPage)
        return report
    }
}
