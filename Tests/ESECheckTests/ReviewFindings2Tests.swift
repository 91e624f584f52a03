@testable import ESECheck
@testable import ESEFormat
import Testing

/// Findings of the second adversarial review of the recovery decisions: each input made
/// ESECheck call a set recoverable (or a log set sound) where ESE's own recovery fails.
@Suite struct ReviewFindings2Tests {
    typealias F = RecoveryFixture

    /// An archived log in the span whose file is as long as the current log but whose header
    /// declares another size (`le_csecLGFile`): ESE's `ErrLGReadFileHdr` fails every log it opens
    /// with -541 (logstream.cxx:581-586), not only the current one. Before, the model compared
    /// only the file sizes and certified the set recoverable.
    @Test func archivedLogDeclaringAnotherSizeIsMinus541() {
        var input = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...12)])
        input.changeLog(11) { $0.header?.fileSectors = UInt16(F.logBytes / 4096 / 2) }
        let decision = RecoveryModel.evaluate(input).decisions[0]
        #expect(decision.jetError == .logFileSizeMismatch && decision.outcome == .notRecoverable)
        // The start log (the checkpoint's) is opened by the same reader.
        var start = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...12)])
        start.changeLog(10) { $0.header?.fileSectors = UInt16(F.logBytes / 4096 / 2) }
        #expect(RecoveryModel.evaluate(start).decisions[0].jetError == .logFileSizeMismatch)
    }
}

extension ReviewFindings2Tests {
    /// A v7 log older than 7.3704.14 with 16 or 32 KiB pages: ESE's version check refuses it
    /// (-514, log.cxx:870-918, 1061-1073), so recovery through it fails. Before, its header
    /// passed and the set was recoverable.
    @Test func oldV7LogWithLargePagesIsBadLogVersion() {
        func v7(updateMajor: UInt32, pageSize: Int) -> LogFileHeader {
            var header = F.logHeader(10, pageSize: pageSize)
            (header.majorVersion, header.minorVersion, header.updateMajor, header.updateMinor) = (7, 3704, updateMajor, 0)
            (header.sectorSize, header.headerSectors, header.fileSectors) = (512, 8, UInt16(F.logBytes / 512))
            return header
        }
        #expect(v7(updateMajor: 13, pageSize: 32768).fieldProblems.map(\.0) == [.badLogVersion])
        #expect(v7(updateMajor: 13, pageSize: 16384).fieldProblems.map(\.0) == [.badLogVersion])
        #expect(v7(updateMajor: 14, pageSize: 32768).fieldProblems.isEmpty)
        #expect(v7(updateMajor: 13, pageSize: 8192).fieldProblems.isEmpty, "small pages kept the old chunk size")
    }
}

extension ReviewFindings2Tests {
    /// The standard set, with A(10)'s records walked: an invalid record at sector 2 of the
    /// checkpoint's log, and the checkpoint at sector 5 of it.
    static func invalidRecordBeforeTheCheckpoint() -> RecoveryInput {
        var input = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...10)])
        input.checkpoint?.header?.checkpoint = LogPosition(generation: 10, sector: 5, byteOffset: 0)
        input.changeLog(10) { log in
            var walk = LogRecordWalk(format: .v8)
            walk.firstInvalid = InvalidLogRecord(reason: .typeOutOfRange, type: LogRecordType(rawValue: 0xF0),
                                                 position: LogPosition(generation: 10, sector: 2, byteOffset: 16), sector: 2, fileOffset: 8208)
            log.records = walk
        }
        return input
    }

    /// ESE replays from the checkpoint's own position only when the checkpoint holds an attach
    /// list and the log is 8.4000.4.3 or later; otherwise it moves the checkpoint to the start of
    /// its log (`LGFakeCheckpointToLogFile`, logredo.cxx:15158-15166, 14742-14755) and reads the
    /// records before it, so an invalid record there fails replay (-501). Before, the model
    /// skipped records before the checkpoint's position in every case and certified the set.
    @Test func checkpointWithoutAttachListReplaysItsLogFromTheStart() {
        let atCheckpoint = RecoveryModel.evaluate(Self.invalidRecordBeforeTheCheckpoint())
        #expect(atCheckpoint.decisions[0].outcome == .recoverable, "the record lies before the position replay starts at")
        #expect(atCheckpoint.plan.startPosition == LogPosition(generation: 10, sector: 5, byteOffset: 0))

        var noAttachList = Self.invalidRecordBeforeTheCheckpoint()
        noAttachList.checkpoint?.header?.versionFlags = 0
        let decision = RecoveryModel.evaluate(noAttachList).decisions[0]
        #expect(decision.jetError == .logFileCorrupt && decision.outcome == .notRecoverable)

        var oldLog = Self.invalidRecordBeforeTheCheckpoint()
        oldLog.changeLog(10) { $0.header?.updateMajor = 4; $0.header?.updateMinor = 2 }
        #expect(RecoveryModel.evaluate(oldLog).decisions[0].jetError == .logFileCorrupt)
    }
}

extension ReviewFindings2Tests {
    /// A dirty database in no attach list, its signDb attached by an AttachDB record at (11,3,0)
    /// that logs the database consistent at (7,2,0). `header` applies the copy's own positions.
    static func attachedByRecord(_ header: @escaping (inout DatabaseHeader) -> Void) -> RecoveryInput {
        var input = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(11...12, mutate: header)])
        input.checkpoint = F.checkpoint(10, attachments: [])
        for index in input.logs.indices {
            var walk = LogRecordWalk(format: .v8)
            if input.logs[index].nameGeneration == 11 {
                var record = DatabaseLogRecord(type: .attachDB, position: LogPosition(generation: 11, sector: 3, byteOffset: 0), fileOffset: 0,
                                               databaseID: 1, databaseSignature: F.databaseSignature, flags: 0)
                record.consistentPosition = LogPosition(generation: 7, sector: 2, byteOffset: 0)
                walk.databaseRecords = [record]
            }
            input.logs[index].records = walk
        }
        return input
    }

    /// At a replayed AttachDB record ESE compares the database header with the positions the
    /// record logs (`ErrLGRICheckAttachedDb`, logredo.cxx:13013-13088): a copy from an earlier
    /// attachment (consistent at (2,1,0), attached at (3,1,0)) is older than the logs expect,
    /// -551. Before, any record with the database's signDb attached it and the set was certified.
    @Test func databaseAttachedByARecordIsComparedWithTheRecordsPositions() {
        let older = RecoveryModel.evaluate(Self.attachedByRecord { header in
            header.consistentPosition = LogPosition(generation: 2, sector: 1, byteOffset: 0)
            header.attachPosition = LogPosition(generation: 3, sector: 1, byteOffset: 0)
        }).decisions[0]
        #expect(older.jetError == .consistentTimeMismatch && older.outcome == .notRecoverable)

        let matching = RecoveryModel.evaluate(Self.attachedByRecord { header in
            header.consistentPosition = LogPosition(generation: 7, sector: 2, byteOffset: 0)
            header.attachPosition = LogPosition(generation: 11, sector: 3, byteOffset: 0)
        }).decisions[0]
        #expect(matching.outcome == .recoverable && matching.attach == .attachedDuringReplay && matching.usedRecords)
    }
}

extension ReviewFindings2Tests {
    /// ESE settles on one extension pair — the checkpoint's, else the current log's — and never
    /// sees logs of the other (log.cxx:2475-2509, logstream.cxx:828-923). Before, a `.jtx` file
    /// filled the gap of a missing `.log` generation and the chain looked whole.
    @Test func logOfAnotherSpellingNeverFillsAGap() throws {
        let listing = try LogDirectory.select(["E00.chk", "E00.log", "E000000A.log", "E000000B.jtx", "E000000C.log"],
                                              in: "/d", baseName: "E00")
        #expect(listing.logs.map(\.fileName) == ["E00.log", "E000000A.log", "E000000C.log"])
        #expect(listing.otherSpelling.map(\.fileName) == ["E000000B.jtx"])
        // The checkpoint decides before the logs' majority: a lone .jcp makes the set .jtx.
        let byCheckpoint = try LogDirectory.select(["E00.jcp", "E00.log", "E000000A.log", "E000000B.jtx"], in: "/d", baseName: "E00")
        #expect(byCheckpoint.logs.map(\.fileName) == ["E000000B.jtx"])
        // Without checkpoint and current log, the majority still decides.
        let majority = try LogDirectory.select(["E000000A.log", "E000000B.log", "E000000C.jtx"], in: "/d", baseName: "E00")
        #expect(majority.logs.map(\.fileName) == ["E000000A.log", "E000000B.log"])
        // The same for the digit count: ESE opens generation 11 of a 5-digit set as E000000B.log only.
        let digits = try LogDirectory.select(["E00.log", "E000000A.log", "E000000000B.log", "E000000C.log"], in: "/d", baseName: "E00")
        #expect(digits.logs.map(\.fileName) == ["E00.log", "E000000A.log", "E000000C.log"])
        #expect(digits.otherSpelling.map(\.fileName) == ["E000000000B.log"])
    }
}
