// The C calls that read the results: the summary, each database, its reasons and page runs,
// its structure walk and findings, and the replay plan, after `esecheck_term` (page runs also
// before it).

import ESECheck

/// The whole check's summary. See esecheck.h.
@_cdecl("esecheck_get_summary")
public func esecheck_get_summary(_ pointer: OpaquePointer?, _ summary: UnsafeMutableRawPointer?) -> Int32 {
    guard let results = box(pointer)?.results, let summary else { return JetError.invalidParameter.code }
    results.summary.store(to: summary)
    return 0
}

/// One database's result. See esecheck.h.
@_cdecl("esecheck_get_database_result")
public func esecheck_get_database_result(_ pointer: OpaquePointer?, _ database: UInt32, _ result: UnsafeMutableRawPointer?) -> Int32 {
    guard let results = box(pointer)?.results, let result, results.databases.indices.contains(Int(database)) else {
        return JetError.invalidParameter.code
    }
    results.databases[Int(database)].store(to: result)
    return 0
}

/// One reason of one database. See esecheck.h.
@_cdecl("esecheck_get_reason")
public func esecheck_get_reason(_ pointer: OpaquePointer?, _ database: UInt32, _ index: UInt32,
                                _ reason: UnsafeMutableRawPointer?) -> Int32 {
    guard let results = box(pointer)?.results, let reason, results.reasons.indices.contains(Int(database)),
          results.reasons[Int(database)].indices.contains(Int(index)) else { return JetError.invalidParameter.code }
    results.reasons[Int(database)][Int(index)].store(to: reason)
    return 0
}

/// The replay plan. See esecheck.h.
@_cdecl("esecheck_get_replay_plan")
public func esecheck_get_replay_plan(_ pointer: OpaquePointer?, _ plan: UnsafeMutableRawPointer?) -> Int32 {
    guard let results = box(pointer)?.results, let plan else { return JetError.invalidParameter.code }
    results.replayPlan.store(to: plan)
    return 0
}

/// One database's structure walk. See esecheck.h.
@_cdecl("esecheck_get_structure")
public func esecheck_get_structure(_ pointer: OpaquePointer?, _ database: UInt32, _ structure: UnsafeMutableRawPointer?) -> Int32 {
    guard let results = box(pointer)?.results, let structure, results.structures.indices.contains(Int(database)) else {
        return JetError.invalidParameter.code
    }
    results.structures[Int(database)].store(to: structure)
    return 0
}

/// One structure finding of one database. See esecheck.h.
@_cdecl("esecheck_get_structure_finding")
public func esecheck_get_structure_finding(_ pointer: OpaquePointer?, _ database: UInt32, _ index: UInt32,
                                           _ finding: UnsafeMutableRawPointer?) -> Int32 {
    guard let results = box(pointer)?.results, let finding, results.structureFindings.indices.contains(Int(database)),
          results.structureFindings[Int(database)].indices.contains(Int(index)) else { return JetError.invalidParameter.code }
    results.structureFindings[Int(database)][Int(index)].store(to: finding)
    return 0
}

/// Runs of pages never checked. See esecheck.h.
@_cdecl("esecheck_get_missing_pages")
public func esecheck_get_missing_pages(_ pointer: OpaquePointer?, _ database: UInt32, _ ranges: UnsafeMutableRawPointer?,
                                       _ capacity: UInt32) -> UInt32 {
    pageRuns(pointer, database, ranges, capacity, \.missing)
}

/// Runs of pages checked more than once. See esecheck.h.
@_cdecl("esecheck_get_duplicated_pages")
public func esecheck_get_duplicated_pages(_ pointer: OpaquePointer?, _ database: UInt32, _ ranges: UnsafeMutableRawPointer?,
                                          _ capacity: UInt32) -> UInt32 {
    pageRuns(pointer, database, ranges, capacity, \.duplicated)
}

/// Runs of pages checked with different bytes and not resubmitted. See esecheck.h.
@_cdecl("esecheck_get_conflicting_pages")
public func esecheck_get_conflicting_pages(_ pointer: OpaquePointer?, _ database: UInt32, _ ranges: UnsafeMutableRawPointer?,
                                           _ capacity: UInt32) -> UInt32 {
    pageRuns(pointer, database, ranges, capacity, \.conflicting)
}

/// Copies up to `capacity` runs of one kind and returns how many there are: from the final
/// report after `esecheck_term`, else from the session's live coverage.
private func pageRuns(_ pointer: OpaquePointer?, _ database: UInt32, _ ranges: UnsafeMutableRawPointer?, _ capacity: UInt32,
                      _ kind: KeyPath<CResults.PageRanges, [PageRangeLayout]>) -> UInt32 {
    guard let box = box(pointer) else { return 0 }
    let runs: [PageRangeLayout]
    if let results = box.results {
        guard results.ranges.indices.contains(Int(database)) else { return 0 }
        runs = results.ranges[Int(database)][keyPath: kind]
    } else if let coverage = box.session?.coverage(database: Int(database)) {
        runs = CResults.PageRanges(coverage)[keyPath: kind]
    } else {
        return 0
    }
    if let ranges {
        for (index, run) in runs.prefix(Int(capacity)).enumerated() { run.store(to: ranges + index * PageRangeLayout.cSize) }
    }
    return UInt32(clamping: runs.count)
}
