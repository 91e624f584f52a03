// The C layouts of the result structs of esecheck.h, field for field. Each is stored over
// the caller's struct after its documented size is zeroed, so `reserved` members read 0.

import ESECheck

/// A Swift mirror of a C struct of esecheck.h: the same fields in the same order, without
/// the trailing `reserved` array, which `store` zeroes.
protocol CLayout: BitwiseCopyable {
    /// `sizeof` the C struct (esecheck.h asserts it).
    static var cSize: Int { get }
}

extension CLayout {
    /// Writes the struct to `address`: its C size zeroed, then the fields.
    func store(to address: UnsafeMutableRawPointer) {
        assert(MemoryLayout<Self>.size <= Self.cSize)
        address.initializeMemory(as: UInt8.self, repeating: 0, count: Self.cSize)
        address.storeBytes(of: self, as: Self.self)
    }
}

/// `esecheck_summary`.
struct SummaryLayout: CLayout {
    static let cSize = 64
    var verdict: Int32
    var jetError: Int32
    var restorable: Int32
    var backupType: Int32
    var databaseCount: UInt32
    var truncateBelow: Int32

    init(_ report: StorageGroupReport) {
        verdict = report.verdict.cValue
        jetError = report.jetError.code
        restorable = report.isRestorable ? 1 : 0
        backupType = report.backupType.cValue
        databaseCount = UInt32(clamping: report.databases.count)
        truncateBelow = report.truncateBelow ?? 0
    }
}

/// `esecheck_database_result`.
struct DatabaseResultLayout: CLayout {
    static let cSize = 128
    var verdict: Int32
    var jetError: Int32
    var restorable: Int32
    var reasonCount: UInt32
    var requiredMin: Int32 = 0
    var requiredMax: Int32 = 0
    var committedMax: Int32 = 0
    var pageSize: UInt32
    var fileSize: UInt64
    var pagesExpected: UInt64
    var pagesChecked: UInt64
    var pagesBad: UInt64
    var pagesCorrectable: UInt64
    var missingRangeCount: UInt32
    var duplicatedRangeCount: UInt32
    var conflictingRangeCount: UInt32

    init(_ database: DatabaseVerdict, ranges: CResults.PageRanges) {
        verdict = database.verdict.cValue
        jetError = database.jetError.code
        restorable = database.verdict.isRestorable ? 1 : 0
        reasonCount = UInt32(clamping: database.reasons.count)
        if let header = database.report.header {
            if header.state.needsLogReplay {
                requiredMin = header.minimumRequiredGeneration
                requiredMax = header.maximumRequiredGeneration
            }
            committedMax = header.maximumCommittedGeneration
        }
        pageSize = UInt32(clamping: database.report.pageSize ?? 0)
        fileSize = database.report.fileSize
        pagesExpected = UInt64(database.coverage.pageCount)
        pagesChecked = UInt64(database.coverage.seenCount)
        pagesBad = UInt64(database.report.pages.bad)
        pagesCorrectable = UInt64(database.report.pages.correctable)
        missingRangeCount = UInt32(clamping: ranges.missing.count)
        duplicatedRangeCount = UInt32(clamping: ranges.duplicated.count)
        conflictingRangeCount = UInt32(clamping: ranges.conflicting.count)
    }
}

/// `esecheck_reason`: the strings belong to the session's `CResults`.
struct ReasonLayout: CLayout {
    static let cSize = 24
    var code: UnsafePointer<CChar>?
    var message: UnsafePointer<CChar>?
    var jetError: Int32
    var isWarning: Int32
}

/// `esecheck_page_range`.
struct PageRangeLayout: CLayout {
    static let cSize = 8
    var first: UInt32
    var last: UInt32
}

/// `esecheck_replay_plan`.
struct ReplayPlanLayout: CLayout {
    static let cSize = 80
    var known: Int32 = 0
    var start: Int32 = 0
    var end: Int32 = 0
    var startReason: Int32 = 0
    var currentGeneration: Int32 = 0
    var checkpointGeneration: Int32 = 0
    var checkpointError: Int32 = 0
    var failureJetError: Int32 = 0
    var failureGeneration: Int32 = 0
    var lostMin: Int32 = 0
    var lostMax: Int32 = 0
    var strayLogCount: UInt32 = 0
    var remedyCount: UInt32 = 0

    init(_ report: StorageGroupReport) {
        guard let plan = report.replayPlan else { return }
        known = 1
        start = plan.start ?? 0
        end = plan.end ?? 0
        startReason = plan.startReason?.cValue ?? 0
        currentGeneration = plan.currentGeneration ?? 0
        switch plan.checkpoint {
        case .used(let generation): checkpointGeneration = generation
        case .ignored(let error, _): checkpointError = error.code
        }
        if let failure = plan.failure {
            failureJetError = failure.jetError.code
            failureGeneration = failure.generation ?? 0
            lostMin = failure.lostGenerations?.lowerBound ?? 0
            lostMax = failure.lostGenerations?.upperBound ?? 0
        }
        strayLogCount = UInt32(clamping: plan.strayLogs.count)
        remedyCount = UInt32(clamping: report.remedies.count)
    }
}

/// `esecheck_structure`: a database's `StructureReport` (nil: scope 0, every field 0).
struct StructureLayout: CLayout {
    static let cSize = 96
    var checked: Int32 = 0
    var scope: Int32 = 0
    var trees: UInt32 = 0
    var findingCount: UInt32 = 0
    var pagesInUse: UInt64 = 0
    var pagesFree: UInt64 = 0
    var lastOwnedPage: UInt32 = 0
    var trailingPages: UInt32 = 0
    var highestReferencedPage: UInt32 = 0
    var pagesNotSupplied: UInt32 = 0
    var findingsOmitted: UInt32 = 0
    var jetError: Int32 = 0

    init(_ structure: StructureReport?) {
        guard let structure else { return }
        checked = structure.checked ? 1 : 0
        scope = structure.scope.cValue
        trees = UInt32(clamping: structure.trees)
        findingCount = UInt32(clamping: structure.findings.count)
        pagesInUse = UInt64(clamping: structure.pagesInUse)
        pagesFree = structure.pagesFree
        lastOwnedPage = structure.lastOwnedPage ?? 0
        trailingPages = UInt32(clamping: structure.trailingPages)
        highestReferencedPage = structure.highestReferencedPage
        pagesNotSupplied = UInt32(clamping: structure.pagesNotSupplied)
        findingsOmitted = UInt32(clamping: structure.findingsOmitted)
        jetError = structure.jetError?.code ?? 0
    }
}

/// `esecheck_structure_finding`: the message belongs to the session's `CResults`.
struct StructureFindingLayout: CLayout {
    static let cSize = 24
    var message: UnsafePointer<CChar>?
    var page: UInt32
    var tree: UInt32
    var jetError: Int32
}
