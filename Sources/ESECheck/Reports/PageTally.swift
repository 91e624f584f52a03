import ESEFormat

/// Page counts by verdict. The five numbers eseutil /k and CHKSGFILES care about.
public struct PageCounts: Hashable, Sendable {
    /// Pages whose checksums match.
    public var ok = 0
    /// All-zero pages (never written).
    public var uninitialized = 0
    /// Pages with a single-bit error the ECC corrects.
    public var correctable = 0
    /// Pages whose checksum fails and cannot be corrected (ESE −1018).
    public var badChecksum = 0
    /// Large pages whose stored page number is wrong (ESE −1118).
    public var wrongPageNumber = 0

    /// Creates counts.
    public init(ok: Int = 0, uninitialized: Int = 0, correctable: Int = 0, badChecksum: Int = 0, wrongPageNumber: Int = 0) {
        self.ok = ok
        self.uninitialized = uninitialized
        self.correctable = correctable
        self.badChecksum = badChecksum
        self.wrongPageNumber = wrongPageNumber
    }

    /// All pages counted.
    public var total: Int { ok + uninitialized + correctable + badChecksum + wrongPageNumber }
    /// Pages that are unusable.
    public var bad: Int { badChecksum + wrongPageNumber }

    /// Counts one verdict.
    public mutating func add(_ outcome: PageOutcome) {
        switch outcome {
        case .ok: ok += 1
        case .uninitialized: uninitialized += 1
        case .correctable: correctable += 1
        case .badChecksum: badChecksum += 1
        case .wrongPageNumber: wrongPageNumber += 1
        }
    }

    /// Adds another set of counts.
    public static func += (lhs: inout PageCounts, rhs: PageCounts) {
        lhs.ok += rhs.ok
        lhs.uninitialized += rhs.uninitialized
        lhs.correctable += rhs.correctable
        lhs.badChecksum += rhs.badChecksum
        lhs.wrongPageNumber += rhs.wrongPageNumber
    }
}

/// One page that is not simply good or blank: correctable, bad, or misnumbered.
public struct PageFinding: Hashable, Sendable {
    /// The logical page number. ESE: `pgno`.
    public var pageNumber: UInt32
    /// Where the page starts in the file.
    public var fileOffset: UInt64
    /// The verdict, with the bit offset or suspected page number.
    public var outcome: PageOutcome
    /// The checksum format the page declares.
    public var format: ChecksumFormat
    /// Checksums stored on the page.
    public var stored: PageChecksums
    /// Checksums computed from the page's bytes.
    public var computed: PageChecksums
    /// The page's database time.
    public var databaseTime: UInt64

    /// Creates a finding from a page check.
    public init(_ check: PageCheck, fileOffset: UInt64) {
        pageNumber = check.pageNumber
        self.fileOffset = fileOffset
        outcome = check.outcome
        format = check.format
        stored = check.stored
        computed = check.computed
        databaseTime = check.databaseTime
    }

    /// The JET error a read of the page without correction returns: −1018 for bad and
    /// correctable pages, −1118 for a wrong page number.
    public var jetError: JetError {
        switch outcome {
        case .wrongPageNumber: .readPgnoVerifyFailure
        default: .readVerifyFailure
        }
    }
}

/// The highest database time seen on a page, and where.
public struct HighestDatabaseTime: Hashable, Sendable {
    /// The database time. ESE: `dbtimeDirtied`.
    public var value: UInt64
    /// The page carrying it.
    public var pageNumber: UInt32
}

/// Accumulates page checks: counts, findings and the highest database time. Tallies of
/// disjoint page ranges merge into one.
public struct PageTally: Hashable, Sendable {
    /// Counts by verdict.
    public var counts = PageCounts()
    /// Every page that is correctable, bad or misnumbered, in the order added.
    public var findings: [PageFinding] = []
    /// The highest database time on a good or correctable page.
    public var highestDatabaseTime: HighestDatabaseTime?

    /// An empty tally.
    public init() {}

    /// Records one page check.
    public mutating func add(_ check: PageCheck, fileOffset: UInt64) {
        counts.add(check.outcome)
        switch check.outcome {
        case .ok:
            noteTime(check)
        case .uninitialized:
            break
        case .correctable:
            noteTime(check)
            findings.append(PageFinding(check, fileOffset: fileOffset))
        case .badChecksum, .wrongPageNumber:
            findings.append(PageFinding(check, fileOffset: fileOffset))
        }
    }

    private mutating func noteTime(_ check: PageCheck) {
        if check.databaseTime > (highestDatabaseTime?.value ?? 0) {
            highestDatabaseTime = HighestDatabaseTime(value: check.databaseTime, pageNumber: check.pageNumber)
        }
    }

    /// Adds another tally.
    public mutating func merge(_ other: PageTally) {
        counts += other.counts
        findings += other.findings
        if let time = other.highestDatabaseTime, time.value > (highestDatabaseTime?.value ?? 0) {
            highestDatabaseTime = time
        }
    }

    /// Findings sorted by page number.
    public var sortedFindings: [PageFinding] { findings.sorted { $0.pageNumber < $1.pageNumber } }
}
