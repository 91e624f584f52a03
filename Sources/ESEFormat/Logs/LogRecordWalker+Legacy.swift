extension LogRecordWalker {
    /// Walks a v7 log: one record stream from the end of the header to the end of the data
    /// `LegacyLogScanner` verified, crossing LRCHECKSUM ranges as `ErrLGGetNextRecFF_Legacy`
    /// does (logread_legacy.cxx:4511-4900, `ErrLGIGetNextChecksumFF` 4240-4500).
    static func walkLegacy(_ file: RawSpan, header: LogFileHeader, scan: LogBodyScan,
                           into start: LogRecordWalk = LogRecordWalk(format: .v7)) -> LogRecordWalk {
        var walk = start
        let sectorSize = Int(header.sectorSize)
        let generation = header.generation
        let start = Int(header.headerSectors) * sectorSize
        guard sectorSize >= 512, sectorSize.nonzeroBitCount == 1, start >= LogFileHeader.size else { return walk }
        let end = min(Int(scan.endOfData.sector) * sectorSize + Int(scan.endOfData.byteOffset), file.byteCount)
        let checksumSize = LegacyChecksumRecord.size
        let fixedParts = LogRecordType.fixedParts

        func position(_ offset: Int) -> LogPosition {
            LogPosition(generation: generation, sector: UInt16(truncatingIfNeeded: offset / sectorSize),
                        byteOffset: UInt16(truncatingIfNeeded: offset % sectorSize))
        }
        func fail(_ reason: InvalidLogRecordReason, _ type: UInt8, at offset: Int) {
            walk.firstInvalid = InvalidLogRecord(reason: reason, type: LogRecordType(rawValue: type), position: position(offset),
                                                 sector: offset / sectorSize, fileOffset: offset)
        }

        // Fewer bytes than one LRCHECKSUM: no first record, −501 (logread_legacy.cxx:4059-4067;
        // logdump.cxx:1395-1399). Damage found by the scan already explains an empty log.
        guard end >= start + checksumSize, file.uint8(at: start) == LegacyChecksumRecord.recordType else {
            if scan.damage == nil { fail(.noRecords, end > start ? file.uint8(at: start) : 0, at: start) }
            return walk
        }
        // The current LRCHECKSUM: its position, the end of its forward range, its distance to the next.
        var checksumAt = start
        var rangeEnd = start + checksumSize + Int(file.uint32(at: start + 5))
        var nextDistance = Int(file.uint32(at: start + 9))
        var offset = start
        var quit: Int?

        records: while offset < end {
            var stage = 0, need = 1
            var type: UInt8 = 0
            while true {
                // A record reaching past the verified data ends the log silently (4606-4610, 4676-4681).
                guard offset + need <= end else { break records }
                // The bytes the record may use: up to the next LRCHECKSUM when it lies before it,
                // the LRCHECKSUM itself, else the current range.
                let limit = offset < checksumAt ? checksumAt : (offset == checksumAt ? checksumAt + checksumSize : rangeEnd)
                if offset + need > limit {
                    guard offset > checksumAt else {
                        // ESE only asserts that a record ends before the next LRCHECKSUM (4839).
                        fail(.overlapsChecksumRecord, offset < checksumAt ? type : LegacyChecksumRecord.recordType, at: offset)
                        break records
                    }
                    // The next LRCHECKSUM range is needed; after the last one the record overhangs: −501 (4277-4290).
                    guard nextDistance != 0 else {
                        fail(.overhangsLastRange, type, at: offset)
                        break records
                    }
                    let nextAt = checksumAt + checksumSize + nextDistance
                    // That LRCHECKSUM must lie within the verified data (4303-4314).
                    guard nextAt + checksumSize <= end else { break records }
                    checksumAt = nextAt
                    rangeEnd = nextAt + checksumSize + Int(file.uint32(at: nextAt + 5))
                    nextDistance = Int(file.uint32(at: nextAt + 9))
                    if Int(file.uint32(at: nextAt + 1)) != nextAt % sectorSize {
                        // No backward range (patched after a crash): the hanging record is discarded and
                        // reading resumes at the LRCHECKSUM (4465-4493).
                        if offset < nextAt { walk.discardedRecords += 1 }
                        offset = nextAt
                        stage = 0
                        need = 1
                    }
                    continue
                }
                switch stage {
                case 0:
                    type = file.uint8(at: offset)
                    // eseutil checks every record's type (logdump.cxx:1407-1412; logread_legacy.cxx:3375-3379).
                    guard Int(type) < LogRecordType.limit else {
                        fail(.typeOutOfRange, type, at: offset)
                        break records
                    }
                    need = Int(fixedParts[Int(type)])
                    stage = 1
                case 1:
                    need = LogRecordSize.size(of: LogRecordType(rawValue: type), in: file, at: offset)
                    // A size of 0 cannot advance the position: −501 (4590-4603).
                    guard need > 0 else {
                        fail(.noSize, type, at: offset)
                        break records
                    }
                    stage = 2
                default:
                    acceptLegacy(LogRecordType(rawValue: type), file, at: offset, size: need, position: position(offset),
                                 lastChecksum: offset == checksumAt && nextDistance == 0, quit: &quit, into: &walk)
                    offset += need
                    continue records
                }
            }
        }
        walk.bytesWalked = max(0, min(offset, end) - start)
        if walk.firstInvalid == nil, let quit { walk.cleanEnd = position(quit) }
        return walk
    }

    /// Counts a v7 record ESE's reader accepts, and notes what recovery needs from it: the
    /// database records, the last record, where the log closes (logread_legacy.cxx:3252-3258,
    /// 3455-3503).
    static func acceptLegacy(_ recordType: LogRecordType, _ file: RawSpan, at offset: Int, size need: Int, position: LogPosition,
                             lastChecksum: Bool, quit: inout Int?, into walk: inout LogRecordWalk) {
        walk.note(recordType, at: LogRecordLocation(type: recordType, position: position, fileOffset: offset))
        walk.recordsWalked += 1
        walk.countByType[Int(recordType.rawValue)] += 1
        if walk.recordsWalked == 1 {
            walk.firstRecord = LogRecordLocation(type: recordType, position: position, fileOffset: offset)
        }
        switch recordType {
        case .nop:
            break
        case .checksum:
            // The end-of-log scan starts after the last LRCHECKSUM (3252-3258).
            if lastChecksum { quit = nil }
        case .createDB, .attachDB, .detachDB, .reAttach:
            walk.lastRecord = LogRecordLocation(type: recordType, position: position, fileOffset: offset)
            quit = nil
            if let database = DatabaseLogRecord.parse(recordType, file, at: offset, available: need,
                                                      position: position, fileOffset: offset) {
                walk.databaseRecords.append(database)
            }
        default:
            walk.lastRecord = LogRecordLocation(type: recordType, position: position, fileOffset: offset)
            if walk.pageReferences != nil {
                LogPageReference.collect(recordType, file, at: offset, available: need, position: position,
                                         upTo: walk.highestCollectedPage, into: &walk.pageReferences!)
            }
            // v7 accepts Term, Term2, RecoveryQuit, RecoveryQuit2 (3460-3470).
            let closes = recordType.isTermination && recordType != .recoveryQuitKeepAttachments
            quit = closes ? offset : nil
        }
    }
}
