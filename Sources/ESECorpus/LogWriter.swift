import ESEFormat

/// Builds log files in both body formats, following the writer's rules of ese-format.md
/// §5.4 (v8 segments) and §5.5 (v7 LRCHECKSUM chain, shadows, log-extend pattern), with real
/// records that ESE's reader accepts (log-records.md §1-2).
public enum LogWriter {
    /// A v8 log: header, `filledSegments` data segments of records with valid XOR+ECC
    /// checksums (the last one partial and shadowed into the next segment when `partialTail`),
    /// zero-filled after. The records: `content.head` first, then bulk records, with one record
    /// split into fragments across segment boundaries when the log has 3 data segments or more,
    /// then `content.closing` and a Term2 in the last data segment. Writer rules of
    /// log-records.md §1 (`FLGIAddLogRec`, logwrite.cxx:922-1128). `edit` sees each data
    /// segment (header included) before it is sealed.
    public static func v8File(_ header: LogHeaderFields, content: LogContent, filledSegments: Int, partialTail: Bool,
                              random: inout DeterministicRandom,
                              edit: (UnsafeMutableRawBufferPointer) -> Void = { _ in }) -> GeneratedLog {
        let segmentSize = SegmentScanner.segmentSize
        let sectors = header.fileSectors
        var file = [UInt8](repeating: 0, count: sectors * segmentSize)
        file.replaceSubrange(0..<LogFileHeader.size, with: header.image())
        let dataSegments = max(0, min(filledSegments, sectors - 2))
        var accumulated: UInt64 = 0
        var positions = LogRecordPositions()
        var filler = content.filler
        let layout = PageLayout(pageSize: 4096)!
        let tailTarget = partialTail ? 40 + 8 * (1 + random.next(below: 400)) : segmentSize
        file.withUnsafeMutableBytes { buffer in
            guard dataSegments >= 1 else { return }
            var packer = SegmentRecordPacker(base: buffer.baseAddress!, generation: header.generation, lastSegment: dataSegments)
            positions.head = content.head.map { packer.append($0) }
            if dataSegments >= 3, packer.segment < dataSegments {
                // One long record split across segments: over two boundaries when there is room.
                let total = dataSegments >= 6 ? segmentSize + 700 : 900
                if packer.room < 100 { packer.fillSegment(&filler) }
                while packer.room >= 600 { packer.append(filler.next()) }
                packer.append(LogRecordBuilder.node(replace: false, databaseID: 1, page: LogRecordFiller.bulkPage + 7, databaseTime: 0x2000,
                                                    payload: (0..<total - 50).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
            }
            while packer.segment < dataSegments { packer.fillSegment(&filler) }
            // The last data segment: bulk records up to the target, then the closing records.
            let closingBytes = content.closing.reduce(0) { $0 + $1.count } + (content.terminationTime == nil ? 0 : 26)
            if packer.hasRoom {
                if packer.atSegmentStart { packer.append(filler.next()) }
                while true {
                    let record = filler.next()
                    guard packer.segment == dataSegments, SegmentScanner.segmentSize - packer.room + record.count + closingBytes <= tailTarget
                    else { break }
                    packer.append(record)
                }
            }
            positions.closing = content.closing.map { packer.append($0) }
            if let time = content.terminationTime {
                // Never fragmented (logread.cxx:1686) and never first in a segment, where its lgpos
                // and the end-of-log scan's position would differ (logread.cxx:1700-1705).
                if packer.room < 26 { packer.padSegment() }
                if packer.atSegmentStart { packer.append(filler.next()) }
                if packer.hasRoom, packer.room >= 26 {
                    positions.termination = packer.append(LogRecordBuilder.term2(position: packer.next, time: time), splittable: false)
                }
            }
            if !partialTail, content.terminationTime == nil, packer.segment == dataSegments { packer.fillSegment(&filler) }
            for index in stride(from: 1, through: dataSegments, by: 1) {
                let start = index * segmentSize
                let segment = UnsafeMutableRawBufferPointer(rebasing: buffer[start..<start + segmentSize])
                edit(segment)
                segment.storeBytes(of: UInt16(0).littleEndian, toByteOffset: 8, as: UInt16.self)
                segment.storeBytes(of: UInt16(index).littleEndian, toByteOffset: 10, as: UInt16.self)
                segment.storeBytes(of: header.generation.littleEndian, toByteOffset: 12, as: Int32.self)
                segment.storeBytes(of: header.createTime.rawValue.littleEndian, toByteOffset: 16, as: UInt64.self)
                PageWriter.seal(segment, pageNumber: UInt32(index), layout: layout)
                accumulated ^= UInt64(littleEndian: segment.loadUnaligned(as: UInt64.self))
                if partialTail, index == dataSegments, index + 1 < sectors {
                    // The partial last segment is written twice: at its place and as a shadow after it.
                    let shadow = UnsafeMutableRawBufferPointer(rebasing: buffer[start + segmentSize..<start + 2 * segmentSize])
                    shadow.copyMemory(from: UnsafeRawBufferPointer(segment))
                }
            }
        }
        return GeneratedLog(bytes: file, accumulatedChecksum: accumulated, positions: positions)
    }

    /// How the last flush of a v7 log is written.
    public enum LegacyTail: Hashable, Sendable {
        /// A single-sector flush, shadowed into the next sector.
        case singleSector
        /// A flush spanning `sectors` sectors (≥ 2), with a short checksum and no shadow.
        case multiSector(sectors: Int)
    }

    /// A v7 log: header, a chain of `flushes` checksum records, the last flush written as
    /// `tail`, and the log-extend pattern everywhere else. The records between the checksum
    /// records (log-records.md §1, v7): `content.head` first, bulk records, and
    /// `content.closing` and a Term2 in the last range; no record crosses a checksum record,
    /// and flushes are made long enough for the records they must hold (a closing block too
    /// long for a single-sector last flush makes it a multi-sector one).
    public static func v7File(_ header: LogHeaderFields, content: LogContent, flushes: Int, tail: LegacyTail,
                              random: inout DeterministicRandom) -> GeneratedLog {
        let sectorSize = header.sectorSize
        let sectors = header.fileSectors
        var file = LogExtendPattern.bytes(count: sectors * sectorSize)
        file.replaceSubrange(0..<LogFileHeader.size, with: header.image())
        let generation = UInt32(bitPattern: header.generation)
        var sector = LogFileHeader.size / sectorSize
        var inSector = 0
        let size = LegacyChecksumRecord.size
        var filler = content.filler
        var positions = LogRecordPositions()
        positions.head = Array(repeating: nil, count: content.head.count)
        positions.closing = Array(repeating: nil, count: content.closing.count)
        var nextHead = 0
        let closingBytes = content.closing.reduce(0) { $0 + $1.count } + (content.terminationTime == nil ? 0 : 26)
        func location(_ offset: Int) -> LogPosition {
            LogPosition(generation: header.generation, sector: UInt16(truncatingIfNeeded: offset / sectorSize),
                        byteOffset: UInt16(truncatingIfNeeded: offset % sectorSize))
        }
        func put(_ bytes: [UInt8], at offset: Int) { file.replaceSubrange(offset..<offset + bytes.count, with: bytes) }
        let count = max(1, flushes)
        for flush in 0..<count {
            let position = sector * sectorSize + inSector
            let last = flush == count - 1
            var span: Int
            switch tail {
            case .multiSector(let count) where last:
                span = max(2, count)
            case .singleSector where last:
                span = 1
            default:
                span = 1 + random.next(below: 3)
            }
            if !last, nextHead < content.head.count {
                // Long enough for the next head record (records never cross a checksum record).
                span = max(span, (inSector + size + content.head[nextHead].count + sectorSize - 1) / sectorSize)
            }
            if last, closingBytes > 0, span == 1, inSector + size + closingBytes > sectorSize {
                span = max(2, (inSector + size + closingBytes + sectorSize - 1) / sectorSize)
            }
            // Keep room for the flush, the next record (or the shadow) and the reserved last sector.
            if sector + span + 2 >= sectors {
                span = 1
            }
            let lastIsSingle = last && span == 1
            let forward: Int
            if lastIsSingle {
                let room = sectorSize - inSector - size
                forward = min(room, max(closingBytes, 8 + random.next(below: max(1, room))))
            } else {
                forward = span * sectorSize - inSector - size
            }
            var record = LegacyChecksumRecord(backwardBytes: UInt32(inSector), forwardBytes: UInt32(forward),
                                              nextDistance: 0, shortChecksumOn: !lastIsSingle && span > 1)
            var nextInSector = 0
            if !last {
                var choices = (sectorSize - size - 8) / 8
                if flush == count - 2, closingBytes > 0 {
                    // The last flush's sector must hold the closing records after its checksum record.
                    choices = max(1, min(choices, (sectorSize - size - closingBytes) / 8))
                }
                nextInSector = 8 * random.next(below: choices)
                let next = (sector + span) * sectorSize + nextInSector
                record.nextDistance = UInt32(next - position - size)
            }
            // The records up to the next checksum record (its backward range included), or to
            // the end of the last forward range.
            let end = last ? position + size + forward : (sector + span) * sectorSize + nextInSector
            var cursor = position + size
            while nextHead < content.head.count, cursor + content.head[nextHead].count <= end - (last ? closingBytes : 0) {
                put(content.head[nextHead], at: cursor)
                positions.head[nextHead] = location(cursor)
                cursor += content.head[nextHead].count
                nextHead += 1
            }
            let bulk = filler.fill(max(0, end - (last ? closingBytes : 0) - cursor))
            put(bulk, at: cursor)
            cursor += bulk.count
            if last, cursor + closingBytes <= end {
                for (index, closing) in content.closing.enumerated() {
                    put(closing, at: cursor)
                    positions.closing[index] = location(cursor)
                    cursor += closing.count
                }
                if let time = content.terminationTime {
                    put(LogRecordBuilder.term2(position: location(cursor), time: time), at: cursor)
                    positions.termination = location(cursor)
                    cursor += 26
                }
            } else if last {
                put(filler.fill(end - cursor), at: cursor)
            }
            file.replaceSubrange(position..<position + size, with: record.bytes)
            file.withUnsafeBytes { bytes in
                let span = RawSpan(_unsafeBytes: bytes)
                if record.shortChecksumFlag == LegacyChecksumRecord.shortChecksumOn {
                    let sectorEnd = (position / sectorSize + 1) * sectorSize
                    var value = LegacyChecksumRecord.byteSum(span, (position - inSector)..<position, seed: LegacyChecksumRecord.shortSeed)
                    value = LegacyChecksumRecord.byteSum(span, (position + size)..<sectorEnd, seed: value)
                    record.shortChecksum = value ^ record.backwardBytes ^ record.forwardBytes ^ record.nextDistance
                        ^ UInt32(record.shortChecksumFlag) ^ generation
                }
                var value = LegacyChecksumRecord.byteSum(span, (position - inSector)..<position, seed: LegacyChecksumRecord.rangeSeed)
                value = LegacyChecksumRecord.byteSum(span, (position + size)..<(position + size + forward), seed: value)
                record.checksum = value ^ record.backwardBytes ^ record.forwardBytes ^ record.nextDistance
                    ^ UInt32(record.shortChecksumFlag) ^ generation
            }
            file.replaceSubrange(position..<position + size, with: record.bytes)
            if lastIsSingle {
                // Single-sector flushes are shadowed into the next sector with a marked checksum.
                let start = sector * sectorSize
                var shadow = Array(file[start..<start + sectorSize])
                var shadowRecord = record
                shadowRecord.checksum ^= LegacyChecksumRecord.shadowMark
                shadow.replaceSubrange(inSector..<inSector + size, with: shadowRecord.bytes)
                file.replaceSubrange(start + sectorSize..<start + 2 * sectorSize, with: shadow)
            }
            if last { break }
            sector += span
            inSector = nextInSector
        }
        return GeneratedLog(bytes: file, accumulatedChecksum: 0, positions: positions)
    }
}
