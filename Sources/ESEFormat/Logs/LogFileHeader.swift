/// A transaction log file header. ESE: `LGFILEHDR` (4096 bytes, no shadow copy).
///
/// Log headers have no magic number; they are recognised by their checksum (old-format
/// XOR over the whole 4096 bytes) and the file type at offset 667 (3, or 0 on old logs).
public struct LogFileHeader: Hashable, Sendable {
    /// Size of the header in bytes.
    public static let size = 4096

    /// Stored checksum. ESE: `le_ulChecksum`.
    public var checksum: UInt32
    /// The generation. ESE: `le_lGeneration`.
    public var generation: Int32
    /// Sector size: always 4096 in v8; the volume's sector size in v7. ESE: `le_cbSec`.
    public var sectorSize: UInt16
    /// Header sectors (4096 / sector size). ESE: `le_csecHeader`.
    public var headerSectors: UInt16
    /// File size in sectors. ESE: `le_csecLGFile`.
    public var fileSectors: UInt16
    /// Database page size as stored (0 means 4096). ESE: `le_cbPageSize`.
    public var storedPageSize: UInt16
    /// When this file was created. ESE: `tmCreate`.
    public var createTime: LogTime
    /// When the previous generation was created (null for the first). ESE: `tmPrevGen`.
    public var previousGenerationTime: LogTime
    /// 7 (LRCHECKSUM format) or 8 (segment format). ESE: `le_ulMajor`.
    public var majorVersion: UInt32
    /// 3704 (v7) or 4000 (v8). ESE: `le_ulMinor`.
    public var minorVersion: UInt32
    /// ESE: `le_ulUpdateMajor`.
    public var updateMajor: UInt32
    /// The log sequence's signature. ESE: `signLog`.
    public var logSignature: Signature
    /// Engine parameters. ESE: `dbms_param`.
    public var parameters: DBMSParameters
    /// Flags: 0x01 using a reserve log, 0x02 circular logging now, 0x04 circular logging in
    /// the past. ESE: `fLGFlags`.
    public var flags: UInt8
    /// The checkpoint when this log was created. ESE: `le_lgposCheckpoint`.
    public var checkpoint: LogPosition
    /// ESE: `le_ulUpdateMinor`.
    public var updateMinor: UInt32
    /// Disk sector size match state. ESE: `bDiskSecSizeMismatch`.
    public var diskSectorSizeState: UInt8
    /// XOR of every segment checksum of the previous generation (0 = not recorded).
    /// ESE: `checksumPrevLogAllSegments`.
    public var previousGenerationAccumulatedChecksum: UInt64
    /// Engine format version that wrote the file. ESE: `le_efvEngineCurrentDiagnostic`.
    public var engineFormatVersion: UInt32
    /// File type (3 log, 0 on old logs). ESE: `le_filetype`.
    public var fileTypeValue: UInt32
    /// Databases attached when the log was created. ESE: `rgbAttach`.
    public var attachments: [AttachInfo]
    /// Whether the attachment list ended inside its 2048-byte area.
    public var attachmentListComplete: Bool

    /// Parses a header from the first 4096 bytes of `bytes` (checksum not checked).
    /// - Throws: `FormatError.truncated` when fewer than 4096 bytes are given.
    public init(parsing bytes: RawSpan) throws(FormatError) {
        guard bytes.byteCount >= Self.size else {
            throw FormatError(.truncated, structure: "LGFILEHDR", expected: "\(Self.size) bytes", found: "\(bytes.byteCount) bytes")
        }
        let s = bytes
        checksum = s.uint32(at: 0)
        generation = s.int32(at: 4)
        sectorSize = s.uint16(at: 8)
        headerSectors = s.uint16(at: 10)
        fileSectors = s.uint16(at: 12)
        storedPageSize = s.uint16(at: 14)
        createTime = LogTime(s, at: 16)
        previousGenerationTime = LogTime(s, at: 24)
        majorVersion = s.uint32(at: 32)
        minorVersion = s.uint32(at: 36)
        updateMajor = s.uint32(at: 40)
        logSignature = Signature(s, at: 44)
        parameters = DBMSParameters(s, at: 72)
        flags = s.uint8(at: 639)
        checkpoint = LogPosition(s, at: 640)
        updateMinor = s.uint32(at: 648)
        diskSectorSizeState = s.uint8(at: 652)
        previousGenerationAccumulatedChecksum = s.uint64(at: 653)
        engineFormatVersion = s.uint32(at: 661)
        fileTypeValue = s.uint32(at: FileType.headerOffset)
        (attachments, attachmentListComplete) = AttachInfo.parseList(s, at: 671, limit: 2048)
    }

    /// The body format: `.v7` for major ≤ 7, `.v8` otherwise. ESE: `FIsOldLrckLogFormat`.
    public var bodyFormat: LogBodyFormat { majorVersion <= 7 ? .v7 : .v8 }

    /// The database page size (a stored 0 means 4096).
    public var pageSize: Int { storedPageSize == 0 ? 4096 : Int(storedPageSize) }

    /// The file size the header declares: sectors × sector size.
    public var declaredFileSize: Int { Int(fileSectors) * Int(sectorSize) }

    /// Whether the file is a reserve log in use. ESE: `fLGReservedLog` (0x01).
    public var isUsingReserveLog: Bool { flags & 0x01 != 0 }
    /// Whether circular logging was on when this file was written. ESE: `fLGCircularLoggingCurrent` (0x02).
    public var circularLoggingNow: Bool { flags & 0x02 != 0 }
    /// Whether circular logging was ever on for the sequence. ESE: `fLGCircularLoggingHistory` (0x04).
    public var circularLoggingEver: Bool { flags & 0x04 != 0 }

    /// The version as eseutil prints it: `major.minor.updateMajor.updateMinor`.
    public var versionText: String { "\(majorVersion).\(minorVersion).\(updateMajor).\(updateMinor)" }

    /// Whether re-used space is zero-filled (8.4000.2 and later) rather than pattern-filled.
    /// ESE: `FLGVersionZeroFilled`.
    public var isZeroFilled: Bool { majorVersion > 8 || (majorVersion == 8 && updateMajor >= 2) }

    /// Problems with the header's own fields: ESE's open-time checks (§5.2) that do not need
    /// other files. Each is (JET error, explanation).
    public var fieldProblems: [(JetError, String)] {
        var problems: [(JetError, String)] = []
        if fileTypeValue != FileType.log.rawValue && fileTypeValue != 0 {
            problems.append((.fileInvalidType, "file type is \(fileTypeValue), not a log (3)"))
        }
        switch majorVersion {
        case 7 where minorVersion == 3704, 8 where minorVersion == 4000:
            break
        default:
            problems.append((.badLogVersion, "unsupported log version \(versionText)"))
        }
        if majorVersion == 7, minorVersion == 3704, updateMajor < 14, pageSize > 8192 {
            // Before 7.3704.14 large pages had another long-value chunk size: ESE refuses such a log
            // for a 16 or 32 KiB engine page size, which must be the log's (log.cxx:870-918, 1061-1073; FIsSmallPage, daedef.hxx:5795).
            problems.append((.badLogVersion, "log version \(versionText) predates 7.3704.14, which large (\(pageSize)-byte) pages need"))
        }
        if majorVersion == 8, sectorSize != 4096 {
            problems.append((.logFileCorrupt, "v8 log with sector size \(sectorSize), expected 4096"))
        }
        if sectorSize < 512 || sectorSize.nonzeroBitCount != 1 {
            problems.append((.logFileCorrupt, "sector size \(sectorSize) is not a power of two of at least 512"))
        } else if Int(headerSectors) * Int(sectorSize) != Self.size {
            problems.append((.logFileCorrupt, "header sectors \(headerSectors) × \(sectorSize) is not 4096"))
        }
        if fileSectors <= headerSectors {
            problems.append((.logFileCorrupt, "file size \(fileSectors) sectors leaves no room after the header"))
        }
        if generation <= 0 { problems.append((.logFileCorrupt, "generation \(generation) is not positive")) }
        if checkpoint.generation > generation {
            problems.append((.logFileCorrupt, "checkpoint generation \(checkpoint.generation) is after the log's own \(generation)"))
        }
        return problems
    }
}

/// The log body format.
public enum LogBodyFormat: String, Hashable, Sendable {
    /// LRCHECKSUM records over sectors (log major version 7).
    case v7
    /// 4 KiB segments with XOR+ECC checksums (log major version 8).
    case v8
}
