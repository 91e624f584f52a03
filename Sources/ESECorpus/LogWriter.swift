import ESEFormat

/// Builds log files in both body formats, following the writer's rules of ese-format.md
/// §5.4 (v8 segments) and §5.5 (v7 LRCHECKSUM chain, shadows, log-extend pattern).
public enum LogWriter {
    /// A v8 log: header, `filledSegments` data segments with valid XOR+ECC checksums (the
    /// last one partial and shadowed into the next segment when `partialTail`), zero-filled
    /// after. Returns the file and its accumulated segment checksum.
    public static func v8File(_ header: LogHeaderFields, filledSegments: Int, partialTail: Bool,
                              random: inout DeterministicRandom) -> (bytes: [UInt8], accumulatedChecksum: UInt64) {
        let segmentSize = SegmentScanner.segmentSize
        let sectors = header.fileSectors
        var file = [UInt8](repeating: 0, count: sectors * segmentSize)
        file.replaceSubrange(0..<LogFileHeader.size, with: header.image())
        let dataSegments = max(0, min(filledSegments, sectors - 2))
        var accumulated: UInt64 = 0
        let layout = PageLayout(pageSize: 4096)!
        file.withUnsafeMutableBytes { buffer in
            for index in stride(from: 1, through: dataSegments, by: 1) {
                let start = index * segmentSize
                let segment = UnsafeMutableRawBufferPointer(rebasing: buffer[start..<start + segmentSize])
                let isTail = partialTail && index == dataSegments
                let used = isTail ? 40 + 8 * (1 + random.next(below: 400)) : segmentSize
                segment.storeBytes(of: UInt16(0).littleEndian, toByteOffset: 8, as: UInt16.self)
                segment.storeBytes(of: UInt16(index).littleEndian, toByteOffset: 10, as: UInt16.self)
                segment.storeBytes(of: header.generation.littleEndian, toByteOffset: 12, as: Int32.self)
                segment.storeBytes(of: header.createTime.rawValue.littleEndian, toByteOffset: 16, as: UInt64.self)
                var offset = 40
                while offset + 8 <= used {
                    segment.storeBytes(of: random.next() | 1, toByteOffset: offset, as: UInt64.self)
                    offset += 8
                }
                PageWriter.seal(segment, pageNumber: UInt32(index), layout: layout)
                accumulated ^= UInt64(littleEndian: segment.loadUnaligned(as: UInt64.self))
                if isTail, index + 1 < sectors {
                    // The partial last segment is written twice: at its place and as a shadow after it.
                    let shadow = UnsafeMutableRawBufferPointer(rebasing: buffer[start + segmentSize..<start + 2 * segmentSize])
                    shadow.copyMemory(from: UnsafeRawBufferPointer(segment))
                }
            }
        }
        return (file, accumulated)
    }

    /// How the last flush of a v7 log is written.
    public enum LegacyTail: Hashable, Sendable {
        /// A single-sector flush, shadowed into the next sector.
        case singleSector
        /// A flush spanning `sectors` sectors (≥ 2), with a short checksum and no shadow.
        case multiSector(sectors: Int)
    }

    /// A v7 log: header, a chain of `flushes` checksum records over random log data, the
    /// last flush written as `tail`, and the log-extend pattern everywhere else.
    public static func v7File(_ header: LogHeaderFields, flushes: Int, tail: LegacyTail,
                              random: inout DeterministicRandom) -> [UInt8] {
        let sectorSize = header.sectorSize
        let sectors = header.fileSectors
        var file = LogExtendPattern.bytes(count: sectors * sectorSize)
        file.replaceSubrange(0..<LogFileHeader.size, with: header.image())
        let generation = UInt32(bitPattern: header.generation)
        var sector = LogFileHeader.size / sectorSize
        var inSector = 0
        let size = LegacyChecksumRecord.size
        for flush in 0..<max(1, flushes) {
            let position = sector * sectorSize + inSector
            var span: Int
            let last: Bool
            last = flush == max(1, flushes) - 1
            switch tail {
            case .multiSector(let count) where last:
                span = max(2, count)
            case .singleSector where last:
                span = 1
            default:
                span = 1 + random.next(below: 3)
            }
            // Keep room for the flush, the next record (or the shadow) and the reserved last sector.
            if sector + span + 2 >= sectors {
                span = 1
            }
            let lastIsSingle = last && span == 1
            let forward: Int
            if lastIsSingle {
                let room = sectorSize - inSector - size
                forward = max(0, min(room, 8 + random.next(below: max(1, room))))
            } else {
                forward = span * sectorSize - inSector - size
            }
            var record = LegacyChecksumRecord(backwardBytes: UInt32(inSector), forwardBytes: UInt32(forward),
                                              nextDistance: 0, shortChecksumOn: !lastIsSingle && span > 1)
            var nextInSector = 0
            if !last {
                nextInSector = 8 * random.next(below: (sectorSize - size - 8) / 8)
                let next = (sector + span) * sectorSize + nextInSector
                record.nextDistance = UInt32(next - position - size)
            }
            // The data: the backward range (start of sector to the record) and the forward range.
            for offset in (position - inSector)..<position { file[offset] = UInt8(truncatingIfNeeded: random.next()) }
            for offset in (position + size)..<(position + size + forward) { file[offset] = UInt8(truncatingIfNeeded: random.next()) }
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
        return file
    }
}
