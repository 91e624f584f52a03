/// A persisted flush map (`<db>.jfm`): for every database page, the flush type ESE last wrote
/// it with, so that a read can tell a page that misses its last write (a lost flush, −1119).
///
/// Layout (docs/flush-map.md; ESE `dev/ese/src/inc/flushmap.hxx:18-294`,
/// `dev/ese/src/ese/flushmap.cxx`): 8 KiB pages; the header (`FMFILEHDR`, fmpgno −1) at offset
/// 0, map page `f` at `(f + 1) × 8192` (flushmap.cxx:74-77). A map page has a 64-byte header
/// (`FlushMapDataPageHdr`: XE checksum, `dbtimeMax`, `fmpgno`, flags at 36) and then 2 bits per
/// database page, the most significant pair of a byte first: 32,512 database pages per map page
/// (flushmap.cxx:2684, `IbitGetBitInPage_`/`IGetStateFromBitmap_` flushmap.cxx:2357-2384).
public struct FlushMap: Hashable, Sendable {
    /// The size of every page of the file. ESE: `s_cbFlushMapPageOnDisk` (flushmap.hxx:31).
    public static let pageSize = 8192
    /// The size of a map page's header. ESE: `sizeof( FlushMapDataPageHdr )` (flushmap.hxx:294).
    public static let dataPageHeaderSize = 64
    /// Database pages one map page describes: 8 × (8192 − 64) / 2. ESE: `m_cDbPagesPerFlushMapPage`
    /// (flushmap.cxx:2684).
    public static let pagesPerMapPage = 8 * (pageSize - dataPageHeaderSize) / 2
    /// The version this format describes: 3.0.0. ESE: `ulFMVersionMajorMax` … (daedef.hxx:2681-2683).
    public static let supportedVersion = (major: UInt32(3), updateMajor: UInt32(0))
    /// The database time ESE uses for "none". ESE: `dbtimeNil` (daedef.hxx:1110).
    public static let noDatabaseTime = UInt64.max

    /// The file header. ESE: `FMFILEHDR` (flushmap.hxx:184-259, 671 bytes).
    public struct Header: Hashable, Sendable {
        /// The checksum stored at offset 0 and the one computed (old-format XOR over the 8 KiB
        /// page, page type `flushmapHeaderPage`: checksumu.hxx:50, flushmap.cxx:134-185).
        public var storedChecksum: UInt32
        /// The computed checksum.
        public var computedChecksum: UInt32
        /// Version major at 4. ESE: `le_ulFmVersionMajor`.
        public var versionMajor: UInt32
        /// Version update major at 8. ESE: `le_ulFmVersionUpdateMajor`.
        public var versionUpdateMajor: UInt32
        /// Version update minor at 12. ESE: `le_ulFmVersionUpdateMinor`.
        public var versionUpdateMinor: UInt32
        /// Flags at 36. ESE: `fFlags`; bit 0x1 `fClean`.
        public var flags: UInt32
        /// When the map was created, last attached and detached. ESE: `logtimeCreate`,
        /// `logtimeAttach`, `logtimeDetach` (40, 48, 56).
        public var created: LogTime
        /// The last attach time.
        public var attached: LogTime
        /// The last detach time.
        public var detached: LogTime
        /// The log generation the map can be rebuilt from after a crash. ESE: `lGenMinRequired` (64).
        public var minimumRequiredGeneration: Int32
        /// The generation a full map flush under way targets. ESE: `lGenMinRequiredTarget` (68).
        public var minimumRequiredTarget: Int32
        /// The signature of the last database-header flush. ESE: `signDbHdrFlush` (88).
        public var databaseHeaderFlushSignature: Signature
        /// The signature of the last map-header flush. ESE: `signFlushMapHdrFlush` (116).
        public var mapHeaderFlushSignature: Signature
        /// The file type at 667 (7 for a flush map). ESE: `filetype`.
        public var fileType: UInt32

        /// Whether the stored checksum is right.
        public var checksumIsValid: Bool { storedChecksum == computedChecksum }
        /// Whether the map was cleanly closed. ESE: `FClean()` (flushmap.hxx:247).
        public var isClean: Bool { flags & 1 != 0 }
        /// Whether the version is one ESE reads: major 3, update major ≤ 0 (flushmap.cxx:2175-2187).
        public var versionIsSupported: Bool {
            versionMajor == FlushMap.supportedVersion.major && versionUpdateMajor <= FlushMap.supportedVersion.updateMajor
        }
    }

    /// What one map page holds, as ESE would load it.
    public enum PageState: Hashable, Sendable {
        /// The page passed its checksum (a single-bit error is corrected, as ESE corrects it:
        /// `ErrChecksumFmPage_` with `fCorrectError`, flushmap.cxx:134-185).
        case valid
        /// Every byte is zero (−1019): ESE treats every page it describes as unknown.
        case uninitialized
        /// The checksum fails (−1018): ESE re-initializes it, every state unknown (flushmap.cxx:1486-1510).
        case badChecksum
    }

    /// One map page: its state, the highest database time it vouches for, and the 2-bit states.
    public struct Page: Hashable, Sendable {
        /// As ESE would load it.
        public var state: PageState
        /// The page number stored in the page. ESE: `fmpgno` (16).
        public var storedNumber: Int32
        /// The highest database time of the pages it describes. ESE: `dbtimeMax` (8); `noDatabaseTime` for none.
        public var highestDatabaseTime: UInt64
        /// The bitmap (8128 bytes; empty unless `valid`).
        var bitmap: [UInt8]
    }

    /// The header.
    public var header: Header
    /// The map pages present in the file (a short file describes fewer pages; the rest are unknown).
    public var pages: [Page]

    /// Parses a whole flush map file. Throws when the file is shorter than its header page.
    /// The header's checksum is reported, not enforced: judge `header.checksumIsValid`.
    public init(parsing bytes: RawSpan) throws(FormatError) {
        guard bytes.byteCount >= Self.pageSize else {
            throw FormatError(.truncated, structure: "FMFILEHDR", expected: "at least \(Self.pageSize) bytes", found: "\(bytes.byteCount) bytes")
        }
        let head = bytes.extracting(0..<Self.pageSize)
        header = Header(
            storedChecksum: LegacyChecksum.stored(head), computedChecksum: LegacyChecksum.compute(head),
            versionMajor: head.uint32(at: 4), versionUpdateMajor: head.uint32(at: 8), versionUpdateMinor: head.uint32(at: 12), flags: head.uint32(at: 36),
            created: LogTime(head, at: 40), attached: LogTime(head, at: 48), detached: LogTime(head, at: 56),
            minimumRequiredGeneration: head.int32(at: 64), minimumRequiredTarget: head.int32(at: 68),
            databaseHeaderFlushSignature: Signature(head, at: 88), mapHeaderFlushSignature: Signature(head, at: 116),
            fileType: head.uint32(at: FileType.headerOffset))
        let count = bytes.byteCount / Self.pageSize - 1
        var pages: [Page] = []
        pages.reserveCapacity(count)
        for index in 0..<count {
            let start = (index + 1) * Self.pageSize
            pages.append(Self.page(bytes.extracting(start..<start + Self.pageSize), number: Int32(index)))
        }
        self.pages = pages
    }

    /// One map page, checked as ESE checks it: all zero, else the database-page checksum with
    /// its map page number as `pgno` (page type `flushmapDataPage` = `databasePage`).
    static func page(_ bytes: RawSpan, number: Int32) -> Page {
        let stored = bytes.int32(at: 16)
        let time = bytes.uint64(at: 8)
        guard let layout = PageLayout(pageSize: pageSize),
              let check = try? PageVerifier.check(bytes, pageNumber: UInt32(bitPattern: number), layout: layout) else {
            return Page(state: .badChecksum, storedNumber: stored, highestDatabaseTime: time, bitmap: [])
        }
        switch check.outcome {
        case .uninitialized:
            return Page(state: .uninitialized, storedNumber: stored, highestDatabaseTime: time, bitmap: [])
        case .ok, .correctable:
            var all = bytes.bytes(at: 0, count: pageSize)
            if case .correctable(let bit) = check.outcome, bit / 8 < all.count { all[bit / 8] ^= UInt8(1 << (bit % 8)) }
            let fixed = all.span.bytes
            return Page(state: .valid, storedNumber: fixed.int32(at: 16), highestDatabaseTime: fixed.uint64(at: 8),
                        bitmap: Array(all[dataPageHeaderSize...]))
        default:
            return Page(state: .badChecksum, storedNumber: stored, highestDatabaseTime: time, bitmap: [])
        }
    }

    /// The map page that describes database page `page`. ESE: `FmpgnoGetFmPgnoFromDbPgno` (flushmap.cxx:3213-3222).
    public static func mapPage(of page: UInt32) -> Int { Int(page) / pagesPerMapPage }

    /// The flush type the map records for database page `page`: 0 unknown, 1–3 the type of the
    /// last write. 0 also when the map page is missing, all zero or fails its checksum — ESE
    /// then knows nothing of the page (flushmap.cxx:1486-1510).
    public func flushType(of page: UInt32) -> Int {
        let index = Self.mapPage(of: page)
        guard index < pages.count, pages[index].state == .valid else { return 0 }
        return Self.flushType(in: pages[index].bitmap, page: page)
    }

    /// The 2-bit state of `page` in a map page's bitmap: byte `(page mod 32512) / 4`, the pair
    /// at bits `6 − 2 × (page mod 4)` (flushmap.cxx:2357-2384, `s_mskFlushType` 0xC0 flushmap.hxx:24).
    static func flushType(in bitmap: [UInt8], page: UInt32) -> Int {
        let slot = Int(page) % pagesPerMapPage
        guard slot / 4 < bitmap.count else { return 0 }
        return Int(bitmap[slot / 4] >> (6 - 2 * UInt8(slot % 4))) & 3
    }

    /// The flush type a database page's header carries: `(fFlags >> 15) & 3` (0 unknown, 1
    /// "rock", 2 "paper", 3 "scissors"). ESE: `CPAGE::Pgft()`, `maskFlushType` 0x18000 (cpage.hxx).
    public static func pageFlushType(_ page: RawSpan) -> Int {
        guard page.byteCount >= PageHeader.Offset.flags + 4 else { return 0 }
        return PageFlags(rawValue: page.uint32(at: PageHeader.Offset.flags)).flushType
    }

    /// Whether the map is tied to a database whose header holds these flush signatures: at
    /// least one pair equal and not all zero. ESE: `FCheckForDbFmConsistency_` (flushmap.cxx:85-96).
    public func matches(databaseHeaderFlush: Signature, mapHeaderFlush: Signature) -> Bool {
        (databaseHeaderFlush == header.databaseHeaderFlushSignature && !databaseHeaderFlush.isZero)
            || (mapHeaderFlush == header.mapHeaderFlushSignature && !mapHeaderFlush.isZero)
    }
}
