import ESEFormat
import Foundation

/// A named fault injected into a written storage group, as a scenario declares it.
public struct Fault: Codable, Hashable, Sendable {
    /// The kinds of fault.
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        /// One flipped bit in a page: correctable.
        case singleBitFlip
        /// Several damaged bytes in a page: a bad checksum.
        case multiBitDamage
        /// The second half of a page replaced by zeros (a torn write): a bad checksum.
        case tornPage
        /// A page's bytes copied from another page (written at the wrong offset).
        case pageAtWrongOffset
        /// A page zeroed: counted as uninitialized.
        case zeroedPage
        /// The primary header damaged: the shadow is used.
        case corruptPrimaryHeader
        /// Both header copies damaged: unreadable.
        case corruptBothHeaders
        /// Bytes cut from the end of a database.
        case truncateDatabase
        /// A log generation deleted.
        case deleteGeneration
        /// A log generation replaced by one of another sequence.
        case foreignLog
        /// A log's previous-generation time changed (header resealed).
        case breakPreviousGenerationTime
        /// A log segment (v8) or sector (v7) damaged.
        case damageSegment
        /// The current log's last partial segment torn (its shadow intact): patchable.
        case tornTailOfCurrentLog
        /// Both checkpoint copies damaged.
        case corruptCheckpoint
        /// A database header re-signed with another log sequence's signature.
        case foreignDatabaseSignature
        /// Every log deleted.
        case deleteAllLogs
        /// The checkpoint moved to `generation` (both copies resealed).
        case moveCheckpoint
        /// The checkpoint file deleted.
        case deleteCheckpoint
        /// The checkpoint re-signed with another log sequence's signature (both copies resealed).
        case foreignCheckpoint
        /// An archived log of this sequence added at `generation`, above the current log.
        case strayLog
        /// An archived log of another sequence added at `generation`, above the current log.
        case strayForeignLog
        /// The current log `<base>.log` deleted.
        case deleteCurrentLog
        /// The temporary log `<base>tmp.log` deleted.
        case deleteTemporaryLog
        /// A copy of the current log added under its archived name (the archive of the current generation).
        case archiveCopyOfCurrentLog
        /// The current log replaced by a copy of the archived log `generation` (an older current log).
        case staleCurrentLog
        /// A database's `le_lGenMinRequired`, `le_lGenMaxRequired`, `le_lGenMaxCommitted` set to
        /// `minimumRequired`, `maximumRequired`, `committed` (those given), with the matching
        /// creation times (`logtimeGenMaxRequired`, `logtimeGenMaxCreate`); both header copies resealed.
        case setDatabaseGenerations
        /// A database's `logtimeGenMaxRequired` set to the creation time of `generation`, and its
        /// `le_ulDaeUpdateMajor` to `updateMajor` when given; both header copies resealed.
        case setLogTimeGenMaxRequired
        /// The page size recorded in log headers set to `value` (every log, or `generation` only).
        case logPageSize
        /// An archived log cut or extended to `value` sectors, its header declaring that size.
        case resizeLog
        /// A log's `checksumPrevLogAllSegments` set to zero (header resealed).
        case zeroAccumulatedChecksum
        /// A v8 log's segments from `segment` on zeroed: the log scans clean but ends early.
        case zeroLogTail
        /// An archived v8 log's last data segment torn, its shadow copy in the reserved last
        /// segment intact: patchable.
        case tornTailOfArchivedLog
        /// A database marked as restored from a backup set: `bkinfoFullCur` with genLow
        /// `generation` and genHigh 0 (both header copies resealed).
        case backupSetDatabase
        /// A database's `le_lgposConsistent` set below the one the attach lists record for it.
        case olderConsistentPosition
        /// The attach lists record a later attachment of the database than its header's `le_lgposAttach`.
        case olderAttachPosition
        /// A clean database's `le_lgposConsistent` (and detach position) moved to `generation`.
        case laterConsistentPosition
        /// The attach lists name another database (another `signDb`) under the database's name.
        case attachListNamingAnotherDatabase
        /// A database's `le_dbstate` set to `value` (both header copies resealed).
        case setDatabaseState
        /// A log header's checksum broken.
        case corruptLogHeader
        /// A log header's major version set to `value` and/or its update-major to `updateMajor` (resealed).
        case setLogVersion
        /// A database file deleted.
        case deleteDatabase
        /// Every attach list (checkpoint and log headers) emptied.
        case clearAttachLists
        /// A v8 log's first whole record in `segment` (default 4) given the type `value` (default
        /// 0xFF, ≥ lrtypMax), the segment sealed again.
        case invalidRecordType
        /// A v8 log's first FragmentBegin declaring `value` (default 64) bytes more than its
        /// fragments carry, the segment sealed again.
        case brokenFragment
        /// The AttachDB record of database `database` removed from the first generation
        /// (replaced by NOPs), the segment sealed again.
        case missingAttachRecord
        /// A lost flush: the first whole node record of log `generation` (default the current
        /// log) rewritten to change page `page` (default 3) of database `database`, expecting
        /// the page at its time + `value` (default 1) — a change the copied page never received
        /// — the segment sealed again. `value` 0 rewrites it consistently (the page as expected).
        case lostFlush
        /// `value` pages (default 4) from `page` on made a hole (never written, read as zeros),
        /// the rest of the file kept: pages in use vanish under valid checksums elsewhere.
        case punchHole
        /// A leaf's `pgnoNext` (page `page`) moved to another page, the page sealed again: its
        /// checksum passes, its sibling chain is broken.
        case breakSiblingLink
        /// A write the flush map recorded but the page never received: page `page`'s flush type
        /// set back to the one before it (rock ← paper ← scissors ← rock) and the page sealed
        /// again, as the copy of the page before its last write would be. Needs a flush map.
        case staleFlushType
    }

    /// The kind.
    public var fault: Kind
    /// The database index (database faults).
    public var database: Int?
    /// The logical page number (page faults).
    public var page: Int?
    /// The page bit offset (single-bit flip).
    public var bit: Int?
    /// The page copied from (wrong offset).
    public var from: Int?
    /// Bytes to cut (truncation).
    public var bytes: Int?
    /// The log generation (log faults).
    public var generation: Int32?
    /// The segment or sector (segment damage).
    public var segment: Int?
    /// `le_lGenMinRequired` (setDatabaseGenerations).
    public var minimumRequired: Int32?
    /// `le_lGenMaxRequired` (setDatabaseGenerations).
    public var maximumRequired: Int32?
    /// `le_lGenMaxCommitted` (setDatabaseGenerations).
    public var committed: Int32?
    /// A format update-major version (database `le_ulDaeUpdateMajor`, log `le_ulUpdateMajor`).
    public var updateMajor: UInt32?
    /// A numeric value: a page size, a size in sectors, a database state, a log major version,
    /// a page count (punchHole).
    public var value: Int?

    /// Creates a fault.
    public init(_ fault: Kind, database: Int? = nil, page: Int? = nil, bit: Int? = nil, from: Int? = nil,
                bytes: Int? = nil, generation: Int32? = nil, segment: Int? = nil, minimumRequired: Int32? = nil,
                maximumRequired: Int32? = nil, committed: Int32? = nil, updateMajor: UInt32? = nil, value: Int? = nil) {
        self.fault = fault
        self.minimumRequired = minimumRequired
        self.maximumRequired = maximumRequired
        self.committed = committed
        self.updateMajor = updateMajor
        self.value = value
        self.database = database
        self.page = page
        self.bit = bit
        self.from = from
        self.bytes = bytes
        self.generation = generation
        self.segment = segment
    }
}

/// Applies faults to a written storage group.
public enum FaultInjector {
    /// Why a fault could not be applied.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var message: String
        public var description: String { message }
    }

    /// Applies `fault` to `files` written from `spec`.
    public static func apply(_ fault: Fault, to files: StorageGroupFiles, spec: StorageGroupSpec) throws {
        switch fault.fault {
        case .singleBitFlip, .multiBitDamage, .tornPage, .pageAtWrongOffset, .zeroedPage:
            try applyPageFault(fault, files: files, spec: spec)
        case .corruptPrimaryHeader, .corruptBothHeaders:
            let (path, pageSize) = try database(fault, files, spec)
            let output = try FileOutput(editing: path)
            defer { output.close() }
            try damage(output, at: 300)
            if fault.fault == .corruptBothHeaders { try damage(output, at: UInt64(pageSize) + 300) }
        case .truncateDatabase:
            let (path, _) = try database(fault, files, spec)
            let output = try FileOutput(editing: path)
            defer { output.close() }
            let size = try output.size()
            try output.truncate(to: size - UInt64(min(Int(size), max(1, fault.bytes ?? 1000))))
        case .deleteGeneration:
            try FileManager.default.removeItem(atPath: try log(fault, files))
        case .foreignLog:
            try replaceWithForeignLog(fault, files: files, spec: spec)
        case .breakPreviousGenerationTime:
            let path = try log(fault, files)
            try editHeader(path, count: LogFileHeader.size) { $0.set(UInt64(0x0BAD_0BAD_0BAD_0BAD), at: 24) }
        case .damageSegment:
            let path = try log(fault, files)
            let sectorSize = spec.logFormat == .v8 ? 4096 : 512
            let output = try FileOutput(editing: path)
            defer { output.close() }
            let segment = fault.segment ?? (spec.logFormat == .v8 ? 2 : 9)
            try damage(output, at: UInt64(segment * sectorSize + 100))
        case .tornTailOfCurrentLog:
            guard spec.logFormat == .v8 else { throw Failure(message: "tornTailOfCurrentLog is defined for v8 logs") }
            guard let path = files.log(spec.lastGeneration) else { throw Failure(message: "no current log") }
            let sectors = max(spec.logFileSectors, 8)
            // The writer fills half the data segments of the current log, the last one partial.
            let tail = max(1, (sectors - 2) / 2)
            let output = try FileOutput(editing: path)
            defer { output.close() }
            try damage(output, at: UInt64(tail * 4096 + 64))
        case .corruptCheckpoint:
            let output = try FileOutput(editing: files.checkpoint)
            defer { output.close() }
            try damage(output, at: 100)
            try damage(output, at: 4096 + 100)
        case .foreignDatabaseSignature:
            let (path, pageSize) = try database(fault, files, spec)
            let other = StorageGroupWriter.logSignature(seed: spec.seed &+ 99)
            for copy in 0..<2 {
                try editHeader(path, at: UInt64(copy * pageSize), count: pageSize) { $0.set(other, at: 108) }
            }
        case .deleteAllLogs:
            for path in files.logs.values { try FileManager.default.removeItem(atPath: path) }
        case .invalidRecordType, .brokenFragment, .missingAttachRecord:
            try applyRecordFault(fault, files: files, spec: spec)
        case .lostFlush:
            try applyLostFlush(fault, files: files, spec: spec)
        case .staleFlushType:
            try applyFlushMapFault(fault, files: files, spec: spec)
        case .punchHole, .breakSiblingLink:
            try applyStructureFault(fault, files: files, spec: spec)
        default:
            try applyRecoveryFault(fault, files: files, spec: spec)
        }
    }

    static func database(_ fault: Fault, _ files: StorageGroupFiles, _ spec: StorageGroupSpec) throws -> (String, Int) {
        let index = fault.database ?? 0
        guard files.databases.indices.contains(index) else { throw Failure(message: "\(fault.fault): no database \(index)") }
        return (files.databases[index], spec.databases[index].pageSize)
    }

    static func log(_ fault: Fault, _ files: StorageGroupFiles) throws -> String {
        guard let generation = fault.generation, let path = files.log(generation) else {
            throw Failure(message: "\(fault.fault): no log generation \(fault.generation.map(String.init) ?? "(none given)")")
        }
        return path
    }

    /// Inverts four bytes at `offset`.
    static func damage(_ output: FileOutput, at offset: UInt64) throws {
        let bytes = try output.read(at: offset, count: 4)
        try output.write(bytes.map { ~$0 }, at: offset)
    }

    static func editHeader(_ path: String, at offset: UInt64 = 0, count: Int, _ edit: (inout ByteImage) -> Void) throws {
        let output = try FileOutput(editing: path)
        defer { output.close() }
        var image = ByteImage(try output.read(at: offset, count: count))
        edit(&image)
        image.sealHeader()
        try output.write(image.bytes, at: offset)
    }

    static func applyPageFault(_ fault: Fault, files: StorageGroupFiles, spec: StorageGroupSpec) throws {
        let (path, pageSize) = try database(fault, files, spec)
        guard let page = fault.page, page >= 1, page <= spec.databases[fault.database ?? 0].pageCount else {
            throw Failure(message: "\(fault.fault): page \(fault.page.map(String.init) ?? "(none)") is not a data page")
        }
        let offset = UInt64(page + 1) * UInt64(pageSize)
        let output = try FileOutput(editing: path)
        defer { output.close() }
        let current = try output.read(at: offset, count: pageSize)
        guard current.contains(where: { $0 != 0 }) || fault.fault == .zeroedPage else {
            throw Failure(message: "\(fault.fault): page \(page) is not in use (all zero); use a used page")
        }
        switch fault.fault {
        case .singleBitFlip:
            let bit = fault.bit ?? 8003
            var byte = [current[bit / 8]]
            byte[0] ^= UInt8(1 << (bit % 8))
            try output.write(byte, at: offset + UInt64(bit / 8))
        case .multiBitDamage:
            try damage(output, at: offset + UInt64(pageSize / 3))
        case .tornPage:
            try output.write([UInt8](repeating: 0, count: pageSize / 2), at: offset + UInt64(pageSize / 2))
        case .pageAtWrongOffset:
            let source = fault.from ?? max(1, page - 1)
            try output.write(try output.read(at: UInt64(source + 1) * UInt64(pageSize), count: pageSize), at: offset)
        case .zeroedPage:
            try output.write([UInt8](repeating: 0, count: pageSize), at: offset)
        default:
            break
        }
    }

    static func replaceWithForeignLog(_ fault: Fault, files: StorageGroupFiles, spec: StorageGroupSpec) throws {
        let path = try log(fault, files)
        var other = StorageGroupSpec(databases: [])
        other.logFormat = spec.logFormat
        other.logFileSectors = spec.logFileSectors
        other.firstGeneration = fault.generation!
        other.generations = 2
        other.seed = spec.seed &+ 1234
        let scratch = NSTemporaryDirectory() + "esecheck-foreign-\(UUID().uuidString)"
        let foreign = try StorageGroupWriter.write(other, to: scratch)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: foreign.log(fault.generation!)!, toPath: path)
    }
}
