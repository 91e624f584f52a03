import ESEFormat

/// Places records into the data segments of a v8 log as ESE's writer does (`FLGIAddLogRec`,
/// logwrite.cxx:922-1128): a record that fits goes in whole; one that does not fit goes to the
/// next segment when fewer than 32 bytes remain (NOP fill, 1010-1040), else it is split into a
/// FragmentBegin and Fragments (1042-1074). Tracks each record's lgpos: the byte after the
/// previous record (logwrite.cxx:1605-1627). Works on the caller's buffer; segment headers and
/// checksums are the caller's.
struct SegmentRecordPacker {
    /// `LOG_MIN_FRAGMENT_SIZE` (_logstream.hxx:25).
    static let minimumFragmentRoom = 32
    static let segmentSize = SegmentScanner.segmentSize
    static let headerSize = 40

    let base: UnsafeMutableRawPointer
    let generation: Int32
    /// The last data segment records may use.
    let lastSegment: Int
    /// The segment being filled and the offset in it.
    private(set) var segment = 1
    private(set) var offset = headerSize
    /// The lgpos of the next record.
    private(set) var next: LogPosition

    init(base: UnsafeMutableRawPointer, generation: Int32, lastSegment: Int) {
        self.base = base
        self.generation = generation
        self.lastSegment = lastSegment
        next = LogPosition(generation: generation, sector: 1, byteOffset: 0)
    }

    /// Bytes left in the current segment.
    var room: Int { Self.segmentSize - offset }
    /// Whether records still fit in the file.
    var hasRoom: Bool { segment <= lastSegment }
    /// Whether the current segment holds no record yet.
    var atSegmentStart: Bool { offset == Self.headerSize }

    /// Copies `bytes` at the current offset (they must fit) and moves the position past them.
    private mutating func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            (base + segment * Self.segmentSize + offset).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
        }
        offset += bytes.count
        if offset >= Self.segmentSize {
            next = LogPosition(generation: generation, sector: UInt16(truncatingIfNeeded: segment + 1), byteOffset: 0)
            segment += 1
            offset = Self.headerSize
        } else {
            next = LogPosition(generation: generation, sector: UInt16(truncatingIfNeeded: segment), byteOffset: UInt16(offset))
        }
    }

    /// Leaves the rest of the current segment as NOPs (zeros) and moves to the next one; the
    /// position stays where the last record ended.
    mutating func padSegment() {
        guard !atSegmentStart else { return }
        segment += 1
        offset = Self.headerSize
    }

    /// Places `record`, splitting it across segments when allowed; returns its lgpos, or nil
    /// when the file has no room (the record, or its end, is dropped).
    @discardableResult
    mutating func append(_ record: [UInt8], splittable: Bool = true) -> LogPosition? {
        guard hasRoom, !record.isEmpty else { return nil }
        let position = next
        if record.count <= room {
            write(record)
            return position
        }
        if !splittable || room < Self.minimumFragmentRoom {
            padSegment()
            guard hasRoom else { return nil }
            if record.count <= room {
                write(record)
                return position
            }
            guard splittable else { return nil }
        }
        var consumed = room - 7
        write(LogRecordBuilder.fragmentBegin(total: record.count, piece: record[0..<consumed]))
        while consumed < record.count {
            guard hasRoom else { return position }  // a fragment open at the end of the data ends the log
            let piece = min(record.count - consumed, room - 3)
            write(LogRecordBuilder.fragment(piece: record[consumed..<consumed + piece]))
            consumed += piece
        }
        return position
    }

    /// Fills the rest of the current segment exactly with bulk records (a whole segment by
    /// copying the precomputed body).
    mutating func fillSegment(_ filler: inout LogRecordFiller) {
        guard hasRoom else { return }
        if atSegmentStart {
            write(filler.segmentBody)
        } else {
            // A rest below an Insert's size stays NOP: the position stays after the last record.
            write(filler.fill(room, padding: false))
            padSegment()
        }
    }
}
