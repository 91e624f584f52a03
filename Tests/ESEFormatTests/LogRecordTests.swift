import ESETestSupport
import Testing
@testable import ESEFormat

/// Hand-built log bodies for the record walker: v8 segments sealed as ESE seals them (so the
/// real segment scan finds them valid) and v7 LRCHECKSUM streams, one per rule of
/// log-records.md §1-2.
struct LogRecordBuilder {
    static let generation: Int32 = 7

    /// A record of a fixed-size type: its type byte and zeros.
    static func fixed(_ type: UInt8) -> [UInt8] {
        let size = Int(LogRecordType.fixedSizes[Int(type)])
        precondition(size > 0)
        return [type] + [UInt8](repeating: 0, count: size - 1)
    }

    /// An ignorable record (`LRIGNORED`: type, u32 Cb, Cb bytes), e.g. NOP2.
    static func ignorable(_ type: UInt8 = 71, payload: Int) -> [UInt8] {
        var bytes = [type, 0, 0, 0, 0] + [UInt8](repeating: 0xA5, count: payload)
        bytes.storeLE(UInt32(payload), at: 1)
        return bytes
    }

    static func fragmentBegin(total: Int, piece: [UInt8]) -> [UInt8] {
        var bytes = [LogRecordType.fragmentBegin.rawValue, 0, 0, 0, 0, 0, 0] + piece
        bytes.storeLE(UInt32(total), at: 1)
        bytes.storeLE(UInt16(piece.count), at: 5)
        return bytes
    }

    static func fragment(_ piece: [UInt8]) -> [UInt8] {
        var bytes = [LogRecordType.fragment.rawValue, 0, 0] + piece
        bytes.storeLE(UInt16(piece.count), at: 1)
        return bytes
    }

    /// A v8 log header: generation 7, 4 KiB sectors, `segments` data segments plus the reserved last one.
    static func header(major: UInt32, sectorSize: Int, headerSectors: Int, fileSectors: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: LogFileHeader.size)
        bytes.storeLE(generation, at: 4)
        bytes.storeLE(UInt16(sectorSize), at: 8)
        bytes.storeLE(UInt16(headerSectors), at: 10)
        bytes.storeLE(UInt16(fileSectors), at: 12)
        bytes.storeLE(major, at: 32)
        bytes.storeLE(UInt32(4000), at: 36)
        return bytes
    }

    /// A v8 log whose data segments hold `segments` (record bytes after the 40-byte header,
    /// zero-padded), each sealed with its position; walked after the real segment scan.
    static func v8(_ segments: [[UInt8]]) throws -> (scan: LogBodyScan, walk: LogRecordWalk) {
        let fileSectors = segments.count + 3
        var file = header(major: 8, sectorSize: 4096, headerSectors: 1, fileSectors: fileSectors)
        let layout = PageLayout(pageSize: 4096)!
        for (offset, records) in segments.enumerated() {
            let index = offset + 1
            precondition(records.count <= 4096 - 40)
            var segment = [UInt8](repeating: 0, count: 40) + records + [UInt8](repeating: 0, count: 4096 - 40 - records.count)
            segment.storeLE(UInt16(0), at: 8)
            segment.storeLE(UInt16(index), at: 10)
            segment.storeLE(generation, at: 12)
            PageWriter.seal(&segment, pageNumber: UInt32(index), layout: layout)
            file += segment
        }
        file += [UInt8](repeating: 0, count: (fileSectors - 1 - segments.count) * 4096)
        let parsed = try LogFileHeader(parsing: file.span.bytes)
        let scan = SegmentScanner.scan(file.span.bytes, header: parsed)
        return (scan, LogRecordWalker.walk(file.span.bytes, header: parsed, scan: scan))
    }

    static func position(_ sector: Int, _ offset: Int) -> LogPosition {
        LogPosition(generation: generation, sector: UInt16(sector), byteOffset: UInt16(offset))
    }

    /// An LRCHECKSUM record (checksums are not verified by the walker: the scan did that).
    static func checksum(backward: Int, forward: Int, next: Int) -> [UInt8] {
        LegacyChecksumRecord(backwardBytes: UInt32(backward), forwardBytes: UInt32(forward), nextDistance: UInt32(next),
                             shortChecksumOn: false).bytes
    }

    /// A v7 log (512-byte sectors, 8 header sectors): `stream` placed at offset 4096 and walked
    /// with the end of data at `end` bytes into the stream (the scan's `endOfData`).
    static func v7(_ stream: [UInt8], end: Int? = nil, damaged: Bool = false) throws -> LogRecordWalk {
        let sectors = 8 + (stream.count + 511) / 512 + 4
        var file = header(major: 7, sectorSize: 512, headerSectors: 8, fileSectors: sectors)
        file += stream
        file += [UInt8](repeating: 0, count: sectors * 512 - file.count)
        let parsed = try LogFileHeader(parsing: file.span.bytes)
        var scan = LogBodyScan(format: .v7, generation: generation)
        let stop = 4096 + (end ?? stream.count)
        scan.endOfData = LogPosition(generation: generation, sector: UInt16(stop / 512), byteOffset: UInt16(stop % 512))
        if damaged { scan.damage = LogDamage(reason: .segmentCorrupt, sector: 8, fileOffset: 4096) }
        return LogRecordWalker.walk(file.span.bytes, header: parsed, scan: scan)
    }
}

@Suite struct LogRecordTests {
    typealias B = LogRecordBuilder

    // MARK: the tables, entry by entry, against log-records.md

    /// log-records.md, Appendix "fixed part per type": the size of the fixed part, `*` when a
    /// variable part follows, `!` when `CbLGSizeOfRec` returns 0 (no size at all).
    static let documentAppendix = """
        0:1 1:568 2:18 3:9 4:1 5:4 6:4 7:4 8:8 9:8 10:7 11:11 12:11 13:11 14:43* 15:75* 16:7* 17:1 18:18 19:3* 20:3* 21:4
        22:5* 23:1 24:56 25:48 26:60 27:102* 28:88* 29:50* 30:48* 31:52* 32:44 33:50* 34:50* 35:44 36:56* 37:54* 38:46*
        39:51* 40! 41! 42:22 43! 44! 45:3* 46:5* 47! 48:46* 49:576 50:26 51:9 52:26 53:8 54:7* 55:3! 56! 57:3 58:68 59:3*
        60:35* 61:5* 62:110* 63:96* 64:54* 65:96* 66:46 67-75:5* 76:7* 77:3* 78:10 79:4 80:26 81:10 82-91:5* 92:14
        93:58* 94:10 95:20 96:16 97:2 98:27 99:18 100:11 101:19
        """

    /// The appendix as (fixed part, has a variable part, has no size) per type.
    static func appendix() -> [Int: (part: Int, variable: Bool, sizeless: Bool)] {
        var table: [Int: (part: Int, variable: Bool, sizeless: Bool)] = [:]
        for entry in documentAppendix.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let sizeless = entry.hasSuffix("!"), variable = entry.hasSuffix("*")
            let body = entry.filter { $0 != "!" && $0 != "*" }
            let parts = body.split(separator: ":")
            let part = parts.count > 1 ? Int(parts[1])! : 0
            let types = parts[0].split(separator: "-").map { Int($0)! }
            for type in types[0]...(types.last!) { table[type] = (part, variable, sizeless) }
        }
        return table
    }

    @Test func fixedSizeTableMatchesTheDocumentEntryByEntry() {
        let document = Self.appendix()
        #expect(document.count == 102)
        #expect(LogRecordType.limit == 102)
        #expect(LogRecordType.fixedSizes.count == 102)
        #expect(LogRecordType.fixedParts.count == 102)
        #expect(LogRecordType.names.count == 102)
        for type in 0..<102 {
            let entry = document[type]!
            let fixed = entry.variable || entry.sizeless ? 0 : entry.part
            #expect(Int(LogRecordType.fixedSizes[type]) == fixed, "mplrtyplrd[\(type)] (\(LogRecordType.names[type]))")
            #expect(Int(LogRecordType.fixedParts[type]) == entry.part, "mplrtypn[\(type)] (\(LogRecordType.names[type]))")
        }
        // 45 fixed-size types, 50 variable, 7 with no size (log-records.md §2).
        #expect(document.values.filter { !$0.variable && !$0.sizeless }.count == 45)
        #expect(document.values.filter(\.variable).count == 50)
        #expect(document.values.filter(\.sizeless).count == 7)
    }

    /// Every variable formula of log-records.md §1 "Size of a record": base + the fields at
    /// these offsets (u16 unless 4 bytes wide).
    static let formulas: [(type: UInt8, base: Int, fields: [(offset: Int, width: Int)])] = [
        (14, 43, [(40, 2)]), (15, 75, [(72, 2)]), (16, 7, [(4, 2)]), (19, 3, [(1, 2)]), (20, 3, [(1, 2)]),
        (46, 5, [(3, 2)]), (60, 35, [(33, 2)]), (27, 102, [(100, 2), (96, 2), (98, 2)]),
        (62, 110, [(100, 2), (96, 2), (98, 2), (106, 4)]), (28, 88, [(86, 2)]), (63, 96, [(86, 2), (92, 4)]),
        (29, 50, [(44, 2), (46, 2), (48, 2)]), (30, 48, [(44, 2), (46, 2)]), (31, 52, [(44, 2), (46, 2)]),
        (33, 50, [(44, 2)]), (34, 50, [(44, 2)]), (37, 54, [(44, 2), (46, 2)]), (93, 58, [(44, 2), (46, 2)]),
        (36, 56, [(54, 2), (44, 2), (46, 2)]), (39, 51, [(44, 2), (46, 2)]), (38, 46, [(44, 2)]), (64, 54, [(52, 2)]),
        (48, 46, [(44, 2)]), (65, 96, [(88, 4), (92, 4)]), (22, 5, [(3, 2)]), (61, 5, [(3, 2)]), (45, 3, [(1, 2)]),
        (59, 3, [(1, 2)]), (54, 7, [(3, 4)]), (76, 7, [(5, 2)]), (77, 3, [(1, 2)]),
    ] + (Array(67...75) + Array(82...91)).map { (UInt8($0), 5, [(1, 4)]) }

    @Test func variableSizesFollowTheDocumentFormulas() {
        #expect(Self.formulas.count == 50)
        for formula in Self.formulas {
            let type = LogRecordType(rawValue: formula.type)
            var bytes = [UInt8](repeating: 0, count: type.fixedPart)
            bytes[0] = formula.type
            var expected = formula.base
            for (index, field) in formula.fields.enumerated() {
                let value = 3 + 7 * index
                if field.width == 4 { bytes.storeLE(UInt32(value), at: field.offset) } else { bytes.storeLE(UInt16(value), at: field.offset) }
                expected += value
            }
            #expect(type.fixedSize == nil)
            #expect(LogRecordSize.size(of: type, in: bytes.span.bytes, at: 0) == expected, "\(type.name)")
        }
        // CreateDB adds 4 bytes of version info with flag 0x04; Replace masks the diff flag.
        var create = [UInt8](repeating: 0, count: 43)
        create[0] = 14
        create.storeLE(UInt16(10), at: 40)
        create[42] = 0x04
        #expect(LogRecordSize.size(of: .createDB, in: create.span.bytes, at: 0) == 43 + 10 + 4)
        var replace = [UInt8](repeating: 0, count: 50)
        replace[0] = 33
        replace.storeLE(UInt16(0x8000 | 20), at: 44)
        #expect(LogRecordSize.size(of: LogRecordType(rawValue: 33), in: replace.span.bytes, at: 0) == 70)
        // The seven sizeless types.
        for type: UInt8 in [40, 41, 43, 44, 47, 55, 56] {
            let bytes = [UInt8](repeating: type, count: 8)
            #expect(LogRecordSize.size(of: LogRecordType(rawValue: type), in: bytes.span.bytes, at: 0) == 0)
        }
    }

    @Test func namesAndTerminations() {
        #expect(LogRecordType(rawValue: 50).name == "Term2")
        #expect(LogRecordType(rawValue: 80).name == "RecoveryQuitKeepAttachments")
        #expect(LogRecordType(rawValue: 102).name == "Unknown(102)")
        #expect(!LogRecordType(rawValue: 102).isDefined)
        #expect((0..<102).filter { LogRecordType(rawValue: UInt8($0)).isTermination } == [2, 18, 50, 52, 80])
    }

    // MARK: v8

    @Test func cleanSegmentsWithNopTailsAndARecordAtTheExactEnd() throws {
        // Segment 1: Init2, Begin, then NOP padding. Segment 2: records filling it to the last byte.
        // Segment 3: Term2 first (after the record that ended segment 2 exactly).
        let first = B.fixed(49) + B.fixed(5)
        let filler = 4056 - 5 - 8  // NOP2 payload so that NOP2 + Commit0 end exactly at 4096
        let second = B.ignorable(payload: filler) + B.fixed(9)
        #expect(second.count == 4056)
        let (scan, walk) = try B.v8([first, second, B.fixed(50)])
        #expect(scan.isClean && scan.lastGoodSector == 3)
        #expect(walk.firstInvalid == nil)
        #expect(walk.recordsWalked == 5)
        #expect(walk.count(of: .init2) == 1 && walk.count(of: .nop2) == 1 && walk.count(of: .term2) == 1)
        #expect(walk.count(of: .nop) == 0)
        #expect(walk.firstRecord == LogRecordLocation(type: .init2, position: B.position(1, 0), fileOffset: 4096 + 40))
        // NOP2 follows the NOP tail of segment 1: its position is where Begin ended.
        // Term2 follows a record ending at the segment end: the next segment's start.
        #expect(walk.lastRecord == LogRecordLocation(type: .term2, position: B.position(3, 0), fileOffset: 3 * 4096 + 40))
        #expect(walk.cleanEnd == B.position(3, 0))
        #expect(walk.bytesWalked == 3 * 4096)
    }

    @Test func positionOfARecordAfterNopPaddingIsTheEndOfThePreviousRecord() throws {
        // Term2 written at a segment start after padding: ESE's reader places it after Begin
        // (segment 1, offset 40 + 4); the end-of-log scan reports the physical (2, 0).
        let (_, walk) = try B.v8([B.fixed(5), B.fixed(50)])
        #expect(walk.lastRecord?.position == B.position(1, 44))
        #expect(walk.cleanEnd == B.position(2, 0))
        // Term2 in the middle of a segment: the physical offset.
        let (_, middle) = try B.v8([B.fixed(5) + B.fixed(50)])
        #expect(middle.cleanEnd == B.position(1, 44))
        // A record after the termination: not a clean end. NOP2 after it: still clean.
        #expect(try B.v8([B.fixed(50) + B.fixed(5)]).walk.cleanEnd == nil)
        #expect(try B.v8([B.fixed(50) + B.ignorable(payload: 3)]).walk.cleanEnd == B.position(1, 0))
        #expect(try B.v8([B.fixed(50) + B.ignorable(payload: 3)]).walk.lastRecord?.type == .term2)
    }

    @Test func typeAtOrAboveLimitIs501() throws {
        let (_, walk) = try B.v8([B.fixed(5) + [102, 1, 2, 3]])
        let invalid = try #require(walk.firstInvalid)
        #expect(invalid.reason == .typeOutOfRange)
        #expect(invalid.type.rawValue == 102)
        #expect(invalid.position == B.position(1, 44))
        #expect(invalid.sector == 1 && invalid.fileOffset == 4096 + 44)
        #expect(invalid.jetError == .logFileCorrupt)
        #expect(walk.recordsWalked == 1)
    }

    @Test func sizeRunningPastTheSegmentWithoutAFragmentIs501() throws {
        // A NOP2 claiming more bytes than the segment has left.
        var record = B.ignorable(payload: 10)
        record.storeLE(UInt32(5000), at: 1)
        let walk = try B.v8([B.fixed(5) + record]).walk
        #expect(walk.firstInvalid?.reason == .sizePastSegment)
        // The fixed part itself past the segment: Init2 (576) in the last 100 bytes.
        let padding = B.ignorable(payload: 4056 - 100 - 5)
        let tail = try B.v8([padding + B.fixed(49).prefix(100)]).walk
        #expect(tail.firstInvalid?.reason == .sizePastSegment)
        #expect(tail.firstInvalid?.fileOffset == 4096 + 40 + padding.count)
    }

    @Test func sizelessTypesAre501() throws {
        for type: UInt8 in [40, 41, 43, 44, 47, 55, 56] {
            let walk = try B.v8([B.fixed(5) + [type] + [UInt8](repeating: 1, count: 8)]).walk
            #expect(walk.firstInvalid?.reason == .noSize, "type \(type)")
        }
    }

    @Test func fragmentedRecordAcrossSegments() throws {
        // A 5005-byte NOP2 split: FragmentBegin after Begin fills segment 1, a Fragment carries the rest.
        let record = B.ignorable(payload: 5000)
        let room = 4056 - 4 - 7
        let first = B.fixed(5) + B.fragmentBegin(total: record.count, piece: Array(record[0..<room]))
        let second = B.fragment(Array(record[room...])) + B.fixed(6)
        let walk = try B.v8([first, second]).walk
        #expect(walk.firstInvalid == nil)
        #expect(walk.recordsWalked == 3)
        #expect(walk.count(of: .nop2) == 1 && walk.count(of: .fragmentBegin) == 0 && walk.count(of: .fragment) == 0)
        // Commit follows the fragment in segment 2.
        #expect(walk.lastRecord == LogRecordLocation(type: LogRecordType(rawValue: 6), position: B.position(2, 40 + 3 + record.count - room),
                                                     fileOffset: 2 * 4096 + 40 + 3 + record.count - room))
    }

    @Test func fragmentsThatDoNotAddUpAre501() throws {
        let record = B.ignorable(payload: 5000)
        let room = 4056 - 7
        let begin = B.fragmentBegin(total: record.count, piece: Array(record[0..<room]))
        // One byte too many in the continuation.
        let tooMuch = try B.v8([begin, B.fragment(Array(record[room...]) + [0])]).walk
        #expect(tooMuch.firstInvalid?.reason == .fragmentSize)
        #expect(tooMuch.firstInvalid?.position == B.position(1, 0))
        // Fragments adding up to a total that is not the record's size.
        var wrong = record
        wrong.storeLE(UInt32(4999), at: 1)
        let mismatch = try B.v8([B.fragmentBegin(total: wrong.count, piece: Array(wrong[0..<room])), B.fragment(Array(wrong[room...]))]).walk
        #expect(mismatch.firstInvalid?.reason == .assembledRecordInvalid)
        #expect(mismatch.firstInvalid?.type == .nop2)
        #expect(mismatch.firstInvalid?.fileOffset == 4096 + 40)
        // A first piece not smaller than the total.
        let whole = try B.v8([B.fragmentBegin(total: 4, piece: B.fixed(5))]).walk
        #expect(whole.firstInvalid?.reason == .fragmentBeginSize)
        // A FragmentBegin header cut by the segment end.
        let cut = try B.v8([B.ignorable(payload: 4056 - 5 - 4) + [76, 0, 0, 0]]).walk
        #expect(cut.firstInvalid?.reason == .fragmentHeaderPastSegment)
        // The data ends inside a fragment: the log ends there, no error.
        let open = try B.v8([begin]).walk
        #expect(open.firstInvalid == nil && open.endsInFragment && open.recordsWalked == 0)
    }

    @Test func fragmentWithoutFragmentBegin() throws {
        // After a record: −501.
        let walk = try B.v8([B.fixed(5) + B.fragment([1, 2, 3])]).walk
        #expect(walk.firstInvalid?.reason == .fragmentWithoutBegin)
        #expect(walk.firstInvalid?.position == B.position(1, 44))
        // At the very start of the log: skipped as a partial record, the position moves past it.
        let leading = try B.v8([B.fragment([1, 2, 3]) + B.fixed(5)]).walk
        #expect(leading.firstInvalid == nil && leading.skippedFragments == 1 && leading.recordsWalked == 1)
        #expect(leading.firstRecord?.position == B.position(1, 46))
    }

    @Test func recordsInsideAnOpenFragment() throws {
        let record = B.ignorable(payload: 5000)
        let room = 4056 - 7
        let begin = B.fragmentBegin(total: record.count, piece: Array(record[0..<room]))
        // An ordinary record where the continuation should be: −501.
        let broken = try B.v8([begin, B.fixed(5)]).walk
        #expect(broken.firstInvalid?.reason == .recordInsideFragment)
        // RecoveryUndo2 first in the segment: a torn dirty shutdown, accepted at the segment start.
        let torn = try B.v8([begin, B.fixed(51) + B.fixed(5)]).walk
        #expect(torn.firstInvalid == nil)
        #expect(torn.firstRecord == LogRecordLocation(type: LogRecordType(rawValue: 51), position: B.position(2, 0), fileOffset: 2 * 4096 + 40))
        // Not first in the segment: −501.
        let late = try B.v8([begin, B.fixed(5) + B.fixed(51)]).walk
        #expect(late.firstInvalid?.reason == .recordInsideFragment)
        // A FragmentBegin inside a fragment: only first in a segment and carrying UndoInfo.
        let other = try B.v8([begin, B.fragmentBegin(total: 10, piece: [5, 0])]).walk
        #expect(other.firstInvalid?.reason == .fragmentBeginInsideFragment)
        var undo = [UInt8](repeating: 0, count: 56 + 4100)
        undo[0] = 36
        undo.storeLE(UInt16(4100), at: 54)
        let restart = B.fragmentBegin(total: undo.count, piece: Array(undo[0..<room]))
        let undoRestart = try B.v8([begin, restart, B.fragment(Array(undo[room...]))]).walk
        #expect(undoRestart.firstInvalid == nil)
        #expect(undoRestart.count(of: .undoInfo) == 1 && undoRestart.count(of: .nop2) == 0)
    }

    @Test func databaseRecordsAndTheirFields() throws {
        var attach = [UInt8](repeating: 0, count: 75)
        attach[0] = 15
        attach[3] = 2
        attach.storeLE(UInt32(1234), at: 4)
        attach.storeLE(UInt16(0x10), at: 8)  // lgposConsistent (ib 0x10, isec 3, gen 6)
        attach.storeLE(UInt16(3), at: 10)
        attach.storeLE(Int32(6), at: 12)
        for index in 0..<28 { attach[16 + index] = UInt8(index + 1); attach[44 + index] = UInt8(100 + index) }
        let path = Array("C:\\db\\x.edb".utf16)
        attach.storeLE(UInt16(path.count * 2 + 2), at: 72)
        attach[74] = 0x08
        for unit in path + [0] { attach += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        var detach: [UInt8] = [16, 0, 0, 2, 0, 0, 0]
        detach.storeLE(UInt16(6), at: 4)
        detach += Array("x.edb\0".utf8)
        var reattach = B.ignorable(72, payload: 45)
        reattach[5] = 2
        reattach.storeLE(UInt16(9), at: 6)
        let walk = try B.v8([B.fixed(49) + attach + detach + reattach]).walk
        #expect(walk.firstInvalid == nil)
        #expect(walk.databaseRecords.map(\.type) == [.attachDB, .detachDB, .reAttach])
        let attached = walk.databaseRecords[0]
        #expect(attached.position == B.position(1, 40 + 576))
        #expect(attached.databaseID == 2 && attached.maximumPages == 1234)
        #expect(attached.consistentPosition == LogPosition(generation: 6, sector: 3, byteOffset: 0x10))
        #expect(attached.databaseSignature?.bytes == (1...28).map { UInt8($0) })
        #expect(attached.logSignature?.bytes == (100..<128).map { UInt8($0) })
        #expect(attached.path == "C:\\db\\x.edb")
        #expect(walk.databaseRecords[1].path == "x.edb" && walk.databaseRecords[1].databaseID == 2)
        #expect(walk.databaseRecords[2].databaseID == 2 && walk.databaseRecords[2].attachPosition?.byteOffset == 9)
    }

    @Test func shutDownMarkIsTheLastRecordUnlessAnotherRecordFollows() throws {
        var trace: [UInt8] = [22, 0, 0, 2, 0, 0x41, 0x42]  // Trace: 5 + u16@3
        trace.storeLE(UInt16(2), at: 3)
        let marked = try B.v8([B.fixed(5) + B.fixed(23) + B.ignorable(payload: 2) + trace]).walk
        #expect(marked.endsWithShutDownMark)
        #expect(marked.lastShutDownMark == LogRecordLocation(type: LogRecordType(rawValue: 23), position: B.position(1, 44), fileOffset: 4096 + 44))
        let cleared = try B.v8([B.fixed(23) + B.fixed(5)]).walk
        #expect(!cleared.endsWithShutDownMark && cleared.lastShutDownMark != nil)
        #expect(try !B.v8([B.fixed(5)]).walk.endsWithShutDownMark)
    }

    @Test func emptyLogHasNoRecordsAndNoError() throws {
        let (scan, walk) = try B.v8([])
        #expect(scan.lastGoodSector == nil)
        #expect(walk.firstInvalid == nil && walk.recordsWalked == 0 && walk.cleanEnd == nil)
    }

    @Test func tornSegmentIsReadFromItsShadow() throws {
        // The real scan accepts a torn last segment when its shadow (next slot) is good; the
        // walker reads the shadow.
        var file = B.header(major: 8, sectorSize: 4096, headerSectors: 1, fileSectors: 5)
        let layout = PageLayout(pageSize: 4096)!
        var segment = [UInt8](repeating: 0, count: 40) + B.fixed(5) + B.fixed(50)
        segment += [UInt8](repeating: 0, count: 4096 - segment.count)
        segment.storeLE(UInt16(1), at: 10)
        segment.storeLE(B.generation, at: 12)
        PageWriter.seal(&segment, pageNumber: 1, layout: layout)
        var torn = segment
        for index in 100..<200 { torn[index] = 0xEE }
        file += torn + segment + [UInt8](repeating: 0, count: 2 * 4096)
        let header = try LogFileHeader(parsing: file.span.bytes)
        let scan = SegmentScanner.scan(file.span.bytes, header: header)
        #expect(scan.tornWriteSector == 1)
        let walk = LogRecordWalker.walk(file.span.bytes, header: header, scan: scan)
        #expect(walk.firstInvalid == nil && walk.recordsWalked == 2 && walk.cleanEnd == B.position(1, 44))
    }

    @Test func correctedBitIsCorrectedBeforeTheWalk() throws {
        // A flipped bit in a record's type byte: the scan corrects it by ECC; the walker reads
        // the corrected segment, as ESE does after patching it (logread.cxx:1560-1678).
        var file = B.header(major: 8, sectorSize: 4096, headerSectors: 1, fileSectors: 4)
        var segment = [UInt8](repeating: 0, count: 40) + B.fixed(5) + B.fixed(50)
        segment += [UInt8](repeating: 0, count: 4096 - segment.count)
        segment.storeLE(UInt16(1), at: 10)
        segment.storeLE(B.generation, at: 12)
        PageWriter.seal(&segment, pageNumber: 1, layout: PageLayout(pageSize: 4096)!)
        segment.flipBit(40 * 8 + 7)  // Begin (5) becomes 133, past lrtypMax
        file += segment + [UInt8](repeating: 0, count: 2 * 4096)
        let header = try LogFileHeader(parsing: file.span.bytes)
        let scan = SegmentScanner.scan(file.span.bytes, header: header)
        #expect(scan.corrections == [SectorCorrection(sector: 1, bit: 40 * 8 + 7)])
        let walk = LogRecordWalker.walk(file.span.bytes, header: header, scan: scan)
        #expect(walk.firstInvalid == nil && walk.recordsWalked == 2 && walk.cleanEnd == B.position(1, 44))
        // Without the correction the same bytes are an invalid record.
        var uncorrected = scan
        uncorrected.corrections = []
        #expect(LogRecordWalker.walk(file.span.bytes, header: header, scan: uncorrected).firstInvalid?.reason == .typeOutOfRange)
    }

    // MARK: v7

    @Test func legacyStreamAcrossChecksumRanges() throws {
        // LRCHECKSUM 1 at 4096 covering sector 8; Begin records run across the sector boundary
        // into the backward range of LRCHECKSUM 2 at offset 100 of sector 9; Term after it.
        var stream = B.checksum(backward: 0, forward: 512 - 22, next: 512 - 22 + 100)
        while stream.count + 4 <= 512 + 100 { stream += B.fixed(5) }
        stream += [UInt8](repeating: 0, count: 512 + 100 - stream.count)  // NOP bytes up to the next LRCHECKSUM
        let nops = 512 + 100 - 22 - (512 + 100 - 22) / 4 * 4
        stream += B.checksum(backward: 100, forward: 18, next: 0) + B.fixed(2)
        let walk = try B.v7(stream)
        #expect(walk.firstInvalid == nil)
        #expect(walk.format == .v7)
        #expect(walk.count(of: .checksum) == 2)
        #expect(walk.count(of: LogRecordType(rawValue: 5)) == (512 + 100 - 22) / 4)
        #expect(walk.count(of: .nop) == nops)
        #expect(walk.firstRecord?.type == .checksum)
        #expect(walk.lastRecord == LogRecordLocation(type: .term, position: LogPosition(generation: 7, sector: 9, byteOffset: 122),
                                                     fileOffset: 4096 + 512 + 122))
        #expect(walk.cleanEnd == LogPosition(generation: 7, sector: 9, byteOffset: 122))
    }

    @Test func legacyRules() throws {
        // Type ≥ 102.
        let bad = try B.v7(B.checksum(backward: 0, forward: 10, next: 0) + B.fixed(5) + [200] + [UInt8](repeating: 0, count: 5))
        #expect(bad.firstInvalid?.reason == .typeOutOfRange)
        #expect(bad.firstInvalid?.position == LogPosition(generation: 7, sector: 8, byteOffset: 26))
        // A sizeless type cannot be advanced past.
        let sizeless = try B.v7(B.checksum(backward: 0, forward: 10, next: 0) + [41] + [UInt8](repeating: 0, count: 9))
        #expect(sizeless.firstInvalid?.reason == .noSize)
        // A record hanging past the last range (cbNext = 0), inside the verified data.
        let overhang = try B.v7(B.checksum(backward: 0, forward: 4, next: 0) + B.fixed(5) + B.fixed(9))
        #expect(overhang.firstInvalid?.reason == .overhangsLastRange)
        // A record reaching past the verified data ends the log silently.
        let cut = try B.v7(B.checksum(backward: 0, forward: 12, next: 0) + B.fixed(5) + B.fixed(9), end: 22 + 8)
        #expect(cut.firstInvalid == nil && cut.recordsWalked == 2)
        // No LRCHECKSUM's worth of data: no first record, −501; with scan damage it is already explained.
        #expect(try B.v7([], end: 0).firstInvalid?.reason == .noRecords)
        #expect(try B.v7([], end: 0, damaged: true).firstInvalid == nil)
        // A record running into the next LRCHECKSUM.
        var overlap = B.checksum(backward: 0, forward: 512 - 22, next: 512 - 22 + 2)
        overlap += [UInt8](repeating: 0, count: 512 - 22 - 1) + B.fixed(9)
        overlap = Array(overlap.prefix(514)) + B.checksum(backward: 2, forward: 0, next: 0)
        #expect(try B.v7(overlap).firstInvalid?.reason == .overlapsChecksumRecord)
    }

    @Test func legacyRecordHangingIntoAPatchedRangeIsDiscarded() throws {
        // The next LRCHECKSUM has no backward range (cbBackwards 0 at offset 100): the record
        // hanging across the sector boundary is dropped and reading resumes at that LRCHECKSUM.
        var stream = B.checksum(backward: 0, forward: 512 - 22, next: 512 - 22 + 100)
        stream += [UInt8](repeating: 0, count: 512 - 22 - 4) + B.fixed(9)  // Commit0 (8) from 508 to 516
        stream += [UInt8](repeating: 0xCC, count: 512 + 100 - stream.count)
        stream += B.checksum(backward: 0, forward: 4, next: 0) + B.fixed(5)
        let walk = try B.v7(stream)
        #expect(walk.firstInvalid == nil)
        #expect(walk.discardedRecords == 1)
        #expect(walk.count(of: LogRecordType(rawValue: 9)) == 0)
        #expect(walk.count(of: .checksum) == 2 && walk.count(of: LogRecordType(rawValue: 5)) == 1)
    }
}
