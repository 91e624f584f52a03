/// Scans the body of a v7 log: the chain of `LRCHECKSUM` records, their range, short and
/// shadow checksums, and the log-extend pattern that must fill the rest of the file.
/// Decides, as ESE does for a read-only dump, between a clean end, a torn write (patchable
/// in the current log) and corruption.
/// ESE: `ErrLGCheckReadLastLogRecordFF_Legacy`, `FValidLRCKRecord`, `FValidLRCKShadow`,
/// `UlComputeChecksum`, `UlComputeShortChecksum`, `UlComputeShadowChecksum` (`logread_legacy.cxx`).
public enum LegacyLogScanner {
    /// Scans `file` (the whole log as read) described by `header`.
    public static func scan(_ file: RawSpan, header: LogFileHeader) -> LogBodyScan {
        let sectorSize = Int(header.sectorSize)
        let firstSector = Int(header.headerSectors)
        let sectors = Int(header.fileSectors)
        let generation = UInt32(bitPattern: header.generation)
        var result = LogBodyScan(format: .v7, generation: header.generation)
        // Header fields drive every offset below: refuse geometry the format cannot have.
        guard sectorSize >= 512, sectorSize.nonzeroBitCount == 1, firstSector >= 1, firstSector * sectorSize == LogFileHeader.size,
              sectors > firstSector else {
            result.damage = LogDamage(reason: .invalidChecksumRecord, sector: 0, fileOffset: 0)
            return result
        }

        func recordAt(_ offset: Int) -> LegacyChecksumRecord? {
            guard offset >= 0, offset + LegacyChecksumRecord.size <= file.byteCount else { return nil }
            return LegacyChecksumRecord(file, at: offset)
        }

        /// The range checksum of the record stored at `offset`, or nil when a range leaves the file.
        func rangeChecksum(_ record: LegacyChecksumRecord, at offset: Int) -> UInt32? {
            let backward = Int(record.backwardBytes), forward = Int(record.forwardBytes)
            let forwardStart = offset + LegacyChecksumRecord.size
            guard backward <= offset, forward <= file.byteCount - forwardStart else { return nil }
            var value = LegacyChecksumRecord.byteSum(file, (offset - backward)..<offset, seed: LegacyChecksumRecord.rangeSeed)
            value = LegacyChecksumRecord.byteSum(file, forwardStart..<(forwardStart + forward), seed: value)
            return value ^ record.foldedFields ^ generation
        }

        /// The short checksum of the record at `offset`: backward range plus the rest of its sector.
        func shortChecksum(_ record: LegacyChecksumRecord, at offset: Int) -> UInt32? {
            let backward = Int(record.backwardBytes)
            let forwardStart = offset + LegacyChecksumRecord.size
            let sectorEnd = (offset / sectorSize + 1) * sectorSize
            guard backward <= offset, forwardStart <= sectorEnd, sectorEnd <= file.byteCount else { return nil }
            var value = LegacyChecksumRecord.byteSum(file, (offset - backward)..<offset, seed: LegacyChecksumRecord.shortSeed)
            value = LegacyChecksumRecord.byteSum(file, forwardStart..<sectorEnd, seed: value)
            return value ^ record.foldedFields ^ generation
        }

        /// ESE's `FValidLRCKRecord` for `record` read at `storedAt`, judged at position `position`.
        func isValid(_ record: LegacyChecksumRecord, storedAt: Int, position: Int) -> Bool {
            let size = LegacyChecksumRecord.size
            guard record.type == LegacyChecksumRecord.recordType, Int(record.backwardBytes) <= sectorSize - size else { return false }
            let multiSector: Bool
            switch record.shortChecksumFlag {
            case LegacyChecksumRecord.shortChecksumOn:
                guard shortChecksum(record, at: storedAt) == record.shortChecksum else { return false }
                multiSector = true
            case LegacyChecksumRecord.shortChecksumOff:
                guard record.shortChecksum == 0 else { return false }
                multiSector = false
            default:
                return false
            }
            let inSector = position % sectorSize
            guard record.backwardBytes == 0 || Int(record.backwardBytes) == inSector else { return false }
            guard Int(record.forwardBytes) <= file.byteCount - position - size else { return false }
            let reach = inSector + size + Int(record.forwardBytes)
            if reach > sectorSize {
                guard multiSector, reach % sectorSize == 0 else { return false }
            } else {
                guard !multiSector else { return false }
            }
            if record.nextDistance != 0 {
                guard reach >= sectorSize, reach % sectorSize == 0 else { return false }
                let next = position + size + Int(record.nextDistance)
                guard next / sectorSize == position / sectorSize + reach / sectorSize else { return false }
            }
            return true
        }

        /// ESE's `FValidLRCKShadow`: a record stored at `storedAt` shadowing the one at `position`.
        func isValidShadow(storedAt: Int, position: Int, checkNext: Bool = true) -> Bool {
            guard let record = recordAt(storedAt), isValid(record, storedAt: storedAt, position: position),
                  record.shortChecksumFlag == LegacyChecksumRecord.shortChecksumOff,
                  !checkNext || record.nextDistance == 0,
                  let range = rangeChecksum(record, at: storedAt)
            else { return false }
            return record.checksum == range ^ LegacyChecksumRecord.shadowMark
        }

        func sectorIsPattern(_ sector: Int) -> Bool {
            let start = sector * sectorSize
            guard start + sectorSize <= file.byteCount else { return false }
            return LogExtendPattern.matches(file.extracting(start..<start + sectorSize))
        }

        /// The first sector in `range` that is not the log-extend pattern.
        func firstNonPattern(_ range: ClosedRange<Int>) -> Int? {
            range.first { !sectorIsPattern($0) }
        }

        func finish(end offset: Int) {
            result.endOfData = LogPosition(generation: Int32(bitPattern: generation),
                                           sector: UInt16(truncatingIfNeeded: offset / sectorSize),
                                           byteOffset: UInt16(truncatingIfNeeded: offset % sectorSize))
            result.lastGoodSector = offset > firstSector * sectorSize ? (offset - 1) / sectorSize : nil
        }

        func corrupt(_ reason: LogDamageReason, sector: Int) {
            result.damage = LogDamage(reason: reason, sector: sector, fileOffset: sector * sectorSize)
        }

        /// After a clean end (or a patch from a shadow): every sector after the data and its
        /// shadow slot must be the log-extend pattern.
        func checkTail(after end: Int) {
            let endSector = end / sectorSize
            let first = endSector + (end % sectorSize != 0 ? 1 : 0) + 1
            guard first <= sectors - 1 else { return }
            if let bad = firstNonPattern(first...(sectors - 1)) {
                corrupt(sectorIsInFile(bad) ? .corruptAfterEmptySegment : .truncated, sector: bad)
            } else {
                result.emptyUnits = sectors - first
            }
        }

        func sectorIsInFile(_ sector: Int) -> Bool { (sector + 1) * sectorSize <= file.byteCount }

        /// The torn-or-corrupt decision after damage at `current`. ESE's pattern scan.
        func scanAfterDamage(from scanFrom: Int, current: Int, rangeBad record: LegacyChecksumRecord?) {
            let currentSector = current / sectorSize
            result.tornWriteSector = currentSector
            guard scanFrom < sectors - 1 else { return }
            if let bad = firstNonPattern(scanFrom...(sectors - 1)) {
                result.tornWriteSector = nil
                corrupt(sectorIsInFile(bad) ? .segmentCorrupt : .truncated, sector: max(bad, currentSector))
                return
            }
            guard let record else { return }
            let inSector = current % sectorSize
            let span = (inSector + LegacyChecksumRecord.size + Int(record.forwardBytes) + sectorSize - 1) / sectorSize
            if span == 2 {
                let second = currentSector + 1
                let shadowAt = second * sectorSize + inSector
                if sectorIsPattern(second) { return }
                if isValidShadow(storedAt: shadowAt, position: current, checkNext: false), sectorIsInFile(second),
                   let shadow = recordAt( shadowAt), sameBytes(currentSector * sectorSize, second * sectorSize, inSector),
                   sameBytes(current + LegacyChecksumRecord.size, shadowAt + LegacyChecksumRecord.size, Int(shadow.forwardBytes)) {
                    return
                }
            } else if span > 2 {
                if (currentSector + 1...currentSector + span - 1).contains(where: sectorIsPattern) { return }
            }
            result.tornWriteSector = nil
            corrupt(.segmentCorrupt, sector: currentSector)
        }

        func sameBytes(_ a: Int, _ b: Int, _ count: Int) -> Bool {
            guard count >= 0, a + count <= file.byteCount, b + count <= file.byteCount else { return false }
            for index in 0..<count where file.uint8(at: a + index) != file.uint8(at: b + index) { return false }
            return true
        }

        func run() {
            var current = firstSector * sectorSize
            var last: Int?
            guard sectors > firstSector else {
                corrupt(.truncated, sector: firstSector)
                return
            }
            // Every step advances by at least 22 bytes, so the walk ends within the file.
            while true {
                let record = recordAt( current)
                var tookJump = false
                if let record, isValid(record, storedAt: current, position: current) {
                    let range = rangeChecksum(record, at: current)
                    if range == record.checksum {
                        result.validUnits += 1
                        if record.nextDistance == 0 {
                            let end = current + LegacyChecksumRecord.size + Int(record.forwardBytes)
                            finish(end: end)
                            checkTail(after: end)
                            return
                        }
                        last = current
                        current += LegacyChecksumRecord.size + Int(record.nextDistance)
                        continue
                    }
                    if record.shortChecksumFlag == LegacyChecksumRecord.shortChecksumOn {
                        // The flush's first sector is good by its short checksum; the rest is in doubt.
                        let rangeEnd = current + LegacyChecksumRecord.size + Int(record.forwardBytes)
                        finish(end: (current / sectorSize + 1) * sectorSize)
                        scanAfterDamage(from: rangeEnd / sectorSize, current: current, rangeBad: record)
                        return
                    }
                    if let previous = last, previous / sectorSize >= firstSector,
                       previous / sectorSize == current / sectorSize - 1, previous % sectorSize == current % sectorSize,
                       isValidShadow(storedAt: current, position: current) {
                        // The "next" record is a stale shadow of the previous sector: a torn write.
                        finish(end: (current / sectorSize) * sectorSize)
                        result.tornWriteSector = current / sectorSize
                        return
                    }
                    tookJump = true
                } else if let record, record.type == LegacyChecksumRecord.recordType,
                          record.shortChecksumFlag == LegacyChecksumRecord.shortChecksumOn,
                          Int(record.backwardBytes) > sectorSize - LegacyChecksumRecord.size {
                    finish(end: (current / sectorSize) * sectorSize)
                    corrupt(.invalidChecksumRecord, sector: current / sectorSize)
                    return
                }
                // Try the shadow copy in the next sector.
                let currentSector = current / sectorSize
                let shadowAt = (currentSector + 1) * sectorSize + current % sectorSize
                if isValidShadow(storedAt: shadowAt, position: current), let shadow = recordAt( shadowAt) {
                    let end = current + LegacyChecksumRecord.size + Int(shadow.forwardBytes)
                    result.validUnits += 1
                    result.tornWriteSector = currentSector
                    finish(end: end)
                    checkTail(after: end)
                    if result.damage != nil { result.tornWriteSector = nil }
                    return
                }
                finish(end: currentSector * sectorSize)
                if !tookJump, let previous = last, previous / sectorSize >= firstSector,
                   currentSector == previous / sectorSize + 1,
                   isValidShadow(storedAt: currentSector * sectorSize + previous % sectorSize, position: previous, checkNext: false) {
                    // The previous sector was shadowed and the next flush never happened.
                    scanAfterDamage(from: currentSector + 1, current: current, rangeBad: nil)
                } else {
                    scanAfterDamage(from: currentSector, current: current, rangeBad: nil)
                }
                return
            }
        }
        run()
        return result
    }
}
