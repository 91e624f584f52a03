import ESEFormat
import Foundation

/// What storage group to write: databases sharing one log sequence, its checkpoint, and the
/// temporary and reserve logs, with headers consistent with each other.
public struct StorageGroupSpec: Hashable, Sendable {
    /// One database of the group.
    public struct Database: Hashable, Sendable {
        /// File name (for example `mailbox01.edb`).
        public var name: String
        /// Page size in bytes.
        public var pageSize: Int
        /// Logical data pages.
        public var pageCount: Int
        /// Fraction of pages in use.
        public var usedFraction: Double = 0.75
        /// Old-format page checksums.
        public var legacyChecksums = false
        /// Write a flush map (`<db>.jfm`) beside the database.
        public var flushMap = false

        /// Creates a database description.
        public init(name: String, pageSize: Int, pageCount: Int, usedFraction: Double = 0.75, legacyChecksums: Bool = false) {
            self.name = name
            self.pageSize = pageSize
            self.pageCount = pageCount
            self.usedFraction = usedFraction
            self.legacyChecksums = legacyChecksums
        }
    }

    /// The log base name.
    public var baseName = "E00"
    /// The databases.
    public var databases: [Database]
    /// Log body format.
    public var logFormat: LogBodyFormat = .v8
    /// The first generation present.
    public var firstGeneration: Int32 = 1
    /// Generations written; the last is the current log `<base>.log`.
    public var generations = 8
    /// Log file size in sectors (v8: 4 KiB sectors; v7: 512-byte sectors).
    public var logFileSectors = 64
    /// Whether the databases are in dirty shutdown (needing the logs) rather than clean.
    public var dirty = false
    /// Circular logging on.
    public var circularLogging = false
    /// A previous full backup recorded in the headers (its generation range).
    public var previousFullBackup: ClosedRange<Int32>?
    /// Archived log names with 8 hex digits instead of 5.
    public var eightDigitNames = false
    /// Reserve logs to write.
    public var reserveLogs = 2
    /// Seed for all contents.
    public var seed: UInt64 = 1
    /// Whether the bulk page records of the replay span (the generations from the checkpoint
    /// on, in a dirty group with v8 logs) change real in-use pages of the databases, with the
    /// database times redo expects of the pages as written (`PageReferenceTimeline`), so that
    /// redo's database-time check compares thousands of pages and passes. Off: they name
    /// pages past the end of every database (`LogRecordFiller.bulkPage`) and the output is
    /// unchanged. Ignored for clean groups and v7 logs.
    public var realPageReferences = false

    /// Creates a spec.
    public init(databases: [Database]) { self.databases = databases }

    /// The last (current) generation.
    public var lastGeneration: Int32 { firstGeneration + Int32(max(1, generations)) - 1 }

    /// The generations a dirty database requires: the two before the current log (or fewer).
    public var requiredGenerations: ClosedRange<Int32> {
        let high = max(firstGeneration, lastGeneration - 1)
        let low = max(firstGeneration, high - 1)
        return low...high
    }

    /// Where the checkpoint points: the lowest required generation (dirty) or the current log (clean).
    public var checkpointGeneration: Int32 { dirty ? requiredGenerations.lowerBound : lastGeneration }

    /// Total bytes of the databases.
    public var databaseBytes: UInt64 {
        databases.reduce(0) { $0 + UInt64($1.pageCount + 2) * UInt64($1.pageSize) }
    }
}

/// The files of a written storage group.
public struct StorageGroupFiles: Hashable, Sendable {
    /// The directory.
    public var directory: String
    /// Database paths, in spec order.
    public var databases: [String]
    /// Log paths by generation (the last is `<base>.log`).
    public var logs: [Int32: String]
    /// The checkpoint path.
    public var checkpoint: String
    /// Temporary and reserve log paths.
    public var auxiliary: [String]

    /// The path of generation `generation`.
    public func log(_ generation: Int32) -> String? { logs[generation] }
}

/// Writes storage groups.
public enum StorageGroupWriter {
    /// The log sequence's signature for a seed.
    public static func logSignature(seed: UInt64) -> Signature {
        var random = DeterministicRandom(seed: seed ^ 0x51_6E)
        return Signature(random: UInt32(truncatingIfNeeded: random.next()), creationTime: startTime(seed: seed))
    }

    static func startTime(seed: UInt64) -> LogTime {
        LogTime(secondsSince1970: 1_767_225_600 + Int64(seed % 1000) * 3600)  // 2026-01-01 onwards
    }

    /// The creation time of generation `generation`.
    public static func createTime(_ generation: Int32, seed: UInt64) -> LogTime {
        LogTime(secondsSince1970: 1_767_225_600 + Int64(seed % 1000) * 3600 + Int64(generation) * 61,
                millisecond: Int(generation % 1000))
    }

    /// Writes the group into `directory` (created if needed); `progress` receives bytes written.
    @discardableResult
    public static func write(_ spec: StorageGroupSpec, to directory: String, threads: Int = 1,
                             progress: (@Sendable (Int) -> Void)? = nil) throws(FileOutput.Failure) -> StorageGroupFiles {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FileOutput.Failure(path: directory, message: "cannot create the directory: \(error.localizedDescription)")
        }
        let signature = logSignature(seed: spec.seed)
        var files = StorageGroupFiles(directory: directory, databases: [], logs: [:], checkpoint: "", auxiliary: [])
        let records = recordPlan(spec, logSignature: signature)
        for (index, database) in spec.databases.enumerated() {
            let path = directory + "/" + database.name
            var header = databaseHeader(spec, database, signature: records.attachments[index].signature, logSignature: signature)
            header.attachPosition = records.attachments[index].attachPosition
            if !spec.dirty, let detach = records.detachPositions[index] {
                // A clean detach writes the DetachDB record's lgpos as le_lgposConsistent (db.cxx:5617, 5752-5762).
                header.consistentPosition = detach
                header.detachPosition = detach
            }
            let databaseSpec = DatabaseSpec(header: header, pageCount: database.pageCount, usedFraction: database.usedFraction,
                                            legacyChecksums: database.legacyChecksums, seed: databaseSeed(spec, index: index),
                                            flushMap: database.flushMap)
            try DatabaseWriter.write(databaseSpec, to: path, threads: threads, progress: progress)
            files.databases.append(path)
            if database.flushMap { files.auxiliary.append(FlushMapWriter.path(forDatabase: path)) }
        }
        var previousAccumulated: UInt64 = 0
        var timeline = spec.realPageReferences && spec.dirty && spec.logFormat == .v8 ? PageReferenceTimeline(spec) : nil
        for generation in spec.firstGeneration...spec.lastGeneration {
            let isCurrent = generation == spec.lastGeneration
            let header = logHeader(spec, generation: generation, signature: signature, previousAccumulated: previousAccumulated,
                                   attachments: records.attachments)
            let file = logFile(spec, header: header, records: records) { segment in
                if generation >= spec.checkpointGeneration { timeline?.rewrite(segment: segment) }
            }
            previousAccumulated = file.accumulatedChecksum
            let bytes = file.bytes
            let name = isCurrent ? spec.baseName + ".log"
                : LogFileName.name(baseName: spec.baseName, generation: generation, digits: spec.eightDigitNames ? 8 : nil)
            let path = directory + "/" + name
            let output = try FileOutput(creating: path)
            try output.write(bytes)
            output.close()
            progress?(bytes.count)
            files.logs[generation] = path
        }
        // A clean shutdown writes the checkpoint at the Term record (logredo.cxx:15049-15085).
        let checkpointPosition = !spec.dirty ? records.termination ?? LogPosition(generation: spec.checkpointGeneration, sector: 1, byteOffset: 0)
            : LogPosition(generation: spec.checkpointGeneration, sector: 1, byteOffset: 0)
        var checkpoint = CheckpointFields(
            checkpoint: checkpointPosition,
            signature: signature, circularLogging: spec.circularLogging, attachments: records.attachments)
        if let backup = spec.previousFullBackup {
            checkpoint.fullBackup = (LogPosition(generation: backup.upperBound, sector: 1, byteOffset: 0),
                                     createTime(backup.upperBound, seed: spec.seed))
        }
        files.checkpoint = directory + "/" + spec.baseName + ".chk"
        try write(checkpoint.image(), to: files.checkpoint)
        let sectorSize = spec.logFormat == .v8 ? 4096 : 512
        let logBytes = logSectors(spec) * sectorSize
        let filler = spec.logFormat == .v8 ? [UInt8](repeating: 0, count: logBytes) : LogExtendPattern.bytes(count: logBytes)
        let temporary = directory + "/" + spec.baseName + "tmp.log"
        try write(filler, to: temporary)
        files.auxiliary.append(temporary)
        for index in 0..<spec.reserveLogs {
            let number = String(index + 1)
            let path = directory + "/" + spec.baseName + "res" + String(repeating: "0", count: 5 - number.count) + number + ".jrs"
            try write(filler, to: path)
            files.auxiliary.append(path)
        }
        return files
    }

    /// The log file size in sectors (at least 8 for v8, 24 for v7).
    static func logSectors(_ spec: StorageGroupSpec) -> Int { max(spec.logFileSectors, spec.logFormat == .v8 ? 8 : 24) }

    /// The header of log `generation`.
    static func logHeader(_ spec: StorageGroupSpec, generation: Int32, signature: Signature, previousAccumulated: UInt64,
                          attachments: [AttachmentFields]) -> LogHeaderFields {
        LogHeaderFields(
            generation: generation, format: spec.logFormat, sectorSize: spec.logFormat == .v8 ? 4096 : 512, fileSectors: logSectors(spec),
            pageSize: spec.databases.first?.pageSize ?? 8192,
            createTime: createTime(generation, seed: spec.seed),
            previousGenerationTime: generation == 1 ? LogTime(rawValue: 0) : createTime(generation - 1, seed: spec.seed),
            signature: signature, flags: spec.circularLogging ? 0x06 : 0,
            checkpoint: LogPosition(generation: min(generation, spec.checkpointGeneration), sector: 1, byteOffset: 0),
            previousAccumulatedChecksum: previousAccumulated, attachments: attachments)
    }

    /// The records of one log of the group: Init2 and an AttachDB per database at the start of
    /// the first generation; for a clean group a DetachDB per database and a Term2 at the end
    /// of the current log; bulk records everywhere else. The body does not depend on the
    /// header's attach list or checkpoint, so positions can be found before those are known.
    static func logContent(_ spec: StorageGroupSpec, generation: Int32, records: LogRecordPlan) -> LogContent {
        var content = LogContent(filler: records.filler)
        if generation == spec.firstGeneration { content.head = records.head }
        if generation == spec.lastGeneration, !spec.dirty {
            content.closing = records.closing
            content.terminationTime = createTime(generation, seed: spec.seed)
        }
        return content
    }

    /// The seed of database `index`'s pages.
    static func databaseSeed(_ spec: StorageGroupSpec, index: Int) -> UInt64 { spec.seed &+ UInt64(index) &* 1000 }

    /// The database time (`dbtime`) in a generated database's header: newer than every page.
    static func headerTime(_ database: StorageGroupSpec.Database) -> UInt64 { 0x1000 + UInt64(database.pageCount) * 9 }

    /// Writes log `generation` of the group (its header already made); `edit` sees each v8
    /// data segment before it is sealed.
    static func logFile(_ spec: StorageGroupSpec, header: LogHeaderFields, records: LogRecordPlan,
                        edit: (UnsafeMutableRawBufferPointer) -> Void = { _ in }) -> GeneratedLog {
        let generation = header.generation
        let isCurrent = generation == spec.lastGeneration
        let content = logContent(spec, generation: generation, records: records)
        var random = DeterministicRandom(seed: spec.seed ^ 0x106).derived(UInt64(UInt32(bitPattern: generation)))
        if spec.logFormat == .v8 {
            let sectors = header.fileSectors
            return LogWriter.v8File(header, content: content, filledSegments: isCurrent ? max(1, (sectors - 2) / 2) : sectors - 2,
                                    partialTail: isCurrent, random: &random, edit: edit)
        }
        return LogWriter.v7File(header, content: content, flushes: isCurrent ? 3 : 6, tail: .singleSector, random: &random)
    }

    /// The group's special records and their positions: the logs of the first and last
    /// generations are laid out once to learn where the AttachDB, DetachDB and Term2 records
    /// go, so that database headers, attach lists and the checkpoint name those positions.
    static func recordPlan(_ spec: StorageGroupSpec, logSignature: Signature) -> LogRecordPlan {
        var plan = LogRecordPlan(filler: LogRecordFiller(seed: spec.seed))
        let fallback = LogPosition(generation: spec.firstGeneration, sector: 1, byteOffset: 0)
        for (index, database) in spec.databases.enumerated() {
            let databaseSignature = Signature(random: UInt32(truncatingIfNeeded: spec.seed &* 31 &+ UInt64(index) &+ 7),
                                              creationTime: startTime(seed: spec.seed))
            plan.attachments.append(AttachmentFields(id: UInt8(truncatingIfNeeded: index + 1), path: "C:\\ESE\\" + database.name,
                                                     signature: databaseSignature, attachPosition: fallback))
        }
        plan.head = [LogRecordBuilder.init2()] + plan.attachments.map {
            LogRecordBuilder.attachDB(id: $0.id, path: $0.path, databaseSignature: $0.signature, logSignature: logSignature,
                                      consistentPosition: $0.consistentPosition)
        }
        plan.closing = plan.attachments.map { LogRecordBuilder.detachDB(id: $0.id, path: $0.path) }
        plan.detachPositions = Array(repeating: nil, count: spec.databases.count)
        let empty = [AttachmentFields]()
        let first = logFile(spec, header: logHeader(spec, generation: spec.firstGeneration, signature: logSignature,
                                                    previousAccumulated: 0, attachments: empty), records: plan).positions
        for (index, position) in first.head.dropFirst().enumerated() {
            // The attach lists and the header record the AttachDB record's position (logredo.cxx:12987-13095).
            if let position { plan.attachments[index].attachPosition = position }
        }
        if !spec.dirty {
            let last = spec.lastGeneration == spec.firstGeneration ? first
                : logFile(spec, header: logHeader(spec, generation: spec.lastGeneration, signature: logSignature,
                                                  previousAccumulated: 0, attachments: empty), records: plan).positions
            plan.detachPositions = last.closing
            plan.termination = last.termination
        }
        return plan
    }

    static func write(_ bytes: [UInt8], to path: String) throws(FileOutput.Failure) {
        let output = try FileOutput(creating: path)
        defer { output.close() }
        try output.write(bytes)
    }

    static func databaseHeader(_ spec: StorageGroupSpec, _ database: StorageGroupSpec.Database,
                               signature: Signature, logSignature: Signature) -> DatabaseHeaderFields {
        var header = DatabaseHeaderFields(pageSize: database.pageSize, databaseSignature: signature, logSignature: logSignature)
        header.databaseTime = headerTime(database)
        header.attachPosition = LogPosition(generation: spec.firstGeneration, sector: 1, byteOffset: 0)
        header.attachTime = createTime(spec.firstGeneration, seed: spec.seed)
        if spec.dirty {
            let required = spec.requiredGenerations
            header.state = .dirtyShutdown
            header.requiredGenerations = (required.lowerBound, required.upperBound)
            header.committedGeneration = required.upperBound
            header.consistentGeneration = required.lowerBound
            header.maximumRequiredCreateTime = createTime(required.upperBound, seed: spec.seed)
            header.maximumCommittedCreateTime = createTime(required.upperBound, seed: spec.seed)
        } else {
            header.state = .cleanShutdown
            header.consistentPosition = LogPosition(generation: spec.lastGeneration, sector: 1, byteOffset: 0)
            header.consistentTime = createTime(spec.lastGeneration, seed: spec.seed)
            header.detachPosition = header.consistentPosition
            header.detachTime = header.consistentTime
        }
        if let backup = spec.previousFullBackup {
            header.previousFullBackup = BackupInfo(
                mark: LogPosition(generation: backup.upperBound, sector: 1, byteOffset: 0),
                markTime: createTime(backup.upperBound, seed: spec.seed),
                generationLow: UInt32(backup.lowerBound), generationHigh: UInt32(backup.upperBound))
        }
        return header
    }
}
