/// Scans the body of a v7 log: the chain of `LRCHECKSUM` records, their range, short and
/// shadow checksums, and the log-extend pattern that must fill the rest of the file.
/// Decides, as ESE does for a read-only dump, between a clean end, a torn write (patchable
/// in the current log) and corruption.
/// ESE: `ErrLGCheckReadLastLogRecordFF_Legacy`, `FValidLRCKRecord`, `FValidLRCKShadow`,
/// `UlComputeChecksum`, `UlComputeShortChecksum`, `UlComputeShadowChecksum` (`logread_legacy.cxx`).
public enum LegacyLogScanner {
    /// Scans `file` (the whole log as read) described by `header`.
    public static func scan(_ file: RawSpan, header: LogFileHeader) -> LogBodyScan {
        var result = LogBodyScan(format: .v7, generation: header.generation)
        // Header fields drive every offset: refuse geometry the format cannot have.
        guard let walk = LegacyLogWalk(header: header) else {
            result.damage = LogDamage(reason: .invalidChecksumRecord, sector: 0, fileOffset: 0)
            return result
        }
        walk.run(file, into: &result)
        return result
    }
}

/// The geometry of one v7 log and the steps of ESE's scan over its `LRCHECKSUM` chain. Every
/// method takes the file's bytes and checks its own bounds.
struct LegacyLogWalk {
    let sectorSize: Int
    let firstSector: Int
    let sectors: Int
    let generation: UInt32

    init?(header: LogFileHeader) {
        sectorSize = Int(header.sectorSize)
        firstSector = Int(header.headerSectors)
        sectors = Int(header.fileSectors)
        generation = UInt32(bitPattern: header.generation)
        guard sectorSize >= 512, sectorSize.nonzeroBitCount == 1, firstSector >= 1, firstSector * sectorSize == LogFileHeader.size,
              sectors > firstSector else { return nil }
    }

    // MARK: Records and their checksums

    func record(_ file: RawSpan, at offset: Int) -> LegacyChecksumRecord? {
        guard offset >= 0, offset + LegacyChecksumRecord.size <= file.byteCount else { return nil }
        return LegacyChecksumRecord(file, at: offset)
    }

    /// The range checksum of the record stored at `offset`, or nil when a range leaves the file.
    func rangeChecksum(_ file: RawSpan, _ record: LegacyChecksumRecord, at offset: Int) -> UInt32? {
        let backward = Int(record.backwardBytes), forward = Int(record.forwardBytes)
        let forwardStart = offset + LegacyChecksumRecord.size
        guard backward <= offset, forward <= file.byteCount - forwardStart else { return nil }
        var value = LegacyChecksumRecord.byteSum(file, (offset - backward)..<offset, seed: LegacyChecksumRecord.rangeSeed)
        value = LegacyChecksumRecord.byteSum(file, forwardStart..<(forwardStart + forward), seed: value)
        return value ^ record.foldedFields ^ generation
    }

    /// The short checksum of the record at `offset`: backward range plus the rest of its sector.
    func shortChecksum(_ file: RawSpan, _ record: LegacyChecksumRecord, at offset: Int) -> UInt32? {
        let backward = Int(record.backwardBytes)
        let forwardStart = offset + LegacyChecksumRecord.size
        let sectorEnd = (offset / sectorSize + 1) * sectorSize
        guard backward <= offset, forwardStart <= sectorEnd, sectorEnd <= file.byteCount else { return nil }
        var value = LegacyChecksumRecord.byteSum(file, (offset - backward)..<offset, seed: LegacyChecksumRecord.shortSeed)
        value = LegacyChecksumRecord.byteSum(file, forwardStart..<sectorEnd, seed: value)
        return value ^ record.foldedFields ^ generation
    }

    /// ESE's `FValidLRCKRecord` for `record` read at `storedAt`, judged at position `position`.
    func isValid(_ file: RawSpan, _ record: LegacyChecksumRecord, storedAt: Int, position: Int) -> Bool {
        let size = LegacyChecksumRecord.size
        guard record.type == LegacyChecksumRecord.recordType, Int(record.backwardBytes) <= sectorSize - size else { return false }
        let multiSector: Bool
        switch record.shortChecksumFlag {
        case LegacyChecksumRecord.shortChecksumOn:
            guard shortChecksum(file, record, at: storedAt) == record.shortChecksum else { return false }
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
    func isValidShadow(_ file: RawSpan, storedAt: Int, position: Int, checkNext: Bool = true) -> Bool {
        guard let record = record(file, at: storedAt), isValid(file, record, storedAt: storedAt, position: position),
              record.shortChecksumFlag == LegacyChecksumRecord.shortChecksumOff,
              !checkNext || record.nextDistance == 0,
              let range = rangeChecksum(file, record, at: storedAt)
        else { return false }
        return record.checksum == range ^ LegacyChecksumRecord.shadowMark
    }

    // MARK: Sectors

    func sectorIsPattern(_ file: RawSpan, _ sector: Int) -> Bool {
        let start = sector * sectorSize
        guard start + sectorSize <= file.byteCount else { return false }
        return LogExtendPattern.matches(file.extracting(start..<start + sectorSize))
    }

    /// The first sector in `range` that is not the log-extend pattern.
    func firstNonPattern(_ file: RawSpan, _ range: ClosedRange<Int>) -> Int? {
        for sector in range where !sectorIsPattern(file, sector) { return sector }
        return nil
    }

    func sectorIsInFile(_ file: RawSpan, _ sector: Int) -> Bool { (sector + 1) * sectorSize <= file.byteCount }

    func sameBytes(_ file: RawSpan, _ a: Int, _ b: Int, _ count: Int) -> Bool {
        guard count >= 0, a + count <= file.byteCount, b + count <= file.byteCount else { return false }
        for index in 0..<count where file.uint8(at: a + index) != file.uint8(at: b + index) { return false }
        return true
    }

    // MARK: Outcomes

    func finish(_ result: inout LogBodyScan, end offset: Int) {
        result.endOfData = LogPosition(generation: Int32(bitPattern: generation),
                                       sector: UInt16(truncatingIfNeeded: offset / sectorSize),
                                       byteOffset: UInt16(truncatingIfNeeded: offset % sectorSize))
        result.lastGoodSector = offset > firstSector * sectorSize ? (offset - 1) / sectorSize : nil
    }

    func corrupt(_ result: inout LogBodyScan, _ reason: LogDamageReason, sector: Int) {
        result.damage = LogDamage(reason: reason, sector: sector, fileOffset: sector * sectorSize)
    }

    /// After a clean end (or a patch from a shadow): every sector after the data and its
    /// shadow slot must be the log-extend pattern.
    func checkTail(_ file: RawSpan, after end: Int, into result: inout LogBodyScan) {
        let endSector = end / sectorSize
        let first = endSector + (end % sectorSize != 0 ? 1 : 0) + 1
        guard first <= sectors - 1 else { return }
        if let bad = firstNonPattern(file, first...(sectors - 1)) {
            corrupt(&result, sectorIsInFile(file, bad) ? .corruptAfterEmptySegment : .truncated, sector: bad)
        } else {
            result.emptyUnits = sectors - first
        }
    }

    /// The torn-or-corrupt decision after damage at `current`. ESE's pattern scan.
    func scanAfterDamage(_ file: RawSpan, from scanFrom: Int, current: Int, rangeBad damaged: LegacyChecksumRecord?,
                         into result: inout LogBodyScan) {
        let currentSector = current / sectorSize
        result.tornWriteSector = currentSector
        guard scanFrom < sectors - 1 else { return }
        if let bad = firstNonPattern(file, scanFrom...(sectors - 1)) {
            result.tornWriteSector = nil
            corrupt(&result, sectorIsInFile(file, bad) ? .segmentCorrupt : .truncated, sector: max(bad, currentSector))
            return
        }
        guard let damaged else { return }
        let inSector = current % sectorSize
        let span = (inSector + LegacyChecksumRecord.size + Int(damaged.forwardBytes) + sectorSize - 1) / sectorSize
        if span == 2 {
            let second = currentSector + 1
            let shadowAt = second * sectorSize + inSector
            if sectorIsPattern(file, second) { return }
            if isValidShadow(file, storedAt: shadowAt, position: current, checkNext: false), sectorIsInFile(file, second),
               let shadow = record(file, at: shadowAt), sameBytes(file, currentSector * sectorSize, second * sectorSize, inSector),
               sameBytes(file, current + LegacyChecksumRecord.size, shadowAt + LegacyChecksumRecord.size, Int(shadow.forwardBytes)) {
                return
            }
        } else if span > 2 {
            if (currentSector + 1...currentSector + span - 1).contains(where: { sectorIsPattern(file, $0) }) { return }
        }
        result.tornWriteSector = nil
        corrupt(&result, .segmentCorrupt, sector: currentSector)
    }

    // MARK: The walk

    /// What one step of the walk decided.
    enum Step {
        /// The record at the position is good and names the next: continue there.
        case next(Int)
        /// The scan has decided.
        case done
        /// The record at the position is not good by its own checksums: try its shadow.
        case tryShadow(tookJump: Bool)
    }

    func run(_ file: RawSpan, into result: inout LogBodyScan) {
        var current = firstSector * sectorSize
        var last: Int?
        // Every step advances by at least 22 bytes, so the walk ends within the file.
        while true {
            switch step(file, at: current, last: last, into: &result) {
            case .next(let next):
                last = current
                current = next
            case .done:
                return
            case .tryShadow(let tookJump):
                fromShadow(file, at: current, last: last, tookJump: tookJump, into: &result)
                return
            }
        }
    }

    /// Judges the record at `current` by itself.
    func step(_ file: RawSpan, at current: Int, last: Int?, into result: inout LogBodyScan) -> Step {
        let found = record(file, at: current)
        guard let found, isValid(file, found, storedAt: current, position: current) else {
            if let found, found.type == LegacyChecksumRecord.recordType,
               found.shortChecksumFlag == LegacyChecksumRecord.shortChecksumOn,
               Int(found.backwardBytes) > sectorSize - LegacyChecksumRecord.size {
                finish(&result, end: (current / sectorSize) * sectorSize)
                corrupt(&result, .invalidChecksumRecord, sector: current / sectorSize)
                return .done
            }
            return .tryShadow(tookJump: false)
        }
        if rangeChecksum(file, found, at: current) == found.checksum {
            result.validUnits += 1
            guard found.nextDistance == 0 else { return .next(current + LegacyChecksumRecord.size + Int(found.nextDistance)) }
            let end = current + LegacyChecksumRecord.size + Int(found.forwardBytes)
            finish(&result, end: end)
            checkTail(file, after: end, into: &result)
            return .done
        }
        if found.shortChecksumFlag == LegacyChecksumRecord.shortChecksumOn {
            // The flush's first sector is good by its short checksum; the rest is in doubt.
            let rangeEnd = current + LegacyChecksumRecord.size + Int(found.forwardBytes)
            finish(&result, end: (current / sectorSize + 1) * sectorSize)
            scanAfterDamage(file, from: rangeEnd / sectorSize, current: current, rangeBad: found, into: &result)
            return .done
        }
        if let previous = last, previous / sectorSize >= firstSector,
           previous / sectorSize == current / sectorSize - 1, previous % sectorSize == current % sectorSize,
           isValidShadow(file, storedAt: current, position: current) {
            // The "next" record is a stale shadow of the previous sector: a torn write.
            finish(&result, end: (current / sectorSize) * sectorSize)
            result.tornWriteSector = current / sectorSize
            return .done
        }
        return .tryShadow(tookJump: true)
    }

    /// The record at `current` failed: its shadow copy in the next sector, else the pattern scan.
    func fromShadow(_ file: RawSpan, at current: Int, last: Int?, tookJump: Bool, into result: inout LogBodyScan) {
        let currentSector = current / sectorSize
        let shadowAt = (currentSector + 1) * sectorSize + current % sectorSize
        if isValidShadow(file, storedAt: shadowAt, position: current), let shadow = record(file, at: shadowAt) {
            let end = current + LegacyChecksumRecord.size + Int(shadow.forwardBytes)
            result.validUnits += 1
            result.tornWriteSector = currentSector
            finish(&result, end: end)
            checkTail(file, after: end, into: &result)
            if result.damage != nil { result.tornWriteSector = nil }
            return
        }
        finish(&result, end: currentSector * sectorSize)
        if !tookJump, let previous = last, previous / sectorSize >= firstSector,
           currentSector == previous / sectorSize + 1,
           isValidShadow(file, storedAt: currentSector * sectorSize + previous % sectorSize, position: previous, checkNext: false) {
            // The previous sector was shadowed and the next flush never happened.
            scanAfterDamage(file, from: currentSector + 1, current: current, rangeBad: nil, into: &result)
        } else {
            scanAfterDamage(file, from: currentSector, current: current, rangeBad: nil, into: &result)
        }
    }
}
