/// What walking the records of one log file found: how many of each type, the first invalid
/// record, and the facts recovery needs (how the log ends, the database records).
///
/// Records are counted as `eseutil /ml /v` counts them: a fragmented v8 record once, by its
/// reassembled type; v8 NOP padding is skipped, never counted (ESE's reader never returns it);
/// v7 NOP bytes are one-byte records and counted, as the legacy reader returns each.
public struct LogRecordWalk: Hashable, Sendable {
    /// The body format walked.
    public var format: LogBodyFormat
    /// Records walked (returned by ESE's reader), valid ones only.
    public var recordsWalked = 0
    /// Records walked per type, indexed by the type's value (`LogRecordType.limit` entries).
    public var countByType = [Int](repeating: 0, count: LogRecordType.limit)
    /// Bytes of log data the walk covered (segment headers and padding included).
    public var bytesWalked = 0
    /// The first record ESE's reader rejects (−501); the walk stops there.
    public var firstInvalid: InvalidLogRecord?
    /// The first record walked: the record recovery reads first when it enters this generation.
    public var firstRecord: LogRecordLocation?
    /// The last record walked, skipping what the end-of-log scan skips (v8 NOP2; v7 NOP and
    /// LRCHECKSUM): the record before the NOP tail.
    public var lastRecord: LogRecordLocation?
    /// Where the log closes cleanly, as ESE's end-of-log scan decides it: the last record of the
    /// last valid segment that is not NOP or NOP2 is Term, Term2, RecoveryQuit, RecoveryQuit2 or
    /// RecoveryQuitKeepAttachments, and this is its position with ESE's convention for that scan
    /// (the physical offset, 40 mapped to 0; logread.cxx:1687-1728). v7: the last LRCHECKSUM
    /// range, without RecoveryQuitKeepAttachments, the record's start (logread_legacy.cxx:3455-3503).
    /// Recovery compares it with the checkpoint (logredo.cxx:15049-15085). Nil when the log does
    /// not close cleanly.
    public var cleanEnd: LogPosition?
    /// The last ShutDownMark walked: its position is what a clean shutdown writes into the
    /// database headers (io.cxx:741-762).
    public var lastShutDownMark: LogRecordLocation?
    /// Whether the last record walked that redo does not ignore is a ShutDownMark: ESE's
    /// `m_fLastLRIsShutdown` at the end of this log (set by ShutDownMark; left alone by NOP,
    /// NOP2, Checksum, Trace, JetOp, ForceWriteLog, ForceLogRollover, RecoveryUndo,
    /// RecoveryUndo2, FullBackup, IncBackup, Backup, Backup2; cleared by every other record,
    /// logredo.cxx:12473-12566). It starts false in each log; carry it across generations
    /// by ignoring logs with no record.
    public var endsWithShutDownMark = false
    /// Every CreateDB, AttachDB, DetachDB and ReAttach record, in log order.
    public var databaseRecords: [DatabaseLogRecord] = []
    /// The pages the page records change, in log order, when the walk was asked to collect
    /// them (`LogRecordWalker.walk(_:header:scan:collectingPages:)`); nil otherwise.
    public var pageReferences: [LogPageReference]?
    /// The highest page number `pageReferences` keeps (`UInt32.max`: every page).
    public var highestCollectedPage = UInt32.max
    /// v8: Fragment records skipped at the start of the log, as ESE skips a partial record when
    /// it starts reading at a segment start (`fSkipPartialLR`, logread.cxx:2248-2253).
    public var skippedFragments = 0
    /// v8: the data ends inside a fragmented record (not an error: the log ends there,
    /// logread.cxx:2124-2128).
    public var endsInFragment = false
    /// v7: records discarded because the next LRCHECKSUM has no backward range (a range patched
    /// after a crash; logread_legacy.cxx:4465-4493).
    public var discardedRecords = 0

    /// Creates an empty walk.
    public init(format: LogBodyFormat) { self.format = format }

    /// Counts `type` toward the end-of-log facts: the ShutDownMark flag.
    mutating func note(_ type: LogRecordType, at location: @autoclosure () -> LogRecordLocation) {
        switch type.rawValue {
        case 23:
            lastShutDownMark = location()
            endsWithShutDownMark = true
        case 0, 71, 42, 22, 21, 57, 61, 17, 51, 19, 20, 46, 60:
            break
        default:
            endsWithShutDownMark = false
        }
    }

    /// Whether every record walked is valid.
    public var isClean: Bool { firstInvalid == nil }

    /// The count of records of `type`.
    public func count(of type: LogRecordType) -> Int { type.isDefined ? countByType[Int(type.rawValue)] : 0 }

    /// The types walked with their counts, in type order, without the zero counts.
    public var countsByType: [(type: LogRecordType, count: Int)] {
        countByType.indices.compactMap { index in
            countByType[index] == 0 ? nil : (LogRecordType(rawValue: UInt8(index)), countByType[index])
        }
    }
}
