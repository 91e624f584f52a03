@testable import ESECheck
@testable import ESEFormat
import Testing

/// The recovery model against recovery.md: every situation of §8 and the rows of §4, each with
/// ESE's error. Inputs are written by hand (RecoveryFixture); no file is read.
@Suite struct RecoveryModelTests {
    typealias F = RecoveryFixture

    static func evaluate(_ input: RecoveryInput) -> (result: RecoveryResult, decision: RecoveryDecision) {
        let result = RecoveryModel.evaluate(input)
        return (result, result.decisions[0])
    }

    /// The standard healthy set of §8: DB dirty genMin = genMax = committed = 10; A(8..12), E = 13, checkpoint 10.
    static func standard() -> RecoveryInput { F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...10)]) }

    @Test func healthySetIsRecoverable() {
        let (result, decision) = Self.evaluate(Self.standard())
        #expect(decision.outcome == .recoverable && decision.verdict == .recoverable && decision.jetError == .success)
        #expect(decision.attach == .attached)
        #expect(result.plan.start == 10 && result.plan.startReason == .checkpoint && result.plan.end == 13)
        #expect(result.plan.unreadLowLogs == ["E0000008.log", "E0000009.log"])
        #expect(result.plan.failure == nil && result.remedies.isEmpty)
    }

    // MARK: §8

    @Test func situation1MissingLogBetweenCheckpointAndCurrent() {
        var input = Self.standard()
        input.replaceArchive(11, with: nil)
        let (result, decision) = Self.evaluate(input)
        // ESE: -515. No database needs or committed 11, so `eseutil /r /a` recovers (L).
        #expect(decision.jetError == .invalidLogSequence && decision.verdict == .recoverableWithLoss)
        #expect(result.plan.failure?.generation == 11 && result.plan.failure?.code == "logMissing")
        var needed = input
        needed.databases = [F.dirtyDatabase(10...12)]
        #expect(Self.evaluate(needed).decision.verdict == .missingLogs)
        #expect(Self.evaluate(needed).decision.jetError == .invalidLogSequence)
    }

    @Test func situation2ForeignLogInsideTheSpan() {
        var input = Self.standard()
        input.replaceArchive(11, with: F.log(11, signature: F.otherLogSignature))
        let (result, decision) = Self.evaluate(input)
        #expect(decision.jetError == .badLogSignature && decision.verdict == .signatureMismatch)
        #expect(result.remedies.contains { $0.code == "replaceLog" && $0.files == ["E000000B.log"] })
    }

    @Test func situation3CheckpointAheadOfTheDatabase() {
        var input = Self.standard()
        input.checkpoint = F.checkpoint(12)
        let (result, decision) = Self.evaluate(input)
        #expect(decision.jetError == .requiredLogFilesMissing && !decision.verdict.isRestorable)
        #expect(result.remedies.map(\.code) == ["deleteCheckpoint"])
        input.checkpoint = nil
        #expect(Self.evaluate(input).decision.outcome == .recoverable)
    }

    @Test func situation4CheckpointLogMissing() {
        var input = Self.standard()
        input.replaceArchive(10, with: nil)
        let (result, decision) = Self.evaluate(input)
        #expect(decision.jetError == .missingLogFile && decision.verdict == .missingLogs)
        #expect(result.plan.failure?.code == "startLogMissing")
        #expect(!result.remedies.contains { $0.code == "deleteCheckpoint" }, "without A(10) no start recovers")
    }

    @Test func situation4CheckpointLogMissingButNotNeeded() {
        // The DB needs only 12: without the checkpoint replay starts at 8 and the chain is whole … except 10.
        var input = F.input(11...12, current: 13, checkpoint: 10, [F.dirtyDatabase(12...12)])
        let (result, decision) = Self.evaluate(input)
        #expect(decision.jetError == .missingLogFile)
        #expect(result.remedies.first?.code == "deleteCheckpoint")
        input.checkpoint = nil
        #expect(Self.evaluate(input).decision.outcome == .recoverable)
    }

    @Test func situation5ForeignOrGappedLowLogWithoutCheckpoint() {
        var foreign = F.input(8...12, current: 13, checkpoint: nil, [F.dirtyDatabase(10...10)])
        foreign.logs.append(F.log(3, signature: F.otherLogSignature))
        let (result, decision) = Self.evaluate(foreign)
        #expect(decision.jetError == .badLogSignature)
        #expect(result.remedies.contains { $0.code == "removeLowLogs" && $0.files == ["E0000003.log"] })

        var gapped = F.input(8...12, current: 13, checkpoint: nil, [F.dirtyDatabase(10...10)])
        gapped.logs.append(F.log(3))
        let gap = Self.evaluate(gapped)
        #expect(gap.decision.jetError == .invalidLogSequence)
        #expect(gap.result.remedies.contains { $0.code == "removeLowLogs" && $0.files == ["E0000003.log"] })
    }

    @Test func situation6StaleCurrentLogBelowTheArchives() {
        let input = F.input(1...9, current: 5, checkpoint: nil, [F.dirtyDatabase(8...9)])
        let (result, decision) = Self.evaluate(input)
        #expect(decision.jetError == .invalidLogSequence && !decision.verdict.isRestorable)
        #expect(result.plan.failure?.message.contains("older than the archives") == true)
        #expect(LogDumpModel.evaluate(input.logs).jetError == .missingLogFile)
    }

    @Test func situation7StrayArchivesAboveTheCurrentLog() {
        var input = F.input(1...9, current: 10, checkpoint: nil, [F.dirtyDatabase(9...10)])
        input.logs += [F.log(11), F.log(12)]
        let (result, decision) = Self.evaluate(input)
        #expect(decision.outcome == .recoverable)
        #expect(result.plan.strayLogs == ["E000000B.log", "E000000C.log"])
        #expect(result.plan.notes.contains { $0.code == "strayLogs" && $0.isWarning })
        #expect(LogDumpModel.evaluate(input.logs).jetError == .missingLogFile)
    }

    @Test func situation8CurrentLogAbsent() {
        let withTemporary = F.input(8...12, current: nil, checkpoint: 10, [F.dirtyDatabase(10...12)], temporaryLog: true)
        let temporary = Self.evaluate(withTemporary)
        #expect(temporary.decision.outcome == .recoverable)
        #expect(temporary.result.plan.end == 12)

        let without = F.input(8...12, current: nil, checkpoint: 10, [F.dirtyDatabase(10...12, committed: 13)])
        let missing = Self.evaluate(without)
        #expect(missing.decision.jetError == .missingLogFile && missing.decision.outcome == .recoverableWithLoss)
        #expect(missing.decision.lostGenerations == 13...13)

        let needed = F.input(8...12, current: nil, checkpoint: 10, [F.dirtyDatabase(10...13)])
        #expect(Self.evaluate(needed).decision.outcome == .notRecoverable)
    }

    @Test func situation9RequiredAndCommittedBeyondTheCurrentLog() {
        let committed = Self.evaluate(F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...12, committed: 14)]))
        #expect(committed.decision.jetError == .committedLogFilesMissing && committed.decision.outcome == .recoverableWithLoss)
        #expect(committed.decision.lostGenerations == 14...14)
        #expect(committed.result.remedies.contains { $0.code == "recoverWithLoss" })

        let required = Self.evaluate(F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...14)]))
        #expect(required.decision.jetError == .requiredLogFilesMissing && required.decision.outcome == .notRecoverable)
    }

    @Test func situation10LogTimeWithItsFormatFeatureTest() {
        func input(updateMajor: UInt32) -> RecoveryInput {
            F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...13) { header in
                header.updateMajor = updateMajor
                header.maximumRequiredGenerationCreateTime = F.time(99)   // not E's tmCreate
                header.maximumCommittedGenerationCreateTime = F.time(13)  // E's tmCreate
            }])
        }
        #expect(Self.evaluate(input(updateMajor: 150)).decision.jetError == .requiredLogFilesMissing)
        #expect(Self.evaluate(input(updateMajor: 140)).decision.outcome == .recoverable, "field ignored, logtimeGenMaxCreate used")
        let fallback = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...13) { header in
            header.updateMajor = 140
            header.maximumCommittedGenerationCreateTime = F.time(77)
        }])
        #expect(Self.evaluate(fallback).decision.jetError == .requiredLogFilesMissing)
    }

    @Test func situation11AccumulatedChecksumAlsoWhenZero() {
        var input = Self.standard()
        input.changeLog(13) { _ in }
        input.changeLog(nil) { $0.header?.previousGenerationAccumulatedChecksum = 0 }
        let (result, decision) = Self.evaluate(input)
        #expect(decision.jetError == .logSequenceChecksumMismatch && decision.verdict == .logsDamaged)
        #expect(result.plan.failure?.generation == 13)
        #expect(LogDumpModel.evaluate(input.logs).jetError == .success, "/ml skips zero fields")
        input.changeLog(nil) { $0.header?.updateMinor = 12 }
        #expect(Self.evaluate(input).decision.outcome == .recoverable, "before 8.4000.x.13 the field is not checked")
    }

    @Test func situation12LogSizeAndPageSize() {
        var size = Self.standard()
        size.changeLog(12) { $0.fileSize = 5 << 20 }
        #expect(Self.evaluate(size).decision.jetError == .logFileSizeMismatch)

        var pages = Self.standard()
        for index in pages.logs.indices { pages.logs[index].header?.storedPageSize = 32768 }
        #expect(Self.evaluate(pages).decision.jetError == .pageSizeMismatch)
    }

    @Test func situation13OlderCopyOfTheDatabase() {
        let listed = F.attachment(consistent: LogPosition(generation: 5, sector: 2, byteOffset: 0))
        var older = Self.standard()
        older.checkpoint = F.checkpoint(10, attachments: [listed])
        older.databases = [F.dirtyDatabase(10...10) { $0.consistentPosition = LogPosition(generation: 4, sector: 2, byteOffset: 0) }]
        #expect(Self.evaluate(older).decision.jetError == .consistentTimeMismatch)

        var attach = Self.standard()
        attach.checkpoint = F.checkpoint(10, attachments: [F.attachment(attachedAt: 3)])
        let result = Self.evaluate(attach)
        #expect(result.decision.jetError == .attachedDatabaseMismatch && result.decision.outcome == .notRecoverable)
    }

    @Test func situation14CleanDatabaseStillListedInACrashCopy() {
        let clean = F.cleanDatabase(detachedAt: 20)   // detached after the copied logs end
        let input = F.input(8...12, current: 13, checkpoint: 10, [clean, F.dirtyDatabase(10...10, path: "/restore/other.edb") { $0.databaseSignature = F.otherLogSignature }])
        var listed = input
        listed.checkpoint = F.checkpoint(10, attachments: [F.attachment(), F.attachment(signature: F.otherLogSignature, path: "C:\\DB\\other.edb")])
        let result = RecoveryModel.evaluate(listed)
        #expect(result.decisions[0].outcome == .consistent, "the clean database itself needs no log")
        #expect(result.decisions[0].reasons.contains { $0.jetError == .attachedDatabaseMismatch && $0.isWarning })
        #expect(result.decisions[1].outcome == .notRecoverable && result.decisions[1].jetError == .attachedDatabaseMismatch)
        #expect(result.remedies.contains { $0.code == "ignoreMissingDatabases" })
    }

    @Test func situation15CorruptionBeyondEveryCommittedRange() {
        let input = F.input(8...16, current: 17, checkpoint: 10, [F.dirtyDatabase(10...12, committed: 14)])
        var corrupt = input
        corrupt.replaceArchive(15, with: F.log(15, body: .corrupt(sector: 3, detail: "segmentCorrupt")))
        let (result, decision) = Self.evaluate(corrupt)
        #expect(decision.jetError == .logFileCorrupt && decision.outcome == .recoverableWithLoss)
        #expect(result.plan.failure?.lostGenerations?.lowerBound == 15)

        var committed = input
        committed.replaceArchive(13, with: F.log(13, body: .corrupt(sector: 3, detail: "segmentCorrupt")))
        let lossy = Self.evaluate(committed)
        #expect(lossy.decision.jetError == .committedLogFileCorrupt && lossy.decision.outcome == .recoverableWithLoss)
        #expect(lossy.result.plan.failure?.underlyingError == .logFileCorrupt)

        var required = input
        required.replaceArchive(11, with: F.log(11, body: .corrupt(sector: 3, detail: "segmentCorrupt")))
        #expect(Self.evaluate(required).decision.jetError == .logFileCorrupt)
        #expect(Self.evaluate(required).decision.outcome == .notRecoverable)
    }

    @Test func situation16DatabaseFromABackupSet() {
        var input = Self.standard()
        input.databases = [F.dirtyDatabase(10...10) { $0.currentFullBackup.generationLow = 5 }]
        let (result, decision) = Self.evaluate(input)
        #expect(decision.jetError == .softRecoveryOnBackupDatabase && decision.outcome == .notRecoverable)
        #expect(result.remedies.contains { $0.code == "hardRestore" })
    }

    @Test func situation17TornWritesAreRepairedInAnyGeneration() {
        var input = Self.standard()
        input.changeLog(nil) { $0.body = .tornWriteRepairable(sector: 200) }
        input.changeLog(12) { $0.body = .tornWriteRepairable(sector: 255) }
        let (result, decision) = Self.evaluate(input)
        #expect(decision.outcome == .recoverable)
        #expect(result.plan.notes.filter { $0.code == "tornWriteRepaired" }.count == 2)
    }

    // MARK: §4 rows not covered above

    @Test func checkpointMissingCorruptOrForeignIsIgnored() {
        var foreign = Self.standard()
        foreign.checkpoint = F.checkpoint(12, signature: F.otherLogSignature)
        let ignored = Self.evaluate(foreign)
        #expect(ignored.decision.outcome == .recoverable)
        #expect(ignored.result.plan.startReason == .lowestArchivedLog && ignored.result.plan.start == 8)
        #expect(ignored.result.plan.notes.contains { $0.jetError == .badCheckpointSignature && $0.isWarning })

        var corrupt = Self.standard()
        corrupt.checkpoint = RecoveryCheckpoint(fileName: "E00.chk", header: nil)
        #expect(Self.evaluate(corrupt).result.plan.notes.contains { $0.jetError == .checkpointCorrupt })
        #expect(Self.evaluate(corrupt).decision.outcome == .recoverable)

        var absent = Self.standard()
        absent.checkpoint = nil
        #expect(Self.evaluate(absent).result.plan.notes.contains { $0.jetError == .checkpointFileNotFound })
    }

    @Test func noCheckpointAndNoArchivesStartsAtTheCurrentLog() {
        let input = F.input(nil, current: 13, checkpoint: nil, [F.dirtyDatabase(13...13)])
        let (result, decision) = Self.evaluate(input)
        #expect(decision.outcome == .recoverable && result.plan.startReason == .currentLog)
    }

    @Test func noLogsAtAllForADirtyDatabase() {
        let input = F.input(nil, current: nil, checkpoint: nil, [F.dirtyDatabase(10...10)])
        #expect(Self.evaluate(input).decision.outcome == .notRecoverable)
        var notGiven = input
        notGiven.logsGiven = false
        #expect(Self.evaluate(notGiven).decision.jetError == .missingLogFile, "eseutil /r: -528 (tm.cxx:521-535)")
    }

    @Test func currentLogUnusableIsFatal() {
        var input = Self.standard()
        input.changeLog(nil) { $0.headerProblem = RecoveryLogProblem(jetError: .badLogVersion, message: "unsupported log version 9.1.0.0") }
        #expect(Self.evaluate(input).decision.jetError == .badLogVersion)
    }

    @Test func corruptionInTheStartLogIsNotJudgedByTheLostLogRule() {
        var input = F.input(8...12, current: 13, checkpoint: 12, [F.dirtyDatabase(12...12, committed: 12)])
        input.replaceArchive(12, with: F.log(12, body: .corrupt(sector: 1, detail: "segmentCorrupt")))
        let decision = Self.evaluate(input).decision
        #expect(decision.jetError == .logFileCorrupt && decision.outcome == .notRecoverable)
    }

    @Test func lostLogRuleTurnsAGapInsideACommittedRangeIntoMinus582() {
        var input = F.input(8...14, current: 15, checkpoint: 10, [F.dirtyDatabase(10...11, committed: 14)])
        input.replaceArchive(13, with: nil)
        let (result, decision) = Self.evaluate(input)
        #expect(decision.jetError == .committedLogFilesMissing && decision.outcome == .recoverableWithLoss)
        #expect(result.plan.failure?.underlyingError == .invalidLogSequence)
        #expect(decision.lostGenerations?.lowerBound == 13)
    }

    @Test func archivedCopyOfTheCurrentGenerationConflicts() {
        let input = F.input(8...13, current: 13, checkpoint: 10, [F.dirtyDatabase(10...10)])
        let decision = Self.evaluate(input).decision
        #expect(decision.jetError == .invalidLogSequence && !decision.verdict.isRestorable)
    }

    @Test func gapWithoutCurrentLogIsMinus528() {
        var input = F.input(8...12, current: nil, checkpoint: 10, [F.dirtyDatabase(10...10)], temporaryLog: true)
        input.replaceArchive(11, with: nil)
        let decision = Self.evaluate(input).decision
        #expect(decision.jetError == .missingLogFile && decision.outcome == .notRecoverable)
    }

    @Test func databaseStatesRecoveryRefuses() {
        for (state, error) in [(DatabaseState.incrementalReseedInProgress, JetError.databaseIncompleteIncrementalReseed),
                               (.revertInProgress, .databaseIncompleteRevert), (.beingConverted, .databaseCorrupted)] {
            var input = Self.standard()
            input.databases = [F.dirtyDatabase(10...10) { $0.state = state }]
            let decision = Self.evaluate(input).decision
            #expect(decision.outcome == .notRecoverable && decision.jetError == error, "\(state)")
        }
    }

    @Test func attachListNamingAnotherDatabaseDefersIt() {
        var input = Self.standard()
        input.checkpoint = F.checkpoint(10, attachments: [F.attachment(signature: F.otherLogSignature)])
        let (result, decision) = Self.evaluate(input)
        #expect(decision.attach == .deferred && decision.jetError == .attachedDatabaseMismatch)
        #expect(result.remedies.contains { $0.code == "ignoreMissingDatabases" })
    }

    @Test func databaseOfAnotherSequenceIsASignatureMismatch() {
        var input = Self.standard()
        input.databases = [F.dirtyDatabase(10...10) { $0.logSignature = F.otherLogSignature }]
        let decision = Self.evaluate(input).decision
        #expect(decision.verdict == .signatureMismatch && decision.attach == .deferred)
    }

    @Test func databaseAbsentFromTheCheckButListed() {
        var input = Self.standard()
        input.checkpoint = F.checkpoint(10, attachments: [F.attachment(), F.attachment(signature: F.otherLogSignature, path: "C:\\DB\\gone.edb")])
        let (result, decision) = Self.evaluate(input)
        #expect(decision.outcome == .notRecoverable && decision.jetError == .attachedDatabaseMismatch)
        #expect(result.remedies.contains { $0.code == "ignoreMissingDatabases" && $0.files.contains("C:\\DB\\gone.edb") })
        var logsOnly = input
        logsOnly.databasesGiven = false
        #expect(RecoveryModel.evaluate(logsOnly).plan.failure == nil)
    }

    @Test func unlistedDirtyDatabaseAttachedInsideTheSpanUsesTheApproximation() {
        var input = Self.standard()
        input.checkpoint = F.checkpoint(10, attachments: [])
        input.databases = [F.dirtyDatabase(11...11) { $0.attachPosition = LogPosition(generation: 11, sector: 3, byteOffset: 0) }]
        let decision = Self.evaluate(input).decision
        #expect(decision.outcome == .recoverable && decision.attach == .attachedDuringReplay && decision.usedApproximation)

        var outside = input
        outside.databases = [F.dirtyDatabase(11...11) { $0.attachPosition = LogPosition(generation: 2, sector: 3, byteOffset: 0) }]
        #expect(Self.evaluate(outside).decision.jetError == .databaseDirtyShutdown)
    }

    @Test func everyRemedyIsProvenByTheModel() {
        // A remedy that deletes or removes files must make the model say recoverable.
        var input = Self.standard()
        input.checkpoint = F.checkpoint(12)
        let result = RecoveryModel.evaluate(input)
        for remedy in result.remedies where remedy.code == "deleteCheckpoint" {
            var changed = input
            changed.checkpoint = nil
            #expect(RecoveryModel.evaluate(changed).decisions[0].outcome == .recoverable, "\(remedy)")
        }
    }
}

/// Rules found untested in review: each input fails the test when its rule is removed.
@Suite struct RecoveryModelEdgeTests {
    typealias F = RecoveryFixture

    static func corruptEleven(_ input: RecoveryInput) -> RecoveryInput {
        var input = input
        input.replaceArchive(11, with: F.log(11, body: .corrupt(sector: 2, detail: "segmentCorrupt")))
        return input
    }

    @Test func lossNeverRecoversADatabaseRecoveryDoesNotAttach() {
        // DB a needs only 10, so -501 at 11 alone would be L; but DB b (same sequence, in no
        // attach list, attach record outside the span) stays dirty under /r /a.
        var input = Self.corruptEleven(F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...10)]))
        input.databases.append(F.dirtyDatabase(10...10, path: "/r/b.edb") { $0.databaseSignature = F.otherLogSignature })
        let result = RecoveryModel.evaluate(input)
        #expect(result.decisions.allSatisfy { $0.outcome == .notRecoverable && $0.lostGenerations == nil })
    }

    @Test func lossNeverRecoversWhenAListedDatabaseIsAbsent() {
        var input = Self.corruptEleven(F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...10)]))
        input.checkpoint = F.checkpoint(10, attachments: [F.attachment(), F.attachment(signature: F.otherLogSignature, path: "C:\\DB\\gone.edb")])
        #expect(RecoveryModel.evaluate(input).decisions[0].outcome == .notRecoverable)
    }

    @Test func noAccumulatedChecksumOfThePredecessorIsNotAMismatch() {
        var input = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...10)])
        input.changeLog(12) { $0.accumulatedChecksum = nil }   // e.g. a v7 predecessor
        #expect(RecoveryModel.evaluate(input).decisions[0].outcome == .recoverable)
    }

    @Test func oneLogWithAnotherPageSizeIsMinus1213() {
        var input = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...12)])
        input.changeLog(11) { $0.header?.storedPageSize = 32768 }
        let decision = RecoveryModel.evaluate(input).decisions[0]
        #expect(decision.jetError == .pageSizeMismatch && decision.reasons.first?.code == .logPageSizeMismatch)
    }

    @Test func currentLogOfAnotherSizeThanItDeclaresIsMinus541() {
        var input = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...12)])
        input.changeLog(nil) { $0.fileSize = 2 << 20 }
        #expect(RecoveryModel.evaluate(input).decisions[0].jetError == .logFileSizeMismatch)
    }

    @Test func unusableArchivedHeaderInTheSpanFailsDirectly() {
        var input = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...10)])
        input.changeLog(11) { $0.headerProblem = RecoveryLogProblem(jetError: .logFileCorrupt, message: "the header checksum is bad") }
        let decision = RecoveryModel.evaluate(input).decisions[0]
        #expect(decision.jetError == .logFileCorrupt && decision.outcome == .notRecoverable, "no lost-log rule for header errors")
    }

    @Test func checkpointWithoutAGenerationIsIgnored() {
        var input = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...10)])
        input.checkpoint = F.checkpoint(0)
        let result = RecoveryModel.evaluate(input)
        #expect(result.plan.startReason == .lowestArchivedLog && result.decisions[0].outcome == .recoverable)
    }

    @Test func bodiesNotScannedAreNamedAsAnApproximation() {
        var input = F.input(8...12, current: 13, checkpoint: 10, [F.dirtyDatabase(10...10)])
        input.changeLog(11) { $0.body = .notExamined }
        #expect(RecoveryModel.evaluate(input).plan.approximations.contains("bodyNotScanned"))
    }
}
