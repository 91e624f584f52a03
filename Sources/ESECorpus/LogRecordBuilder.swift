import ESEFormat

/// Builds the bytes of individual log records, with the field offsets the record walker
/// parses (log-records.md §1 and §3; packed structs of logapi.hxx). Fields the walker does not
/// read are plausible constants; sizes always agree with `LogRecordSize`.
public enum LogRecordBuilder {
    /// The engine-start record (`LRINIT2`, 576 bytes, logapi.hxx). ESE: `lrtypInit2`.
    public static func init2() -> [UInt8] {
        var image = ByteImage(count: 576)
        image.set(LogRecordType.init2.rawValue, at: 0)
        return image.bytes
    }

    /// The clean-termination record (`LRTERMREC2`, 26 bytes: lgpos @1, lgposRedoFrom @9, fHard
    /// @17, logtime @18; logapi.hxx:1905-1926). `position` is stored as its own lgpos.
    public static func term2(position: LogPosition, time: LogTime) -> [UInt8] {
        var image = ByteImage(count: 26)
        image.set(LogRecordType.term2.rawValue, at: 0)
        image.set(position, at: 1)
        image.set(time, at: 18)
        return image.bytes
    }

    /// An `LRATTACHDB` (75 bytes + path; logapi.hxx:1692-1733): procid @1, dbid @3, cpgMax @4,
    /// lgposConsistent @8, signDb @16, signLog @44, cbPath @72, flags @74 (0x08: UTF-16 path),
    /// path @75 (UTF-16, NUL-terminated).
    public static func attachDB(id: UInt8, path: String, databaseSignature: Signature, logSignature: Signature,
                                consistentPosition: LogPosition) -> [UInt8] {
        let name = utf16(path)
        var image = ByteImage(count: 75 + name.count)
        image.set(LogRecordType.attachDB.rawValue, at: 0)
        image.set(UInt16(1), at: 1)
        image.set(id, at: 3)
        image.set(consistentPosition, at: 8)
        image.set(databaseSignature, at: 16)
        image.set(logSignature, at: 44)
        image.set(UInt16(name.count), at: 72)
        image.set(UInt8(0x08), at: 74)
        image.set(name, at: 75)
        return image.bytes
    }

    /// An `LRDETACHDB` (7 bytes + path; logapi.hxx:1736-1760): procid @1, dbid @3, cbPath @4,
    /// flags @6 (0x10: UTF-16 path), path @7.
    public static func detachDB(id: UInt8, path: String) -> [UInt8] {
        let name = utf16(path)
        var image = ByteImage(count: 7 + name.count)
        image.set(LogRecordType.detachDB.rawValue, at: 0)
        image.set(UInt16(1), at: 1)
        image.set(id, at: 3)
        image.set(UInt16(name.count), at: 4)
        image.set(UInt8(0x10), at: 6)
        image.set(name, at: 7)
        return image.bytes
    }

    /// A transaction bracket of fixed size: `Begin0` or `Commit0` (8 bytes: procid @1, then
    /// the level and transaction id). `begin` chooses which.
    public static func transaction(begin: Bool, procedure: UInt16, transaction: UInt32) -> [UInt8] {
        var image = ByteImage(count: 8)
        image.set(UInt8(begin ? 8 : 9), at: 0)
        image.set(procedure, at: 1)
        image.set(transaction, at: 4)
        return image.bytes
    }

    /// A node record on a page (`LRPAGE_` 32 bytes + rceid, pgnoFDP, objidFDP → 44,
    /// logapi.hxx:377-438): an `Insert` (50 + data, u16 sizes @44 suffix, @46 prefix, @48 data)
    /// or, when `replace`, a `Replace` (50 + u16 @44 & 0x7FFF). `payload` fills the variable part.
    public static func node(replace: Bool, databaseID: UInt8, page: UInt32, databaseTime: UInt64, payload: [UInt8]) -> [UInt8] {
        var image = ByteImage(count: 50 + payload.count)
        image.set(UInt8(replace ? 33 : 29), at: 0)
        image.set(UInt16(1), at: 1)
        image.set(databaseID, at: 3)
        image.set(page, at: 4)
        image.set(databaseTime, at: 8)
        image.set(databaseTime &- 1, at: 16)
        image.set(UInt32(2), at: 36)  // pgnoFDP
        if replace {
            image.set(UInt16(payload.count), at: 44)
        } else {
            image.set(UInt16(payload.count), at: 48)
        }
        image.set(payload, at: 50)
        return image.bytes
    }

    /// The first piece of a record split across v8 segments (`LRFRAGMENTBEGIN`: total u32 @1,
    /// piece u16 @5, then the piece; logapi.hxx:2427-2453).
    public static func fragmentBegin(total: Int, piece: ArraySlice<UInt8>) -> [UInt8] {
        var image = ByteImage(count: 7)
        image.set(LogRecordType.fragmentBegin.rawValue, at: 0)
        image.set(UInt32(total), at: 1)
        image.set(UInt16(piece.count), at: 5)
        return image.bytes + piece
    }

    /// A following piece (`LRFRAGMENT`: size u16 @1, then the piece).
    public static func fragment(piece: ArraySlice<UInt8>) -> [UInt8] {
        var image = ByteImage(count: 3)
        image.set(LogRecordType.fragment.rawValue, at: 0)
        image.set(UInt16(piece.count), at: 1)
        return image.bytes + piece
    }

    /// `path` as NUL-terminated little-endian UTF-16.
    static func utf16(_ path: String) -> [UInt8] {
        (Array(path.utf16) + [0]).flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }
}
