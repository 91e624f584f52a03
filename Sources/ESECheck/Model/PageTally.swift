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
    /// Pages whose checksum matches but whose structure is damaged (ESE −1206).
    public var structureDamaged = 0

    /// Creates counts.
    public init(ok: Int = 0, uninitialized: Int = 0, correctable: Int = 0, badChecksum: Int = 0, wrongPageNumber: Int = 0) {
        self.ok = ok
        self.uninitialized = uninitialized
        self.correctable = correctable
        self.badChecksum = badChecksum
        self.wrongPageNumber = wrongPageNumber
    }

    /// All pages counted.
    public var total: Int { ok + uninitialized + correctable + badChecksum + wrongPageNumber + structureDamaged }
    /// Pages that are unusable.
    public var bad: Int { badChecksum + wrongPageNumber + structureDamaged }

    /// Counts one verdict.
    public mutating func add(_ outcome: PageOutcome) {
        switch outcome {
        case .ok: ok += 1
        case .uninitialized: uninitialized += 1
        case .correctable: correctable += 1
        case .badChecksum: badChecksum += 1
        case .wrongPageNumber: wrongPageNumber += 1
        case .structureDamaged: structureDamaged += 1
        }
    }

    /// Adds another set of counts.
    public static func += (lhs: inout PageCounts, rhs: PageCounts) {
        lhs.ok += rhs.ok
        lhs.uninitialized += rhs.uninitialized
        lhs.correctable += rhs.correctable
        lhs.badChecksum += rhs.badChecksum
        lhs.wrongPageNumber += rhs.wrongPageNumber
        lhs.structureDamaged += rhs.structureDamaged
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
    /// correctable pages, −1118 for a wrong page number (`PageOutcome.uncorrectedJetError`).
    public var jetError: JetError { outcome.uncorrectedJetError ?? .readVerifyFailure }
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
///
/// Memory and output stay bounded whatever the damage: every finding is counted, runs of
/// consecutive pages with the same finding coalesce into `findingRanges`, and per-page
/// detail is kept for the `findingLimit` lowest-numbered findings only (`findingsOmitted`
/// says how many were left out). At most `findingLimit` ranges are listed, those of the
/// lowest pages (`findingRangesOmitted` counts the finding pages no listed range covers);
/// a few thousand more are kept in memory so that pages arriving in any order coalesce.
public struct PageTally: Hashable, Sendable {
    /// The default `findingLimit`: per-page detail for the first 1,000 findings.
    public static let defaultFindingLimit = 1000

    /// Counts by verdict.
    public var counts = PageCounts()
    /// The highest database time on a good or correctable page (over every copy checked,
    /// resubmitted ones included).
    public var highestDatabaseTime: HighestDatabaseTime?
    /// Findings kept with per-page detail, and ranges kept; see `findings`, `findingRanges`.
    public let findingLimit: Int

    /// Per-page detail, unsorted, at most about twice `findingLimit` before trimming.
    private var detail: [PageFinding] = []
    /// Findings above this page are not kept in `detail` (the lowest `findingLimit` are kept).
    private var detailCutoff: UInt32?
    /// Sorted, disjoint runs of findings.
    private var ranges: [FindingRange] = []
    /// Ranges above this page are not kept.
    private var rangeCutoff: UInt32?

    /// An empty tally keeping per-page detail for at most `findingLimit` findings.
    public init(findingLimit: Int = PageTally.defaultFindingLimit) { self.findingLimit = max(0, findingLimit) }

    /// The findings with per-page detail, sorted by page number: at most `findingLimit`,
    /// those of the lowest pages (every correctable, bad or misnumbered page when there are
    /// no more than that).
    public var findings: [PageFinding] { Array(detail.sorted { $0.pageNumber < $1.pageNumber }.prefix(findingLimit)) }

    /// Findings sorted by page number (the same as `findings`).
    public var sortedFindings: [PageFinding] { findings }

    /// Runs of consecutive pages with the same finding, sorted by page: at most
    /// `findingLimit` runs, those of the lowest pages.
    public var findingRanges: [FindingRange] { Array(ranges.prefix(findingLimit)) }

    /// Every correctable, bad or misnumbered page counted.
    public var findingCount: Int { counts.correctable + counts.bad }

    /// Findings counted but not listed in `findings`.
    public var findingsOmitted: Int { max(0, findingCount - min(detail.count, findingLimit)) }

    /// Finding pages counted but covered by no range of `findingRanges`.
    public var findingRangesOmitted: Int { max(0, findingCount - ranges.prefix(findingLimit).reduce(0) { $0 + $1.count }) }

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
            keep(PageFinding(check, fileOffset: fileOffset))
        case .badChecksum, .wrongPageNumber, .structureDamaged:
            keep(PageFinding(check, fileOffset: fileOffset))
        }
    }

    private mutating func keep(_ finding: PageFinding) {
        insert(FindingRange(kind: finding.outcome.kind, firstPage: finding.pageNumber, lastPage: finding.pageNumber))
        keepDetail(finding)
    }

    private mutating func keepDetail(_ finding: PageFinding) {
        if let cutoff = detailCutoff, finding.pageNumber > cutoff { return }
        detail.append(finding)
        guard detail.count > findingLimit, detail.count - findingLimit > max(findingLimit, 256) else { return }
        detail.sort { $0.pageNumber < $1.pageNumber }
        detail.removeSubrange(findingLimit...)
        detailCutoff = detail.last?.pageNumber ?? 0
    }

    /// Adds a run of findings of one kind to the sorted ranges, joining its neighbours.
    private mutating func insert(_ new: FindingRange) {
        var range = new
        if let cutoff = rangeCutoff {
            guard range.firstPage <= cutoff else { return }
            range.lastPage = min(range.lastPage, cutoff)
        }
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].firstPage <= range.firstPage { low = middle + 1 } else { high = middle }
        }
        // Pages already covered are never counted twice (callers add each page once).
        if low > 0, ranges[low - 1].lastPage >= range.firstPage {
            guard ranges[low - 1].lastPage < range.lastPage else { return }
            range.firstPage = ranges[low - 1].lastPage + 1
        }
        if low < ranges.count, ranges[low].firstPage <= range.lastPage {
            guard ranges[low].firstPage > range.firstPage else { return }
            range.lastPage = ranges[low].firstPage - 1
        }
        let joinsPrevious = low > 0 && ranges[low - 1].kind == range.kind && ranges[low - 1].lastPage + 1 == range.firstPage
        let joinsNext = low < ranges.count && ranges[low].kind == range.kind && range.lastPage + 1 == ranges[low].firstPage
        switch (joinsPrevious, joinsNext) {
        case (true, true):
            ranges[low - 1].lastPage = ranges[low].lastPage
            ranges.remove(at: low)
        case (true, false):
            ranges[low - 1].lastPage = range.lastPage
        case (false, true):
            ranges[low].firstPage = range.firstPage
        case (false, false):
            ranges.insert(range, at: low)
        }
        trimRanges()
    }

    /// Runs kept in memory after trimming: more than are listed, because pages arriving out of
    /// order leave one run in several pieces for a while, and a cut through such pieces must
    /// not shorten a listed run.
    private var rangesKept: Int {
        findingLimit == 0 ? 0 : (findingLimit >= Int.max / 8 ? Int.max / 4 : max(2 * findingLimit, findingLimit + 1024))
    }

    private mutating func trimRanges() {
        let keep = rangesKept
        guard ranges.count > 2 * keep else { return }
        rangeCutoff = keep == 0 ? 0 : ranges[keep - 1].lastPage
        ranges.removeSubrange(keep...)
    }

    /// Takes back the earlier check of page `pageNumber`, whose outcome was of `kind`
    /// (`PageOutcome.kind`): its count, its finding and its place in the ranges. Used when
    /// a copy of the page is resubmitted. The highest database time is not taken back.
    mutating func remove(page pageNumber: UInt32, kind: PageOutcome.Kind) {
        switch kind {
        case .ok: counts.ok -= 1
        case .uninitialized: counts.uninitialized -= 1
        case .correctable: counts.correctable -= 1
        case .badChecksum: counts.badChecksum -= 1
        case .wrongPageNumber: counts.wrongPageNumber -= 1
        case .structureDamaged: counts.structureDamaged -= 1
        }
        guard kind != .ok, kind != .uninitialized else { return }
        detail.removeAll { $0.pageNumber == pageNumber }
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].firstPage <= pageNumber { low = middle + 1 } else { high = middle }
        }
        let index = low - 1
        guard index >= 0, ranges[index].lastPage >= pageNumber else { return }
        let range = ranges[index]
        if range.firstPage == range.lastPage {
            ranges.remove(at: index)
        } else if pageNumber == range.firstPage {
            ranges[index].firstPage += 1
        } else if pageNumber == range.lastPage {
            ranges[index].lastPage -= 1
        } else {
            ranges[index].lastPage = pageNumber - 1
            ranges.insert(FindingRange(kind: range.kind, firstPage: pageNumber + 1, lastPage: range.lastPage), at: index + 1)
            trimRanges()
        }
    }

    private mutating func noteTime(_ check: PageCheck) {
        if check.databaseTime > (highestDatabaseTime?.value ?? 0) {
            highestDatabaseTime = HighestDatabaseTime(value: check.databaseTime, pageNumber: check.pageNumber)
        }
    }

    /// Adds another tally (of pages this one has not counted).
    public mutating func merge(_ other: PageTally) {
        counts += other.counts
        for range in other.ranges { insert(range) }
        for finding in other.detail { keepDetail(finding) }
        if let time = other.highestDatabaseTime, time.value > (highestDatabaseTime?.value ?? 0) {
            highestDatabaseTime = time
        }
    }

    public static func == (lhs: PageTally, rhs: PageTally) -> Bool {
        lhs.counts == rhs.counts && lhs.highestDatabaseTime == rhs.highestDatabaseTime
            && lhs.findingRanges == rhs.findingRanges && lhs.findings == rhs.findings
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(counts)
        hasher.combine(highestDatabaseTime)
        hasher.combine(findingRanges)
    }
}
