import ESEFormat
import Foundation

/// The faults of recovery.md §4 and §8: files added, removed or re-headed so that ESE's soft
/// recovery (S0–S7) takes another path. Headers are edited in place and resealed (old-format
/// XOR checksum), in both copies where the file has two.
extension FaultInjector {
    // length-exempt: one short case per fault kind — a dispatch table, not logic.
    static func applyRecoveryFault(_ fault: Fault, files: StorageGroupFiles, spec: StorageGroupSpec) throws {
        let manager = FileManager.default
        switch fault.fault {
        case .moveCheckpoint:
            let generation = try required(fault.generation, fault, "generation")
            try editCheckpoint(files) { $0.set(LogPosition(generation: generation, sector: 1, byteOffset: 0), at: 12) }
        case .deleteCheckpoint:
            try manager.removeItem(atPath: files.checkpoint)
        case .foreignCheckpoint:
            let other = StorageGroupWriter.logSignature(seed: spec.seed &+ 99)
            try editCheckpoint(files) { $0.set(other, at: 20) }
        case .strayLog, .strayForeignLog:
            let generation = try required(fault.generation, fault, "generation")
            guard generation > spec.lastGeneration else {
                throw Failure(message: "\(fault.fault): generation \(generation) is not above the current log \(spec.lastGeneration)")
            }
            let seed = fault.fault == .strayLog ? spec.seed : spec.seed &+ 1234
            let bytes = logFile(spec, generation: generation, seed: seed)
            try write(bytes, to: files.directory + "/" + archivedName(spec, generation))
        case .deleteCurrentLog:
            try manager.removeItem(atPath: try currentLog(files, spec))
        case .deleteTemporaryLog:
            try manager.removeItem(atPath: files.directory + "/" + spec.baseName + "tmp.log")
        case .archiveCopyOfCurrentLog:
            try manager.copyItem(atPath: try currentLog(files, spec),
                                 toPath: files.directory + "/" + archivedName(spec, spec.lastGeneration))
        case .staleCurrentLog:
            let source = try log(fault, files)
            let current = try currentLog(files, spec)
            try manager.removeItem(atPath: current)
            try manager.copyItem(atPath: source, toPath: current)
        case .setDatabaseGenerations:
            try editDatabaseHeaders(fault, files, spec) { header in
                if let minimum = fault.minimumRequired { header.set(minimum, at: 296) }
                if let maximum = fault.maximumRequired {
                    header.set(maximum, at: 300)
                    header.set(StorageGroupWriter.createTime(maximum, seed: spec.seed), at: 672)
                }
                if let committed = fault.committed {
                    header.set(committed, at: 416)
                    header.set(StorageGroupWriter.createTime(committed, seed: spec.seed), at: 348)
                }
            }
        case .setLogTimeGenMaxRequired:
            let generation = try required(fault.generation, fault, "generation")
            try editDatabaseHeaders(fault, files, spec) { header in
                header.set(StorageGroupWriter.createTime(generation, seed: spec.seed), at: 672)
                if let updateMajor = fault.updateMajor { header.set(updateMajor, at: 232) }
            }
        case .logPageSize:
            let pageSize = try required(fault.value, fault, "value")
            let paths = fault.generation == nil ? Array(files.logs.values) : [try log(fault, files)]
            for path in paths {
                try editHeader(path, count: LogFileHeader.size) { $0.set(UInt16(truncatingIfNeeded: pageSize == 4096 ? 0 : pageSize), at: 14) }
            }
        case .resizeLog:
            let path = try log(fault, files)
            let sectors = try required(fault.value, fault, "value")
            let sectorSize = spec.logFormat == .v8 ? 4096 : 512
            let output = try FileOutput(editing: path)
            defer { output.close() }
            let size = Int(try output.size())
            var bytes = try output.read(at: 0, count: min(size, sectors * sectorSize))
            bytes += [UInt8](repeating: 0, count: sectors * sectorSize - bytes.count)
            var header = ByteImage(Array(bytes[0..<LogFileHeader.size]))
            header.set(UInt16(sectors), at: 12)
            header.sealHeader()
            bytes.replaceSubrange(0..<LogFileHeader.size, with: header.bytes)
            try output.truncate(to: 0)
            try output.write(bytes, at: 0)
        case .zeroAccumulatedChecksum:
            try editHeader(try log(fault, files), count: LogFileHeader.size) { $0.set(UInt64(0), at: 653) }
        case .zeroLogTail:
            guard spec.logFormat == .v8 else { throw Failure(message: "zeroLogTail is defined for v8 logs") }
            let path = try log(fault, files)
            let first = try required(fault.segment, fault, "segment")
            let output = try FileOutput(editing: path)
            defer { output.close() }
            let size = Int(try output.size())
            guard first >= 1, first * 4096 < size else { throw Failure(message: "zeroLogTail: segment \(first) is not in the log") }
            try output.write([UInt8](repeating: 0, count: size - first * 4096), at: UInt64(first * 4096))
        case .tornTailOfArchivedLog:
            guard spec.logFormat == .v8 else { throw Failure(message: "tornTailOfArchivedLog is defined for v8 logs") }
            let path = try log(fault, files)
            guard path != files.log(spec.lastGeneration) else { throw Failure(message: "tornTailOfArchivedLog: use tornTailOfCurrentLog") }
            let output = try FileOutput(editing: path)
            defer { output.close() }
            let sectors = Int(try output.size()) / 4096
            // Archived logs are full: the last data segment is sectors − 2; its shadow goes into
            // the reserved segment after it, as ESE writes a partial segment twice.
            let last = UInt64(sectors - 2) * 4096
            try output.write(try output.read(at: last, count: 4096), at: last + 4096)
            try damage(output, at: last + 64)
        case .backupSetDatabase:
            let generation = try required(fault.generation, fault, "generation")
            try editDatabaseHeaders(fault, files, spec) { header in
                header.set(BackupInfo(mark: LogPosition(generation: generation, sector: 1, byteOffset: 0),
                                      markTime: StorageGroupWriter.createTime(generation, seed: spec.seed),
                                      generationLow: UInt32(generation), generationHigh: 0), at: 184)
            }
        case .olderConsistentPosition:
            let index = fault.database ?? 0
            try editAttachLists(files, entry: index) { list, entry in
                list.set(LogPosition(generation: spec.firstGeneration, sector: 2, byteOffset: 0), at: entry + 28)
            }
            try editDatabaseHeaders(fault, files, spec) { header in
                header.set(LogPosition(generation: spec.firstGeneration, sector: 1, byteOffset: 0), at: 56)
            }
        case .olderAttachPosition:
            // One sector past the database's AttachDB record (v8: segment 2; v7: the sector after the record's).
            let index = fault.database ?? 0
            let plan = StorageGroupWriter.recordPlan(spec, logSignature: StorageGroupWriter.logSignature(seed: spec.seed))
            let attach = plan.attachments.indices.contains(index) ? plan.attachments[index].attachPosition
                : LogPosition(generation: spec.firstGeneration, sector: 1, byteOffset: 0)
            try editAttachLists(files, entry: index) { list, entry in
                list.set(LogPosition(generation: attach.generation, sector: attach.sector + 1, byteOffset: 0), at: entry + 20)
            }
        case .laterConsistentPosition:
            let generation = try required(fault.generation, fault, "generation")
            try editDatabaseHeaders(fault, files, spec) { header in
                let position = LogPosition(generation: generation, sector: 1, byteOffset: 0)
                header.set(position, at: 56)
                header.set(position, at: 96)
            }
        case .attachListNamingAnotherDatabase:
            let other = Signature(random: 0x0DD_DB, creationTime: StorageGroupWriter.createTime(0, seed: spec.seed &+ 7))
            try editAttachLists(files, entry: fault.database ?? 0) { list, entry in list.set(other, at: entry + 36) }
        case .setDatabaseState:
            let state = try required(fault.value, fault, "value")
            try editDatabaseHeaders(fault, files, spec) { $0.set(UInt32(state), at: 52) }
        case .corruptLogHeader:
            let output = try FileOutput(editing: try log(fault, files))
            defer { output.close() }
            try damage(output, at: 100)
        case .setLogVersion:
            try editHeader(try log(fault, files), count: LogFileHeader.size) { header in
                if let major = fault.value { header.set(UInt32(major), at: 32) }
                if let updateMajor = fault.updateMajor { header.set(updateMajor, at: 40) }
            }
        case .deleteDatabase:
            let (path, _) = try database(fault, files, spec)
            try manager.removeItem(atPath: path)
        case .clearAttachLists:
            try editCheckpoint(files) { $0.set(UInt8(0), at: 679) }
            for path in files.logs.values where manager.fileExists(atPath: path) {
                try editHeader(path, count: LogFileHeader.size) { $0.set(UInt8(0), at: 671) }
            }
        default:
            throw Failure(message: "\(fault.fault) is not a recovery fault")
        }
    }

    static func required<T>(_ value: T?, _ fault: Fault, _ field: String) throws -> T {
        guard let value else { throw Failure(message: "\(fault.fault): \(field) is required") }
        return value
    }

    static func currentLog(_ files: StorageGroupFiles, _ spec: StorageGroupSpec) throws -> String {
        guard let path = files.log(spec.lastGeneration) else { throw Failure(message: "no current log") }
        return path
    }

    static func archivedName(_ spec: StorageGroupSpec, _ generation: Int32) -> String {
        LogFileName.name(baseName: spec.baseName, generation: generation, digits: spec.eightDigitNames ? 8 : nil)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let output = try FileOutput(creating: path)
        defer { output.close() }
        try output.write(bytes)
    }

    /// A full archived log of `generation` in the spec's format, of the sequence `seed` names.
    static func logFile(_ spec: StorageGroupSpec, generation: Int32, seed: UInt64) -> [UInt8] {
        let sectorSize = spec.logFormat == .v8 ? 4096 : 512
        let sectors = max(spec.logFileSectors, spec.logFormat == .v8 ? 8 : 24)
        let header = LogHeaderFields(
            generation: generation, format: spec.logFormat, sectorSize: sectorSize, fileSectors: sectors,
            pageSize: spec.databases.first?.pageSize ?? 8192, createTime: StorageGroupWriter.createTime(generation, seed: seed),
            previousGenerationTime: StorageGroupWriter.createTime(generation - 1, seed: seed),
            signature: StorageGroupWriter.logSignature(seed: seed),
            checkpoint: LogPosition(generation: generation, sector: 1, byteOffset: 0))
        var random = DeterministicRandom(seed: seed ^ UInt64(UInt32(bitPattern: generation)))
        let content = LogContent(filler: LogRecordFiller(seed: seed))
        if spec.logFormat == .v8 {
            return LogWriter.v8File(header, content: content, filledSegments: sectors - 2, partialTail: false, random: &random).bytes
        }
        return LogWriter.v7File(header, content: content, flushes: 6, tail: .singleSector, random: &random).bytes
    }

    /// Edits both copies of the checkpoint, resealing each.
    static func editCheckpoint(_ files: StorageGroupFiles, _ edit: (inout ByteImage) -> Void) throws {
        for copy in 0..<2 {
            try editHeader(files.checkpoint, at: UInt64(copy * CheckpointHeader.size), count: CheckpointHeader.size, edit)
        }
    }

    /// Edits both header copies of the fault's database, resealing each.
    static func editDatabaseHeaders(_ fault: Fault, _ files: StorageGroupFiles, _ spec: StorageGroupSpec,
                                    _ edit: (inout ByteImage) -> Void) throws {
        let (path, pageSize) = try database(fault, files, spec)
        for copy in 0..<2 { try editHeader(path, at: UInt64(copy * pageSize), count: pageSize, edit) }
    }

    /// Edits entry `entry` of every attach list: both checkpoint copies (list at 679) and every
    /// log header (list at 671). `edit` receives the image and the entry's offset.
    static func editAttachLists(_ files: StorageGroupFiles, entry: Int, _ edit: (inout ByteImage, Int) -> Void) throws {
        func apply(_ image: inout ByteImage, list: Int) {
            var position = list
            for _ in 0..<entry {
                guard image.bytes[position] != 0 else { return }
                position += 64 + Int(image.bytes[position + 2]) + Int(image.bytes[position + 3]) << 8
            }
            guard image.bytes[position] != 0 else { return }
            edit(&image, position)
        }
        try editCheckpoint(files) { apply(&$0, list: 679) }
        for path in files.logs.values where FileManager.default.fileExists(atPath: path) {
            try editHeader(path, count: LogFileHeader.size) { apply(&$0, list: 671) }
        }
    }
}
