@testable import ESECheck
@testable import ESEFormat

/// Builds recovery-model inputs by hand: log, checkpoint and database headers with only the
/// fields recovery reads, for the table-driven tests of recovery.md §4 and §8.
enum RecoveryFixture {
    static let logSignature = Signature(random: 0xA11CE, creationTime: LogTime(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 1))
    static let otherLogSignature = Signature(random: 0xF0E16, creationTime: LogTime(year: 2025, month: 6, day: 1, hour: 0, minute: 0, second: 1))
    static let databaseSignature = Signature(random: 0xDB1, creationTime: LogTime(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 2))
    static let logBytes: UInt64 = 1 << 20
    static let databasePath = "/restore/mailbox01.edb"

    static func time(_ generation: Int32) -> LogTime {
        LogTime(year: 2026, month: 1, day: 1 + Int(generation / 1440) % 28, hour: Int(generation / 60) % 24,
                minute: Int(generation % 60), second: 7, millisecond: Int(generation % 1000))
    }

    static func accumulated(_ generation: Int32) -> UInt64 { 0x1111_0000_0000 &+ UInt64(generation) &* 0x1_0001 }

    /// A v8 log header of `generation`, chained to `generation - 1`.
    static func logHeader(_ generation: Int32, signature: Signature = logSignature, pageSize: Int = 8192,
                          attachments: [AttachInfo] = []) -> LogFileHeader {
        var header = try! LogFileHeader(parsing: [UInt8](repeating: 0, count: LogFileHeader.size).span.bytes)
        header.generation = generation
        header.sectorSize = 4096
        header.headerSectors = 1
        header.fileSectors = UInt16(logBytes / 4096)
        header.storedPageSize = UInt16(pageSize)
        header.createTime = time(generation)
        header.previousGenerationTime = generation > 1 ? time(generation - 1) : LogTime(rawValue: 0)
        header.majorVersion = 8
        header.minorVersion = 4000
        header.updateMajor = 5
        header.updateMinor = 13
        header.logSignature = signature
        header.fileTypeValue = 3
        header.previousGenerationAccumulatedChecksum = generation > 1 ? accumulated(generation - 1) : 0
        header.checkpoint = LogPosition(generation: generation, sector: 1, byteOffset: 0)
        header.attachments = attachments
        return header
    }

    static func log(_ generation: Int32, current: Bool = false, signature: Signature = logSignature,
                    attachments: [AttachInfo]? = nil, body: RecoveryLog.Body = .clean) -> RecoveryLog {
        let name = current ? "E00.log" : LogFileName.name(baseName: "E00", generation: generation)
        return RecoveryLog(fileName: name, nameGeneration: current ? nil : generation, fileSize: logBytes,
                           header: logHeader(generation, signature: signature, attachments: attachments ?? [attachment()]),
                           body: body, accumulatedChecksum: accumulated(generation))
    }

    /// Archived logs `archived` and the current log at `current`.
    static func logs(_ archived: ClosedRange<Int32>?, current: Int32?) -> [RecoveryLog] {
        (archived.map { $0.map { log($0) } } ?? []) + (current.map { [log($0, current: true)] } ?? [])
    }

    /// The attach-list entry of the standard database.
    static func attachment(signature: Signature = databaseSignature, attachedAt: Int32 = 1,
                           consistent: LogPosition = .zero, path: String = "C:\\DB\\mailbox01.edb") -> AttachInfo {
        AttachInfo(databaseID: 1, flags: 0, databaseTime: 0, lastObjectID: 0, maximumPages: 0,
                   attachPosition: LogPosition(generation: attachedAt, sector: 1, byteOffset: 0),
                   consistentPosition: consistent, databaseSignature: signature, path: path)
    }

    /// A dirty database needing `required`, attached at generation 1 to the standard sequence.
    static func dirtyDatabase(_ required: ClosedRange<Int32>, committed: Int32? = nil, path: String = databasePath,
                              mutate: (inout DatabaseHeader) -> Void = { _ in }) -> RecoveryDatabase {
        var header = baseDatabaseHeader()
        header.state = .dirtyShutdown
        header.minimumRequiredGeneration = required.lowerBound
        header.maximumRequiredGeneration = required.upperBound
        header.maximumCommittedGeneration = committed ?? required.upperBound
        header.maximumCommittedGenerationCreateTime = time(committed ?? required.upperBound)
        mutate(&header)
        return RecoveryDatabase(path: path, header: header)
    }

    /// A clean database, detached at `detachedAt`.
    static func cleanDatabase(detachedAt: Int32, path: String = databasePath) -> RecoveryDatabase {
        var header = baseDatabaseHeader()
        header.state = .cleanShutdown
        header.consistentPosition = LogPosition(generation: detachedAt, sector: 2, byteOffset: 0)
        header.detachPosition = header.consistentPosition
        return RecoveryDatabase(path: path, header: header)
    }

    static func baseDatabaseHeader() -> DatabaseHeader {
        var bytes = [UInt8](repeating: 0, count: DatabaseHeader.size)
        bytes.replaceSubrange(4..<8, with: [0xEF, 0xCD, 0xAB, 0x89])
        var header = try! DatabaseHeader(parsing: bytes.span.bytes)
        header.version = 0x620
        header.updateMajor = 20
        header.storedPageSize = 8192
        header.databaseSignature = databaseSignature
        header.logSignature = logSignature
        header.attachPosition = LogPosition(generation: 1, sector: 1, byteOffset: 0)
        header.fileTypeValue = 0
        return header
    }

    static func checkpoint(_ generation: Int32, signature: Signature = logSignature, attachments: [AttachInfo]? = nil) -> RecoveryCheckpoint {
        var header = try! CheckpointHeader(parsing: [UInt8](repeating: 0, count: CheckpointHeader.size).span.bytes)
        header.checkpoint = LogPosition(generation: generation, sector: 1, byteOffset: 0)
        header.logSignature = signature
        header.versionFlags = 1
        header.attachments = attachments ?? [attachment()]
        header.fileTypeValue = 4
        return RecoveryCheckpoint(fileName: "E00.chk", header: header)
    }

    /// A set: archived logs, the current log, a checkpoint (nil for none), databases.
    static func input(_ archived: ClosedRange<Int32>?, current: Int32?, checkpoint: Int32?,
                      _ databases: [RecoveryDatabase], temporaryLog: Bool = false) -> RecoveryInput {
        RecoveryInput(logsGiven: true, logs: logs(archived, current: current), temporaryLogPresent: temporaryLog,
                      checkpoint: checkpoint.map { self.checkpoint($0) }, databases: databases)
    }
}

extension RecoveryInput {
    /// Replaces (or with nil removes) the archived log of `generation`.
    mutating func replaceArchive(_ generation: Int32, with log: RecoveryLog?) {
        logs.removeAll { $0.nameGeneration == generation }
        if let log { logs.append(log) }
    }

    /// Applies `change` to the log named for `generation` (nil: the current log).
    mutating func changeLog(_ generation: Int32?, _ change: (inout RecoveryLog) -> Void) {
        for index in logs.indices where logs[index].nameGeneration == generation { change(&logs[index]) }
    }
}
