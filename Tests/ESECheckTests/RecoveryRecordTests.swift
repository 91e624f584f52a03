@testable import ESECheck
@testable import ESEFormat
import Testing

/// The recovery decisions that rest on log records (recovery.md §5), once the records are
/// walked: invalid records in the replayed logs, the clean-shutdown short-cut (S2), attach and
/// detach records meeting deferred databases, the shutdown exemption.
@Suite struct RecoveryRecordTests {
    typealias F = RecoveryFixture

    /// Every log of the input walked, with no record but `extra` (by generation; nil: current).
    static func walked(_ input: RecoveryInput, _ extra: [Int32?: (inout LogRecordWalk) -> Void] = [:]) -> RecoveryInput {
        var input = input
        for index in input.logs.indices {
            var walk = LogRecordWalk(format: .v8)
            extra[input.logs[index].nameGeneration]?(&walk)
            input.logs[index].records = walk
        }
        return input
    }

    static func attach(_ signature: Signature, at position: LogPosition, id: UInt8 = 1) -> DatabaseLogRecord {
        DatabaseLogRecord(type: .attachDB, position: position, fileOffset: 0, databaseID: id, databaseSignature: signature, flags: 0)
    }

    @Test func invalidRecordInsideTheSpanFailsLikeCorruption() {
        let input = Self.walked(F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...12)]), [11: { walk in
            walk.firstInvalid = InvalidLogRecord(reason: .typeOutOfRange, type: LogRecordType(rawValue: 0xF0),
                                                 position: LogPosition(generation: 11, sector: 3, byteOffset: 40), sector: 3, fileOffset: 12_328)
        }])
        let decision = RecoveryModel.evaluate(input).decisions[0]
        #expect(decision.jetError == .logFileCorrupt && decision.verdict == .logsDamaged)
        #expect(decision.reasons.first?.code == .invalidRecord)
    }

    @Test func invalidRecordBeforeTheCheckpointIsNeverRead() {
        func input(_ position: LogPosition) -> RecoveryInput {
            Self.walked(F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...12)]), [10: { walk in
                walk.firstInvalid = InvalidLogRecord(reason: .typeOutOfRange, type: LogRecordType(rawValue: 0xF0),
                                                     position: position, sector: Int(position.sector), fileOffset: 0)
            }])
        }
        // The checkpoint is (10,1,0): a record before it is never read, one after it fails replay directly.
        #expect(RecoveryModel.evaluate(input(LogPosition(generation: 10, sector: 0, byteOffset: 40))).decisions[0].outcome == .recoverable)
        let after = RecoveryModel.evaluate(input(LogPosition(generation: 10, sector: 4, byteOffset: 0))).decisions[0]
        #expect(after.jetError == .logFileCorrupt && after.outcome == .notRecoverable)
    }

    @Test func cleanShortCutLeavesADirtyDatabaseDirty() {
        let checkpoint = LogPosition(generation: 10, sector: 1, byteOffset: 0)
        let input = Self.walked(F.input(8...9, current: 10, checkpoint: 10, [F.dirtyDatabase(8...9)]), [nil: { $0.cleanEnd = checkpoint }])
        let result = RecoveryModel.evaluate(input)
        #expect(result.decisions[0].jetError == .databaseDirtyShutdown && result.decisions[0].outcome == .notRecoverable)
        #expect(result.plan.notes.contains { $0.code == .cleanShutdownShortCut })
        #expect(!result.plan.approximations.contains("cleanShutdownShortCut"))
        #expect(result.remedies.contains { $0.code == .deleteCheckpoint }, "without the checkpoint, replay starts at 8")

        var clean = input
        clean.databases = [F.cleanDatabase(detachedAt: 10)]
        #expect(RecoveryModel.evaluate(clean).decisions[0].outcome == .consistent)
    }

    @Test func attachRecordsDecideInsteadOfTheApproximation() {
        // A dirty database whose header says it was detached at 9 and attached again at 11:
        // the log set lists it with an older consistent position (consistent future).
        var base = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(11...12) { header in
            header.consistentPosition = LogPosition(generation: 9, sector: 2, byteOffset: 0)
            header.attachPosition = LogPosition(generation: 11, sector: 4, byteOffset: 616)
        }])
        base.checkpoint = F.checkpoint(10, attachments: [F.attachment(consistent: LogPosition(generation: 5, sector: 2, byteOffset: 0))])
        let approximate = RecoveryModel.evaluate(base).decisions[0]
        #expect(approximate.outcome == .recoverable && approximate.usedApproximation)

        let withRecord = Self.walked(base, [11: { $0.databaseRecords = [Self.attach(F.databaseSignature, at: LogPosition(generation: 11, sector: 4, byteOffset: 616))] }])
        let decided = RecoveryModel.evaluate(withRecord).decisions[0]
        #expect(decided.outcome == .recoverable && decided.usedRecords && !decided.usedApproximation)
        #expect(decided.attach == .attachedDuringReplay)

        let withoutRecord = Self.walked(base)
        let deferred = RecoveryModel.evaluate(withoutRecord).decisions[0]
        #expect(deferred.jetError == .attachedDatabaseMismatch, "no attach record is replayed: deferred to the end, -1216")
    }

    @Test func cleanDatabaseStillListedNeedsItsDetachOrAShutdown() {
        var base = F.input(8...12, current: 13, checkpoint: 10, [F.cleanDatabase(detachedAt: 12), F.dirtyDatabase(10...12, path: "/r/b.edb") {
            $0.databaseSignature = F.otherLogSignature
        }])
        base.checkpoint = F.checkpoint(10, attachments: [F.attachment(), F.attachment(signature: F.otherLogSignature, path: "C:\\DB\\b.edb")])
        let nothing = RecoveryModel.evaluate(Self.walked(base))
        #expect(nothing.decisions[1].jetError == .attachedDatabaseMismatch, "the clean database stays deferred: -1216 fails the set")

        let detach = DatabaseLogRecord(type: .detachDB, position: LogPosition(generation: 12, sector: 2, byteOffset: 0), fileOffset: 0,
                                       databaseID: 1, flags: 0)
        let detached = RecoveryModel.evaluate(Self.walked(base, [12: { $0.databaseRecords = [detach] }]))
        #expect(detached.decisions[1].outcome == .recoverable && detached.decisions[0].outcome == .consistent)

        let shutdown = RecoveryModel.evaluate(Self.walked(base, [nil: { $0.endsWithShutDownMark = true }]))
        #expect(shutdown.decisions[1].outcome == .recoverable, "the logs end with a shutdown: the deferral is exempt")
    }
}
