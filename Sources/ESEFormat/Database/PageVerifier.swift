/// What checking one database page found.
public enum PageOutcome: Hashable, Sendable {
    /// The checksums match (and, on a large page, the stored page number is right).
    case ok
    /// Every byte is zero: the page was never written. ESE: −1019 (counted, not a failure).
    case uninitialized
    /// A single flipped bit that the ECC locates; the page is good once it is flipped back.
    /// `bitOffset` is the page bit offset (byte × 8 + bit, least significant bit = 0).
    case correctable(bitOffset: Int)
    /// The checksum does not match and cannot be corrected. ESE: −1018.
    /// `suspectedPageNumber` is set when the checksum would match under another page
    /// number (a page written at the wrong offset): "perhaps this is actually page N".
    case badChecksum(suspectedPageNumber: UInt32?)
    /// The checksum matches but a large page's stored page number is different. ESE: −1118.
    case wrongPageNumber(storedPageNumber: UInt32)
    /// The checksum matches but the page's structure is damaged (free-space fields, tag
    /// array, nodes, flags). ESE: −1206 from `CPAGE::ErrCheckPage`.
    case structureDamaged(PageStructure.Check)

    /// The outcome without its details; the raw value is the name reports use.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// ``PageOutcome/ok``.
        case ok
        /// ``PageOutcome/uninitialized``.
        case uninitialized
        /// ``PageOutcome/correctable(bitOffset:)``.
        case correctable
        /// ``PageOutcome/badChecksum(suspectedPageNumber:)``.
        case badChecksum
        /// ``PageOutcome/wrongPageNumber(storedPageNumber:)``.
        case wrongPageNumber
        /// ``PageOutcome/structureDamaged(_:)``.
        case structureDamaged
    }

    /// The kind: `ok`, `uninitialized`, `correctable`, `badChecksum`, `wrongPageNumber`,
    /// `structureDamaged`.
    public var kind: Kind {
        switch self {
        case .ok: .ok
        case .uninitialized: .uninitialized
        case .correctable: .correctable
        case .badChecksum: .badChecksum
        case .wrongPageNumber: .wrongPageNumber
        case .structureDamaged: .structureDamaged
        }
    }

    /// The JET error a read of the page returns without correction, as `eseutil /k` reports
    /// it: a correctable page fails its checksum (−1018) until the bit is flipped back; nil
    /// for a good page. The one page-to-JET mapping of findings.
    public var uncorrectedJetError: JetError? {
        switch self {
        case .correctable: .readVerifyFailure
        default: jetError
        }
    }

    /// The JET error ESE's read path returns for the page (nil for a good page, and for a
    /// correctable one, which ESE fixes as it reads).
    public var jetError: JetError? {
        switch self {
        case .ok: nil
        case .uninitialized: .pageNotInitialized
        case .correctable: nil
        case .badChecksum: .readVerifyFailure
        case .wrongPageNumber: .readPgnoVerifyFailure
        case .structureDamaged: .databaseCorrupted
        }
    }

    /// Whether the page is unusable (bad checksum, wrong page number or damaged structure).
    public var isBad: Bool {
        switch self {
        case .badChecksum, .wrongPageNumber, .structureDamaged: true
        default: false
        }
    }
}

/// The result of checking one database page. The shape of ESE's `JET_PAGEINFO2`, with
/// unambiguous names: `stored` is what the page carries, `computed` what its bytes give.
public struct PageCheck: Hashable, Sendable {
    /// The logical page number checked against. ESE: `pgno`.
    public var pageNumber: UInt32
    /// The verdict.
    public var outcome: PageOutcome
    /// The checksum format the page declares.
    public var format: ChecksumFormat
    /// Checksums stored on the page. ESE JET_PAGEINFO: `checksumActual` ("stored on the page").
    public var stored: PageChecksums
    /// Checksums computed from the page's bytes. ESE JET_PAGEINFO: `checksumExpected`.
    public var computed: PageChecksums
    /// The page's database time. ESE: `dbtimeDirtied`.
    public var databaseTime: UInt64
}

/// The result of checking a header-type page (database header, shadow, trailer): a plain
/// 4-byte XOR checksum without ECC.
public struct HeaderPageCheck: Hashable, Sendable {
    /// The stored checksum (first dword).
    public var stored: UInt32
    /// The computed old-format XOR checksum.
    public var computed: UInt32
    /// Whether they match.
    public var isValid: Bool { stored == computed }
}

/// Checks database pages: uninitialized detection, checksum verification in either
/// format, single-bit error location, page-number checks. ESE: `CPAGE::ErrValidatePage`,
/// `ChecksumAndPossiblyFixPage`, `TryFixPage` (without fixing the caller's bytes).
public enum PageVerifier {
    /// Checks one data page.
    ///
    /// - Parameters:
    ///   - page: exactly `layout.pageSize` bytes.
    ///   - pageNumber: the logical page number the page should have. ESE: `pgno`.
    ///   - layout: the database's page layout.
    /// - Throws: `FormatError.invalidField` when `page` is not one page long.
    public static func check(_ page: RawSpan, pageNumber: UInt32, layout: PageLayout) throws(FormatError) -> PageCheck {
        guard page.byteCount == layout.pageSize else {
            throw FormatError(.invalidField, structure: "database page", expected: "\(layout.pageSize) bytes",
                              found: "\(page.byteCount) bytes")
        }
        return page.withUnsafeBytes { check($0, pageNumber: pageNumber, layout: layout) }
    }

    /// Checks a header-type page (database header or shadow, patch/trailer page).
    public static func checkHeaderPage(_ page: RawSpan) -> HeaderPageCheck {
        HeaderPageCheck(stored: LegacyChecksum.stored(page), computed: LegacyChecksum.compute(page))
    }

    /// Whether a page looks like a header-type page rather than a data page: dwords 1, 2, 3
    /// and 6 (ECC half, database time, owning tree) are zero but the page is not blank.
    /// eseutil /k applies this to a database's last page (a backup's patch page).
    /// ESE: `ProcessESEPages` heuristic.
    public static func looksLikeHeaderPage(_ page: RawSpan) -> Bool {
        guard page.byteCount >= 28 else { return false }
        return page.uint32(at: PageHeader.Offset.checksum + 4) == 0 && page.uint32(at: PageHeader.Offset.databaseTime) == 0
            && page.uint32(at: PageHeader.Offset.databaseTime + 4) == 0
            && page.uint32(at: PageHeader.Offset.objectID) == 0 && !page.isAllZero()
    }

    /// The kernel-level check; `buffer.count == layout.pageSize` is guaranteed by callers.
    static func check(_ buffer: UnsafeRawBufferPointer, pageNumber: UInt32, layout: PageLayout) -> PageCheck {
        let base = buffer.baseAddress!
        func field64(_ offset: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        func field32(_ offset: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }

        let blockCount = layout.blockCount
        var stored = PageChecksums(field64(PageHeader.Offset.checksum), count: blockCount)
        if layout.isLarge {
            stored.block1 = field64(PageHeader.Offset.blockChecksums)
            stored.block2 = field64(PageHeader.Offset.blockChecksums + 8)
            stored.block3 = field64(PageHeader.Offset.blockChecksums + 16)
        }
        let databaseTime = field64(PageHeader.Offset.databaseTime)
        let isNewFormat = field32(PageHeader.Offset.flags) & PageFlags.newChecksumFormat.rawValue != 0
        let format: ChecksumFormat = isNewFormat ? .eccXOR : .legacyXOR

        if stored.block0 == 0, ZeroScan.isAllZero(buffer) {
            return PageCheck(pageNumber: pageNumber, outcome: .uninitialized, format: format,
                             stored: stored, computed: PageChecksums(0, count: blockCount), databaseTime: 0)
        }

        var computed = PageChecksums(0, count: blockCount)
        if isNewFormat {
            let blockSize = layout.blockSize
            for block in 1..<blockCount {
                let range = layout.blockRange(block)
                computed[block] = ECCChecksum.compute(
                    UnsafeRawBufferPointer(rebasing: buffer[range]), pageNumber: pageNumber, isHeaderBlock: false
                ).rawValue
            }
            computed.block0 = ECCChecksum.compute(
                UnsafeRawBufferPointer(rebasing: buffer[0..<blockSize]), pageNumber: pageNumber, isHeaderBlock: true
            ).rawValue
        } else {
            computed.block0 = UInt64(pageNumber) << 32 | UInt64(LegacyChecksum.compute(buffer))
        }

        let outcome: PageOutcome
        if stored == computed {
            if layout.isLarge, field32(PageHeader.Offset.pageNumber) != pageNumber {
                outcome = .wrongPageNumber(storedPageNumber: field32(PageHeader.Offset.pageNumber))
            } else {
                outcome = .ok
            }
        } else if isNewFormat {
            outcome = classifyMismatch(stored: stored, computed: computed, pageNumber: pageNumber, layout: layout)
        } else {
            // Old format: bytes 4–7 hold the page number the writer used.
            let storedXOR = UInt32(truncatingIfNeeded: stored.block0)
            let storedNumber = UInt32(truncatingIfNeeded: stored.block0 >> 32)
            let suspect = storedXOR == UInt32(truncatingIfNeeded: computed.block0) && storedNumber != pageNumber
                && stored.block1 == 0 && stored.block2 == 0 && stored.block3 == 0
            outcome = .badChecksum(suspectedPageNumber: suspect ? storedNumber : nil)
        }
        return PageCheck(pageNumber: pageNumber, outcome: outcome, format: format,
                         stored: stored, computed: computed, databaseTime: databaseTime)
    }

    /// Classifies a new-format mismatch block by block, as ESE's `TryFixPage` does.
    static func classifyMismatch(stored original: PageChecksums, computed: PageChecksums,
                                 pageNumber: UInt32, layout: PageLayout) -> PageOutcome {
        var stored = original
        var firstBit: Int?
        var fatal = false
        for block in 0..<layout.blockCount {
            if stored[block] == computed[block] { continue }
            let range = layout.blockRange(block)
            guard let bit = XEChecksum(rawValue: stored[block]).singleBitError(
                    from: XEChecksum(rawValue: computed[block]), blockSize: range.count),
                  !(block == 0 && bit == PageFlags.newChecksumFormatBitOffset)
            else {
                fatal = true
                break
            }
            let pageBit = range.lowerBound * 8 + bit
            if firstBit == nil {
                firstBit = pageBit
                // A flip inside the stored checksums of blocks 1–3 (bytes 40–63) also
                // corrupts the value those blocks are compared against: undo it there.
                let storedChecksumBits = (PageHeader.Offset.blockChecksums * 8)..<(PageHeader.Offset.pageNumber * 8)
                if layout.isLarge, block == 0, storedChecksumBits.contains(pageBit) {
                    let relative = pageBit - storedChecksumBits.lowerBound
                    stored[1 + relative / 64] ^= UInt64(1) << UInt64(relative % 64)
                }
            }
        }
        if !fatal, let firstBit { return .correctable(bitOffset: firstBit) }
        return .badChecksum(suspectedPageNumber: suspectedPageNumber(stored: original, computed: computed, pageNumber: pageNumber))
    }

    /// The page number under which every block's checksum would match: ECC halves equal
    /// and the same XOR-half difference in every block.
    static func suspectedPageNumber(stored: PageChecksums, computed: PageChecksums, pageNumber: UInt32) -> UInt32? {
        var difference: UInt32?
        for block in 0..<stored.count {
            let s = XEChecksum(rawValue: stored[block]), c = XEChecksum(rawValue: computed[block])
            guard s.ecc == c.ecc else { return nil }
            let d = s.xor ^ c.xor
            if let difference, difference != d { return nil }
            difference = d
        }
        guard let difference, difference != 0 else { return nil }
        return pageNumber ^ difference
    }
}
