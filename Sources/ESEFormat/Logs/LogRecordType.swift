/// The type of a log record: its first byte. ESE: `LRTYP` (logapi.hxx:111-272).
///
/// Values 0 … 101 are defined (`lrtypMax` = 102); 47 and 56 no longer have a constant. The
/// names are ESE's constants without the `lrtyp` prefix, as `eseutil /ml /v` prints them.
public struct LogRecordType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The stored byte.
    public var rawValue: UInt8

    /// Creates a type from its stored byte (any value; `isDefined` tells whether ESE knows it).
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The number of defined types; a record of a type at or above it is corrupt (−501).
    /// ESE: `lrtypMax` (logapi.hxx:272).
    public static let limit = 102

    /// Whether ESE defines this type (`lrtyp < lrtypMax`).
    public var isDefined: Bool { Int(rawValue) < Self.limit }

    /// ESE's name of the type (`lrtypTerm2` → `Term2`), or `Unknown(n)` past `lrtypMax`.
    public var name: String { isDefined ? Self.names[Int(rawValue)] : "Unknown(\(rawValue))" }

    /// The name.
    public var description: String { name }

    /// Orders types by value.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Padding, one byte. ESE: `lrtypNOP`.
    public static let nop = Self(rawValue: 0)
    /// Engine start (18-byte `LRINIT` with DBMS_PARAM, 568 bytes). ESE: `lrtypInit`.
    public static let initialize = Self(rawValue: 1)
    /// Clean termination (18-byte `LRTERMREC`). ESE: `lrtypTerm`.
    public static let term = Self(rawValue: 2)
    /// Start of recovery's undo phase (1 byte). ESE: `lrtypRecoveryUndo`.
    public static let recoveryUndo = Self(rawValue: 17)
    /// End of recovery (18-byte `LRTERMREC`). ESE: `lrtypRecoveryQuit`.
    public static let recoveryQuit = Self(rawValue: 18)
    /// Marks a clean shutdown before the database headers are written. ESE: `lrtypShutDownMark`.
    public static let shutDownMark = Self(rawValue: 23)
    /// A database created. ESE: `lrtypCreateDB`.
    public static let createDB = Self(rawValue: 14)
    /// A database attached. ESE: `lrtypAttachDB`.
    public static let attachDB = Self(rawValue: 15)
    /// A database detached. ESE: `lrtypDetachDB`.
    public static let detachDB = Self(rawValue: 16)
    /// A deferred before-image. ESE: `lrtypUndoInfo`.
    public static let undoInfo = Self(rawValue: 36)
    /// A v7 checksum record (22 bytes). ESE: `lrtypChecksum`.
    public static let checksum = Self(rawValue: 42)
    /// Engine start with more parameters (576 bytes). ESE: `lrtypInit2`.
    public static let init2 = Self(rawValue: 49)
    /// Clean termination with a time (26-byte `LRTERMREC2`). ESE: `lrtypTerm2`.
    public static let term2 = Self(rawValue: 50)
    /// Start of recovery's undo phase, newer form. ESE: `lrtypRecoveryUndo2`.
    public static let recoveryUndo2 = Self(rawValue: 51)
    /// End of recovery with a time (26 bytes). ESE: `lrtypRecoveryQuit2`.
    public static let recoveryQuit2 = Self(rawValue: 52)
    /// Self-sized padding, ignored like NOP by the end-of-log scan. ESE: `lrtypNOP2`.
    public static let nop2 = Self(rawValue: 71)
    /// Re-attachment of an attached database (ignorable type, 50 bytes). ESE: `lrtypReAttach`.
    public static let reAttach = Self(rawValue: 72)
    /// First piece of a record split across v8 segments. ESE: `lrtypFragmentBegin`.
    public static let fragmentBegin = Self(rawValue: 76)
    /// Following piece of a split record. ESE: `lrtypFragment`.
    public static let fragment = Self(rawValue: 77)
    /// End of recovery keeping the databases attached (26 bytes). ESE: `lrtypRecoveryQuitKeepAttachments`.
    public static let recoveryQuitKeepAttachments = Self(rawValue: 80)

    /// Whether the type ends the engine's session cleanly: Term, Term2, RecoveryQuit,
    /// RecoveryQuit2 or RecoveryQuitKeepAttachments — the types the end-of-log scan accepts as
    /// a clean close (logread.cxx:1693-1703; v7 accepts all but the last,
    /// logread_legacy.cxx:3455-3463).
    public var isTermination: Bool {
        self == .term || self == .term2 || self == .recoveryQuit || self == .recoveryQuit2 || self == .recoveryQuitKeepAttachments
    }

    /// ESE's names, by value (logapi.hxx:111-272; 47 and 56 from the tables at logread.cxx:3057-3179).
    public static let names: [String] = [
        "NOP", "Init", "Term", "MS", "End", "Begin", "Commit", "Rollback", "Begin0", "Commit0", "Refresh", "MacroBegin",
        "MacroCommit", "MacroAbort", "CreateDB", "AttachDB", "DetachDB", "RecoveryUndo", "RecoveryQuit", "FullBackup",
        "IncBackup", "JetOp", "Trace", "ShutDownMark", "CreateMultipleExtentFDP", "CreateSingleExtentFDP", "ConvertFDP",
        "Split", "Merge", "Insert", "FlagInsert", "FlagInsertAndReplaceData", "FlagDelete", "Replace", "ReplaceD", "Delete",
        "UndoInfo", "Delta", "SetExternalHeader", "Undo", "SLVPageAppendOBSOLETE", "SLVSpaceOBSOLETE", "Checksum",
        "SLVPageMoveOBSOLETE", "ForceDetachDBOBSOLETE", "ExtRestore", "Backup", "UpgradeDB", "EmptyTree", "Init2", "Term2",
        "RecoveryUndo2", "RecoveryQuit2", "BeginDT", "PrepCommit", "PrepRollback", "DbList", "ForceWriteLog", "ConvertFDP2",
        "ExtRestore2", "Backup2", "ForceLogRollover", "Split2", "Merge2", "Scrub", "PageMove", "PagePatchRequest",
        "MacroInfo", "ExtendDB", "CommitCtx", "ScanCheck", "NOP2", "ReAttach", "MacroInfo2", "FreeFDP", "Ignored9",
        "FragmentBegin", "Fragment", "ShrinkDB", "CreateDBFinish", "RecoveryQuitKeepAttachments", "TrimDB", "Ignored10",
        "Ignored11", "Ignored12", "Ignored13", "Ignored14", "Ignored15", "Ignored16", "Ignored17", "Ignored18", "Ignored19",
        "SetDbVersion", "Delta64", "ShrinkDB2", "NewPage", "RootPageMove", "SignalAttachDb", "ScanCheck2", "ShrinkDB3",
        "ExtentFreed", "ExtentFreed2",
    ]

    /// Size of the records of each fixed-size type; 0 for the types whose size has a variable
    /// part (and for the seven types with no size at all). ESE: `mplrtyplrd` (logread.cxx:3057-3179,
    /// with `ENABLE_LOG_V7_RECOVERY_COMPAT`, so Checksum is 22; sizes of the packed structs).
    public static let fixedSizes: [UInt16] = [
        1, 568, 18, 9, 1, 4, 4, 4, 8, 8, 7, 11, 11, 11,  // 0-13
        0, 0, 0, 1, 18, 0, 0, 4, 0, 1,  // 14-23
        56, 48, 60, 0, 0, 0, 0, 0, 44, 0, 0, 44, 0, 0, 0, 0,  // 24-39
        0, 0, 22, 0, 0, 0, 0, 0, 0, 576, 26, 9, 26, 8, 0, 0, 0, 3, 68,  // 40-58
        0, 0, 0, 0, 0, 0, 0, 46,  // 59-66
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 4, 26, 10,  // 67-81
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 82-91
        14, 0, 10, 20, 16, 2, 27, 18, 11, 19,  // 92-101
    ]

    /// Size of the fixed part of each type, the bytes a reader must have before it can read the
    /// variable sizes. ESE: `mplrtypn` / `CbLGFixedSizeOfRec` (logread.cxx:3434-3555).
    public static let fixedParts: [UInt16] = [
        1, 568, 18, 9, 1, 4, 4, 4, 8, 8, 7, 11, 11, 11,  // 0-13
        43, 75, 7, 1, 18, 3, 3, 4, 5, 1,  // 14-23
        56, 48, 60, 102, 88, 50, 48, 52, 44, 50, 50, 44, 56, 54, 46, 51,  // 24-39
        0, 0, 22, 0, 0, 3, 5, 0, 46, 576, 26, 9, 26, 8, 7, 3, 0, 3, 68,  // 40-58
        3, 35, 5, 110, 96, 54, 96, 46,  // 59-66
        5, 5, 5, 5, 5, 5, 5, 5, 5, 7, 3, 10, 4, 26, 10,  // 67-81
        5, 5, 5, 5, 5, 5, 5, 5, 5, 5,  // 82-91
        14, 58, 10, 20, 16, 2, 27, 18, 11, 19,  // 92-101
    ]

    /// The size of a record of this type when it has no variable part, else nil.
    public var fixedSize: Int? {
        guard isDefined else { return nil }
        let size = Self.fixedSizes[Int(rawValue)]
        return size == 0 ? nil : Int(size)
    }

    /// The fixed part of this type (0 for the types with no size, and past `lrtypMax`).
    public var fixedPart: Int { isDefined ? Int(Self.fixedParts[Int(rawValue)]) : 0 }
}
