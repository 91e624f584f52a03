/// Walks the records of one log file as ESE's reader does (`eseutil /ml` record checks):
/// every record's type, size and fragments, over the data the body scan found valid.
///
/// v8 (`ErrLGIGetRecordAtPbNext`, logread.cxx:2108-2400): each segment is a 40-byte `LGSEGHDR`
/// and records; a record never crosses a segment except as FragmentBegin + Fragments; NOPs
/// pad. v7 (`ErrLGGetNextRecFF_Legacy`, logread_legacy.cxx:4511-4900): one stream from the end
/// of the header, LRCHECKSUM records inside it. The walk reads only the segments (v8) or bytes
/// (v7) that `SegmentScanner` / `LegacyLogScanner` accepted, from their `LogBodyScan`: a torn
/// v8 segment is read from its shadow, a corrected bit is corrected first. It stops at the
/// first invalid record. Work is linear in the data; nothing is allocated per record except
/// for database records.
public struct LogRecordWalker {
    /// Size of a v8 segment header. ESE: `sizeof(LGSEGHDR)`.
    static let segmentHeaderSize = 40
    /// Bytes of a fragmented record kept for its size check and database fields (the largest
    /// fixed part is 576; the rest allows the path of an AttachDB).
    static let assembledPrefixSize = 2048

    /// Walks the records of `file` (the whole log file as read), described by `header`, over
    /// the valid data found by `scan` (from `SegmentScanner.scan` or `LegacyLogScanner.scan`).
    /// With `collectingPages`, the walk also lists the pages the page records change
    /// (`LogRecordWalk.pageReferences`), for redo's database-time check: those numbered at
    /// most `highestPage` (the caller's largest database; pages past a file are never compared).
    public static func walk(_ file: RawSpan, header: LogFileHeader, scan: LogBodyScan,
                            collectingPages: Bool = false, upTo highestPage: UInt32 = .max) -> LogRecordWalk {
        var start = LogRecordWalk(format: scan.format)
        if collectingPages {
            // Room for a page record per KiB: fewer regrowths than from empty, and about 1/20 of
            // the log's size held when it has none.
            start.pageReferences = []
            start.pageReferences?.reserveCapacity(file.byteCount / 1024)
            start.highestCollectedPage = highestPage
        }
        return switch scan.format {
        case .v8: walkSegments(file, header: header, scan: scan, into: start)
        case .v7: walkLegacy(file, header: header, scan: scan, into: start)
        }
    }

    // MARK: v8 state

    private let generation: Int32
    private let fixedParts = LogRecordType.fixedParts
    /// Position of the next record as ESE defines it: the byte after the previous record (`m_pbNext`).
    private var next: LogPosition
    /// A leading Fragment is skipped until the first record (`fSkipPartialLR`).
    private var skipPartial = true
    private var inFragment = false
    private var fragmentTotal = 0
    private var fragmentSeen = 0
    private var fragmentOffset = 0
    /// The first bytes of the record being reassembled.
    private var assembled: [UInt8] = []

    private init(generation: Int32, firstSegment: Int) {
        self.generation = generation
        next = LogPosition(generation: generation, sector: UInt16(truncatingIfNeeded: firstSegment), byteOffset: 0)
    }

    static func walkSegments(_ file: RawSpan, header: LogFileHeader, scan: LogBodyScan,
                             into start: LogRecordWalk = LogRecordWalk(format: .v8)) -> LogRecordWalk {
        var walk = start
        let size = SegmentScanner.segmentSize
        let first = max(1, Int(header.headerSectors))
        guard let last = scan.lastGoodSector, last >= first else { return walk }  // an empty log: ESE substitutes a NOP
        var walker = LogRecordWalker(generation: header.generation, firstSegment: first)
        var corrected: [UInt8] = []
        for index in first...last {
            // A torn segment is read from its shadow in the next slot, as ESE patches it (logread.cxx:1560-1678).
            let source = scan.tornWriteSector == index ? index + 1 : index
            guard (source + 1) * size <= file.byteCount else { break }
            let bytes = file.extracting(source * size..<(source + 1) * size)
            if let correction = scan.corrections.first(where: { $0.sector == index }), correction.bit >= 0, correction.bit < size * 8 {
                corrected = (0..<size).map { bytes.uint8(at: $0) }
                corrected[correction.bit / 8] ^= UInt8(1 << (correction.bit % 8))
                let fixed = corrected.span.bytes
                guard walker.walkSegment(fixed, index: index, into: &walk) else { break }
                if index == last { walk.cleanEnd = Self.cleanEnd(fixed, index: index, generation: header.generation) }
            } else {
                guard walker.walkSegment(bytes, index: index, into: &walk) else { break }
                if index == last { walk.cleanEnd = Self.cleanEnd(bytes, index: index, generation: header.generation) }
            }
        }
        // A fragment still open at the end of valid data ends the log (logread.cxx:2124-2128).
        walk.endsInFragment = walk.firstInvalid == nil && walker.inFragment
        return walk
    }

    /// The position after `offset` in segment `index`: the segment end is the next segment's start.
    private func position(_ index: Int, _ offset: Int) -> LogPosition {
        offset >= SegmentScanner.segmentSize
            ? LogPosition(generation: generation, sector: UInt16(truncatingIfNeeded: index + 1), byteOffset: 0)
            : LogPosition(generation: generation, sector: UInt16(truncatingIfNeeded: index), byteOffset: UInt16(offset))
    }

    /// The last piece of a fragmented record arrived: the assembled record must have a type
    /// below lrtypMax, its fixed part within and its size equal to the total
    /// (logread.cxx:2269-2277). False when it does not (recorded in `walk`).
    private mutating func finishFragment(index: Int, into walk: inout LogRecordWalk) -> Bool {
        let recordType = LogRecordType(rawValue: assembled[0])
        let valid = recordType.isDefined
            && recordType.fixedPart <= fragmentTotal
            && LogRecordSize.size(of: recordType, in: assembled.span.bytes, at: 0) == fragmentTotal
        guard valid else {
            walk.firstInvalid = InvalidLogRecord(reason: .assembledRecordInvalid, type: recordType, position: next,
                                                 sector: index, fileOffset: fragmentOffset)
            return false
        }
        record(recordType, assembled.span.bytes, at: 0, available: assembled.count, fileOffset: fragmentOffset, into: &walk)
        inFragment = false
        return true
    }

    /// Walks one valid segment; false when a record is invalid (recorded in `walk`).
    private mutating func walkSegment(_ segment: RawSpan, index: Int, into walk: inout LogRecordWalk) -> Bool {
        let end = SegmentScanner.segmentSize
        let base = index * end
        var current = Self.segmentHeaderSize  // the header is skipped at a segment start (logread.cxx:2130-2195)
        walk.bytesWalked += end

        func fail(_ reason: InvalidLogRecordReason, _ type: UInt8, at offset: Int) -> Bool {
            walk.firstInvalid = InvalidLogRecord(reason: reason, type: LogRecordType(rawValue: type), position: next,
                                                 sector: index, fileOffset: base + offset)
            return false
        }

        while current < end {
            let type = segment.uint8(at: current)
            switch type {
            case 0:
                // NOP runs are skipped; reaching the segment end is only "Expected" (logread.cxx:2284-2294).
                while current + 8 <= end, segment.uint64(at: current) == 0 { current += 8 }
                while current < end, segment.uint8(at: current) == 0 { current += 1 }

            case LogRecordType.fragmentBegin.rawValue:
                // Its 7-byte header must fit the segment (logread.cxx:2202-2205).
                guard current + 7 <= end else { return fail(.fragmentHeaderPastSegment, type, at: current) }
                // Inside a fragment only as a segment's first record carrying UndoInfo (logread.cxx:2212-2217).
                if inFragment, current != Self.segmentHeaderSize || segment.uint8(at: current + 7) != LogRecordType.undoInfo.rawValue {
                    return fail(.fragmentBeginInsideFragment, type, at: current)
                }
                skipPartial = false
                let total = Int(segment.uint32(at: current + 1)), piece = Int(segment.uint16(at: current + 5))
                // Piece smaller than the total and within the segment (logread.cxx:2232-2236). ESE bounds the piece
                // by the bytes left from the record's start, so up to 7 bytes could reach into the next segment's
                // header; the writer never does that (logwrite.cxx:1042-1074) and this walker refuses it.
                guard piece < total, piece <= end - current - 7 else { return fail(.fragmentBeginSize, type, at: current) }
                inFragment = true
                fragmentTotal = total
                fragmentSeen = 0
                fragmentOffset = base + current
                assembled.removeAll(keepingCapacity: true)
                append(segment, from: current + 7, count: piece)
                current += 7 + piece

            case LogRecordType.fragment.rawValue:
                if skipPartial {
                    // A leading partial record is skipped, and the position moves past it (logread.cxx:2248-2253).
                    guard current + 3 <= end else { return fail(.fragmentHeaderPastSegment, type, at: current) }
                    let piece = Int(segment.uint16(at: current + 1))
                    guard piece <= end - current - 3 else { return fail(.fragmentSize, type, at: current) }
                    current += 3 + piece
                    next = position(index, current)
                    walk.skippedFragments += 1
                    continue
                }
                // Only inside a fragment, header within the segment (logread.cxx:2254-2258).
                guard inFragment else { return fail(.fragmentWithoutBegin, type, at: current) }
                guard current + 3 <= end else { return fail(.fragmentHeaderPastSegment, type, at: current) }
                // No more than the total leaves, within the segment (logread.cxx:2259-2263; as above, this
                // walker also keeps the 3-byte header inside the segment).
                let piece = Int(segment.uint16(at: current + 1))
                guard piece <= fragmentTotal - fragmentSeen, piece <= end - current - 3 else { return fail(.fragmentSize, type, at: current) }
                append(segment, from: current + 3, count: piece)
                current += 3 + piece
                if fragmentSeen == fragmentTotal {
                    guard finishFragment(index: index, into: &walk) else { return false }
                    next = position(index, current)
                }

            default:
                if inFragment {
                    // A torn fragment is abandoned only for a segment's first record of these types
                    // (logread.cxx:2298-2331); the record then sits at the segment start.
                    let first = current == Self.segmentHeaderSize
                    guard first, type == LogRecordType.recoveryUndo.rawValue || type == LogRecordType.recoveryUndo2.rawValue
                            || type == LogRecordType.undoInfo.rawValue
                    else { return fail(.recordInsideFragment, type, at: current) }
                    next = position(index, 0)
                    inFragment = false
                }
                // Type below lrtypMax (logread.cxx:2333-2337).
                guard Int(type) < LogRecordType.limit else { return fail(.typeOutOfRange, type, at: current) }
                let recordType = LogRecordType(rawValue: type)
                // Fixed part, then whole record, within the segment (logread.cxx:2339-2347).
                let room = end - current
                guard Int(fixedParts[Int(type)]) <= room else { return fail(.sizePastSegment, type, at: current) }
                let size = LogRecordSize.size(of: recordType, in: segment, at: current)
                guard size <= room else { return fail(.sizePastSegment, type, at: current) }
                // A type with no size: ESE returns it again and again (logread.cxx:3419-3421).
                guard size > 0 else { return fail(.noSize, type, at: current) }
                record(recordType, segment, at: current, available: size, fileOffset: base + current, into: &walk)
                skipPartial = false
                current += size
                next = position(index, current)
            }
        }
        return true
    }

    /// Adds `count` bytes of a fragment to the reassembled record (its first bytes only).
    private mutating func append(_ segment: RawSpan, from offset: Int, count: Int) {
        let keep = min(count, Self.assembledPrefixSize - assembled.count)
        if keep > 0 {
            for index in 0..<keep { assembled.append(segment.uint8(at: offset + index)) }
        }
        fragmentSeen += count
    }

    /// Counts a valid record at `next` and collects the facts recovery needs.
    private func record(_ type: LogRecordType, _ bytes: RawSpan, at offset: Int, available: Int, fileOffset: Int,
                        into walk: inout LogRecordWalk) {
        walk.recordsWalked += 1
        walk.countByType[Int(type.rawValue)] += 1
        if walk.recordsWalked == 1 { walk.firstRecord = LogRecordLocation(type: type, position: next, fileOffset: fileOffset) }
        if type != .nop2 { walk.lastRecord = LogRecordLocation(type: type, position: next, fileOffset: fileOffset) }
        walk.note(type, at: LogRecordLocation(type: type, position: next, fileOffset: fileOffset))
        switch type {
        case .createDB, .attachDB, .detachDB, .reAttach:
            if let database = DatabaseLogRecord.parse(type, bytes, at: offset, available: available,
                                                      position: next, fileOffset: fileOffset) {
                walk.databaseRecords.append(database)
            }
        default:
            if walk.pageReferences != nil {
                LogPageReference.collect(type, bytes, at: offset, available: available, position: next,
                                         upTo: walk.highestCollectedPage, into: &walk.pageReferences!)
            }
        }
    }

    /// ESE's end-of-log scan of the last valid segment (logread.cxx:1687-1728): from offset 40,
    /// record by record while the type is below `lrtypMax`; the last record other than NOP and
    /// NOP2 must be a termination. Its position is the physical offset, 40 mapped to 0.
    static func cleanEnd(_ segment: RawSpan, index: Int, generation: Int32) -> LogPosition? {
        let end = SegmentScanner.segmentSize
        var current = segmentHeaderSize
        var quit: Int?
        while current < end {
            let type = LogRecordType(rawValue: segment.uint8(at: current))
            guard type.isDefined else { break }
            if type.isTermination {
                quit = current == segmentHeaderSize ? 0 : current
            } else if type != .nop && type != .nop2 {
                quit = nil
            }
            // ESE reads the sizes past the segment and loops forever on a size of 0; this scan stops there.
            guard type.fixedPart <= end - current else { break }
            let size = LogRecordSize.size(of: type, in: segment, at: current)
            guard size > 0 else { break }
            current += size
        }
        return quit.map { LogPosition(generation: generation, sector: UInt16(truncatingIfNeeded: index), byteOffset: UInt16($0)) }
    }
}
