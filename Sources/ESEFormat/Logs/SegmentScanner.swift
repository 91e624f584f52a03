/// Why a log body is damaged. The names follow ESE's `g_rgwszLogCorruptReason`.
public enum LogDamageReason: String, Hashable, Sendable {
    /// A valid segment claims a later position than where it sits. ESE: BadSegmentLgpos.
    case badSegmentPosition
    /// A valid segment follows empty or stale ones. ESE: ValidSegmentAfterEmpty.
    case validSegmentAfterEmpty
    /// Damaged data after empty or stale segments. ESE: CorruptAfterEmptySegment.
    case corruptAfterEmptySegment
    /// A segment (v8) or record chain (v7) that fails its checksum with no usable shadow. ESE: SegmentCorrupt.
    case segmentCorrupt
    /// A v7 checksum record that breaks the format's rules.
    case invalidChecksumRecord
    /// The file is shorter than its header declares.
    case truncated
}

/// Where and why a log body is damaged.
public struct LogDamage: Hashable, Sendable {
    /// The reason.
    public var reason: LogDamageReason
    /// Sector (v7) or segment (v8) index where the damage starts.
    public var sector: Int
    /// Byte offset in the file.
    public var fileOffset: Int
}

/// What scanning a log body found: the end of valid data, the accumulated checksum, single-bit
/// corrections, a torn write patched from its shadow, or damage.
public struct LogBodyScan: Hashable, Sendable {
    /// The body format scanned.
    public var format: LogBodyFormat
    /// Good data segments (v8) or checksum records (v7).
    public var validUnits = 0
    /// Index of the last good segment or sector, when any.
    public var lastGoodSector: Int?
    /// Position just after the last valid data. ESE: end of log (`lgposEnd`).
    public var endOfData: LogPosition
    /// v8: XOR of the stored checksums of every good segment. ESE: accumulated segment checksum.
    public var accumulatedChecksum: UInt64 = 0
    /// Segments or sectors repaired in memory by a single-bit ECC correction: (sector, bit in the segment).
    public var corrections: [SectorCorrection] = []
    /// A torn write at this sector whose shadow copy is good: ESE patches it (in the current log).
    public var tornWriteSector: Int?
    /// Damage that ends the usable data, when found.
    public var damage: LogDamage?
    /// Segments or sectors after the end of data that are zero, pattern-filled or stale.
    public var emptyUnits = 0

    /// Creates an empty scan result.
    public init(format: LogBodyFormat, generation: Int32) {
        self.format = format
        endOfData = LogPosition(generation: generation, sector: 0, byteOffset: 0)
    }

    /// Whether the body needs no repair and has no damage.
    public var isClean: Bool { damage == nil && tornWriteSector == nil }
}

/// A single-bit error corrected by ECC in a log segment.
public struct SectorCorrection: Hashable, Sendable {
    /// The segment index.
    public var sector: Int
    /// The bit offset within the segment.
    public var bit: Int

    /// Creates a correction record.
    public init(sector: Int, bit: Int) {
        self.sector = sector
        self.bit = bit
    }
}

/// Scans the body of a v8 log: 4 KiB segments, each with a 40-byte header (`LGSEGHDR`) and
/// an XOR+ECC checksum computed with its segment index as page number.
/// ESE: `LOG_READ_BUFFER::ErrLGCheckReadLastLogRecordFF` (segment format), `AccumulateSectorChecksum`.
public enum SegmentScanner {
    /// Size of a segment. ESE: `LOG_SEGMENT_SIZE`.
    public static let segmentSize = 4096
    static let layout = PageLayout(pageSize: 4096)!

    /// Scans `file` (the whole log file as read) described by `header`.
    public static func scan(_ file: RawSpan, header: LogFileHeader) -> LogBodyScan {
        var result = LogBodyScan(format: .v8, generation: header.generation)
        let first = max(1, Int(header.headerSectors))
        let declared = Int(header.fileSectors)
        let available = file.byteCount / segmentSize
        var lastGood = first - 1
        var emptySeen = false

        func range(_ index: Int) -> Range<Int> { index * segmentSize..<(index + 1) * segmentSize }

        func position(_ bytes: RawSpan) -> LogPosition { LogPosition(bytes, at: 8) }

        /// The outcome of checking a segment as segment `number`: ok, corrected, or bad.
        func verify(_ bytes: RawSpan, as number: Int) -> (ok: Bool, bit: Int?) {
            guard let check = try? PageVerifier.check(bytes, pageNumber: UInt32(truncatingIfNeeded: number), layout: layout) else {
                return (false, nil)
            }
            switch check.outcome {
            case .ok: return (true, nil)
            case .correctable(let bit): return (true, bit)
            default: return (false, nil)
            }
        }

        func storedChecksum(_ bytes: RawSpan) -> UInt64 { bytes.uint64(at: 0) }

        var index = first
        // The last segment (declared − 1) is reserved for a shadow copy only.
        while index <= declared - 2 {
            guard index < available else {
                result.damage = LogDamage(reason: .truncated, sector: index, fileOffset: index * segmentSize)
                break
            }
            let bytes = file.extracting(range(index))
            let current = LogPosition(generation: header.generation, sector: UInt16(truncatingIfNeeded: index), byteOffset: 0)
            let check = verify(bytes, as: index)
            if check.ok {
                let stored = position(bytes)
                if stored < current {
                    emptySeen = true
                    result.emptyUnits += 1
                } else if stored > current {
                    result.damage = LogDamage(reason: .badSegmentPosition, sector: index, fileOffset: index * segmentSize)
                    break
                } else if emptySeen {
                    result.damage = LogDamage(reason: .validSegmentAfterEmpty, sector: index, fileOffset: index * segmentSize)
                    break
                } else {
                    if let bit = check.bit { result.corrections.append(SectorCorrection(sector: index, bit: bit)) }
                    result.accumulatedChecksum ^= storedChecksum(bytes)
                    result.validUnits += 1
                    lastGood = index
                }
                index += 1
                continue
            }
            if index != first, verify(bytes, as: index - 1).ok {
                emptySeen = true  // a stale shadow of the previous partial segment
                result.emptyUnits += 1
                index += 1
                continue
            }
            if bytes.isAllZero() || (!header.isZeroFilled && LogExtendPattern.matches(bytes)) {
                emptySeen = true
                result.emptyUnits += 1
                index += 1
                continue
            }
            if emptySeen {
                result.damage = LogDamage(reason: .corruptAfterEmptySegment, sector: index, fileOffset: index * segmentSize)
                break
            }
            if index + 1 < available, verify(file.extracting(range(index + 1)), as: index).ok,
               position(file.extracting(range(index + 1))) == current {
                result.tornWriteSector = index
                result.accumulatedChecksum ^= storedChecksum(file.extracting(range(index + 1)))
                result.validUnits += 1
                lastGood = index
                index += 1
                continue
            }
            result.damage = LogDamage(reason: .segmentCorrupt, sector: index, fileOffset: index * segmentSize)
            break
        }
        result.lastGoodSector = lastGood >= first ? lastGood : nil
        result.endOfData = LogPosition(generation: header.generation, sector: UInt16(truncatingIfNeeded: lastGood + 1), byteOffset: 0)
        return result
    }
}
