import ESEFormat
import Testing

/// Page references extracted from hand-built page records, at the offsets of logapi.hxx's
/// packed structs (LRPAGE_ 376-423, LRSPLIT_ 872-909, LRMERGE_ 953-998, LRPAGEMOVE 1097-1215,
/// LRNEWPAGE 1054-1095, LRCREATEMEFDP 1269-1283, LRCONVERTFDP 1299-1329).
@Suite struct LogPageReferenceTests {
    /// A record of `type` and `size` bytes, with `fields` (offset, value, byte count) stored little-endian.
    static func record(_ type: UInt8, size: Int, _ fields: [(Int, UInt64, Int)]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        bytes[0] = type
        for (offset, value, count) in fields {
            for byte in 0..<count { bytes[offset + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
        }
        return bytes
    }

    static func references(_ bytes: [UInt8], available: Int? = nil) -> [LogPageReference] {
        var found: [LogPageReference] = []
        LogPageReference.collect(LogRecordType(rawValue: bytes[0]), bytes.span.bytes, at: 0, available: available ?? bytes.count,
                                 position: LogPosition(generation: 5, sector: 2, byteOffset: 40), into: &found)
        return found
    }

    static func pages(_ found: [LogPageReference]) -> [String] {
        found.map { "\($0.pageNumber):\($0.timeBefore.map { String($0) } ?? "new")>\($0.timeAfter)" }
    }

    @Test func nodeRecordsNameOnePageWithItsBeforeTime() {
        for type: UInt8 in [29, 30, 31, 32, 33, 34, 35, 37, 38, 39, 48, 64, 93] {
            let size = LogRecordType(rawValue: type).fixedPart
            let bytes = Self.record(type, size: size, [(3, 2, 1), (4, 77, 4), (8, 0x500, 8), (16, 0x4FF, 8)])
            let found = Self.references(bytes)
            #expect(Self.pages(found) == ["77:1279>1280"], "type \(type)")
            #expect(found.first?.databaseID == 2)
            #expect(found.first?.position == LogPosition(generation: 5, sector: 2, byteOffset: 40))
        }
    }

    @Test func undoInfoAndOtherRecordsNameNoPage() {
        // UndoInfo is not redone (logredo.cxx:3112-3114); Begin0, ScanCheck2 and PagePatchRequest change no page.
        for type: UInt8 in [36, 8, 98, 66, 2] {
            let size = max(24, LogRecordType(rawValue: type).fixedPart)
            #expect(Self.references(Self.record(type, size: size, [(4, 77, 4), (8, 0x500, 8), (16, 0x4FF, 8)])).isEmpty, "type \(type)")
        }
    }

    @Test func splitNamesSplitNewRightAndParentPages() {
        let bytes = Self.record(27, size: 102, [(4, 10, 4), (8, 200, 8), (16, 100, 8), (32, 11, 4), (36, 12, 4), (40, 150, 8),
                                                (48, 9, 4), (52, 90, 8)])
        #expect(Self.pages(Self.references(bytes)) == ["10:100>200", "11:new>200", "12:150>200", "9:90>200"])
        // No right sibling (pgnoNull), parent's before-time dbtimeInvalid: not references.
        let interior = Self.record(62, size: 110, [(4, 10, 4), (8, 200, 8), (16, 100, 8), (32, 11, 4), (48, 9, 4),
                                                   (52, 0xFFFF_FFFF_FFFF_FFFE, 8)])
        #expect(Self.pages(Self.references(interior)) == ["10:100>200", "11:new>200"])
    }

    @Test func mergeNamesSourceRightLeftAndParent() {
        let bytes = Self.record(28, size: 88, [(4, 20, 4), (8, 300, 8), (16, 250, 8), (32, 21, 4), (36, 260, 8), (44, 19, 4),
                                               (48, 240, 8), (56, 5, 4), (60, 230, 8)])
        #expect(Self.pages(Self.references(bytes)) == ["20:250>300", "21:260>300", "19:240>300", "5:230>300"])
    }

    @Test func pageMoveNamesSourceDestinationSiblingsAndParent() {
        let bytes = Self.record(65, size: 96, [(4, 30, 4), (8, 400, 8), (16, 350, 8), (32, 31, 4), (36, 29, 4), (40, 32, 4),
                                               (44, 6, 4), (48, 340, 8), (56, 360, 8), (64, 330, 8)])
        #expect(Self.pages(Self.references(bytes)) == ["30:350>400", "31:new>400", "29:340>400", "32:360>400", "6:330>400"])
    }

    @Test func newPagesOfNewPageCreateAndConvertRecords() {
        let newPage = Self.record(95, size: 20, [(3, 1, 1), (4, 40, 4), (8, 0xAAAA, 4), (12, 500, 8)])
        #expect(Self.pages(Self.references(newPage)) == ["40:new>500"])
        let create = Self.record(24, size: 56, [(4, 41, 4), (8, 600, 8), (36, 42, 4), (40, 43, 4)])
        #expect(Self.pages(Self.references(create)) == ["41:new>600", "42:new>600", "43:new>600"])
        let convert = Self.record(58, size: 68, [(4, 44, 4), (8, 700, 8), (16, 650, 8), (36, 45, 4), (40, 46, 4)])
        #expect(Self.pages(Self.references(convert)) == ["44:650>700", "45:new>700", "46:new>700"])
    }

    @Test func truncatedOrTimelessRecordsNameNothing() {
        let bytes = Self.record(29, size: 50, [(4, 77, 4), (8, 0x500, 8), (16, 0x4FF, 8)])
        #expect(Self.references(bytes, available: 43).isEmpty)
        #expect(Self.references(Self.record(29, size: 50, [(4, 77, 4), (16, 1, 8)])).isEmpty)
        #expect(Self.references(Self.record(29, size: 50, [(4, 0, 4), (8, 0x500, 8), (16, 0x4FF, 8)])).isEmpty)
    }
}
