/// Why a log record is invalid. Every reason is `JET_errLogFileCorrupt` (−501) as ESE's reader
/// returns it; a hard restore maps it to −573 inside the backup set and −574 past it
/// (logread.cxx:2354-2398, logread_legacy.cxx:4870-4890).
public enum InvalidLogRecordReason: String, Hashable, Sendable {
    /// The type is at or above `lrtypMax` (102). ESE: logread.cxx:2333-2337, logdump.cxx:1407-1412.
    case typeOutOfRange
    /// The fixed part or the whole record runs past the end of its v8 segment (only fragments
    /// may cross a segment). ESE: logread.cxx:2339-2347.
    case sizePastSegment
    /// A type ESE gives no size (40, 41, 43, 44, 47, 55, 56): its reader cannot advance past it
    /// (`CbLGSizeOfRec` returns 0, logread.cxx:3419-3421; v7 −501 at logread_legacy.cxx:4590-4595).
    case noSize
    /// A fragment header (7 or 3 bytes) does not fit in the segment. ESE: logread.cxx:2202-2205, 2254-2258.
    case fragmentHeaderPastSegment
    /// A FragmentBegin while a fragment is open, not at a segment start or not carrying an
    /// UndoInfo record. ESE: logread.cxx:2212-2217.
    case fragmentBeginInsideFragment
    /// A FragmentBegin whose piece is not smaller than the total or runs past the segment.
    /// ESE: logread.cxx:2232-2236.
    case fragmentBeginSize
    /// A Fragment with no FragmentBegin before it. ESE: logread.cxx:2254-2258.
    case fragmentWithoutBegin
    /// A Fragment larger than what the total leaves or running past the segment. ESE: logread.cxx:2259-2263.
    case fragmentSize
    /// The reassembled record has a bad type or a size other than the fragments' total.
    /// ESE: logread.cxx:2271-2277.
    case assembledRecordInvalid
    /// An ordinary record while a fragment is open, other than RecoveryUndo, RecoveryUndo2 or
    /// UndoInfo at a segment start. ESE: logread.cxx:2298-2331.
    case recordInsideFragment
    /// v7: no record at all (less than one LRCHECKSUM of valid data). ESE: logread_legacy.cxx:4059-4067,
    /// logdump.cxx:1395-1399.
    case noRecords
    /// v7: a record runs past the last LRCHECKSUM range (`cbNext` = 0). ESE: logread_legacy.cxx:4277-4290.
    case overhangsLastRange
    /// v7: a record runs into the next LRCHECKSUM record. ESE only asserts this
    /// (logread_legacy.cxx:4839); the writer never does it.
    case overlapsChecksumRecord
}
