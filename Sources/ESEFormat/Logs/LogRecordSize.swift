/// The size of a log record, as ESE's `CbLGSizeOfRec` computes it (logread.cxx:3192-3423):
/// the fixed size from `mplrtyplrd`, else the fixed part plus the lengths stored in it.
///
/// Field offsets are those of log-records.md §1 (packed structs, logapi.hxx). Sizes are computed
/// in 64-bit arithmetic: where ESE's 32-bit `UINT` sum would wrap (hostile size fields), the
/// result here is the true, huge size, which every caller then rejects as past the data.
public enum LogRecordSize {
    /// The total size of the record of `type` whose bytes start at `offset` of `bytes`, or 0
    /// for the types ESE gives no size (40, 41, 43, 44, 47, 55, 56 and types ≥ `lrtypMax`).
    ///
    /// The caller must have checked that `type.fixedPart` bytes are available at `offset`;
    /// only those bytes are read.
    public static func size(of type: LogRecordType, in bytes: RawSpan, at offset: Int) -> Int {
        guard type.isDefined else { return 0 }  // logread.cxx:3196-3200
        let fixed = Int(LogRecordType.fixedSizes[Int(type.rawValue)])
        if fixed != 0 { return fixed }  // logread.cxx:3202-3203
        func u16(_ at: Int) -> Int { Int(bytes.uint16(at: offset + at)) }
        func u32(_ at: Int) -> Int { Int(bytes.uint32(at: offset + at)) }
        switch type.rawValue {
        case 19, 20: return 3 + u16(1)  // FullBackup, IncBackup: LRLOGRESTORE (3207-3212)
        case 46: return 5 + u16(3)  // Backup (obsolete): LRLOGBACKUP_OBSOLETE (3213-3217)
        case 60: return 35 + u16(33)  // Backup2: LRLOGBACKUP (3218-3222)
        case 14:  // CreateDB; version info (flag 0x04) precedes the path (3224-3231, logapi.hxx:1603)
            return 43 + u16(40) + (bytes.uint8(at: offset + 42) & 0x04 != 0 ? 4 : 0)
        case 15: return 75 + u16(72)  // AttachDB (3232-3237)
        case 16: return 7 + u16(4)  // DetachDB (3238-3243)
        case 27: return 102 + u16(100) + u16(96) + u16(98)  // Split (3245-3252)
        case 62: return 110 + u16(100) + u16(96) + u16(98) + u32(106)  // Split2 (3254-3262)
        case 28: return 88 + u16(86)  // Merge (3264-3268)
        case 63: return 96 + u16(86) + u32(92)  // Merge2 (3270-3274)
        case 65: return 96 + u32(88) + u32(92)  // PageMove: header + trailer bytes (3276-3280)
        case 48: return 46 + u16(44)  // EmptyTree (3282-3286)
        case 37: return 54 + u16(44) + u16(46)  // Delta (3288-3293)
        case 93: return 58 + u16(44) + u16(46)  // Delta64 (3295-3300)
        case 29: return 50 + u16(44) + u16(46) + u16(48)  // Insert: suffix + prefix + data (3302-3307)
        case 30: return 48 + u16(44) + u16(46)  // FlagInsert (3309-3314)
        case 31: return 52 + u16(44) + u16(46)  // FlagInsertAndReplaceData (3316-3320)
        case 33, 34: return 50 + (u16(44) & 0x7FFF)  // Replace, ReplaceD: cbMask (3322-3327, logapi.hxx:715-726)
        case 36: return 56 + u16(54) + u16(44) + u16(46)  // UndoInfo (3329-3335)
        case 39: return 51 + u16(44) + u16(46)  // Undo (3337-3344)
        case 22, 61: return 5 + u16(3)  // Trace, ForceLogRollover (3346-3351)
        case 38: return 46 + u16(44)  // SetExternalHeader (3353-3357)
        case 64: return 54 + u16(52)  // Scrub (3359-3363)
        case 45, 59: return 3 + u16(1)  // ExtRestore, ExtRestore2 (3365-3375)
        case 54: return 7 + u32(3)  // PrepCommit (3377-3381)
        case 67...75, 82...91: return 5 + u32(1)  // the 19 ignorable types: LRIGNORED (3383-3405)
        case 76: return 7 + u16(5)  // FragmentBegin (3407-3411)
        case 77: return 3 + u16(1)  // Fragment (3413-3417)
        default: return 0  // 40, 41, 43, 44, 47, 55, 56: no size (3419-3421)
        }
    }
}
