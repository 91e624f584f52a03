import ESEFormat

extension PageTimeExpectations {
    /// Per input database: the pages the replay span changes, as the recovery model plans the
    /// replay. Only databases soft recovery attaches and replays count (dirty, decision
    /// `recoverable`): ESE skips the records of deferred databases, and a clean one needs none.
    /// The page records come from the one walk of the logs (`LogSetChecker.pageCollection`);
    /// a log of the span that walk did not collect from (the checkpoint was not used, or the
    /// set was examined without collecting) is read and walked again. Nothing is read when no
    /// database qualifies.
    ///
    /// A record counts from the replay start (the checkpoint) on (logread.cxx:1963-1977), for
    /// the database its `dbid` names at that point — the attach list's slot, then AttachDB and
    /// CreateDB records re-binding a slot (logredo.cxx:12987-13095, 12727-12951) and DetachDB
    /// records freeing it (13097-13206) — and only past the database's `lgposAttach`
    /// (`FLGRICheckRedoConditionForAttachedDb`, logredo.cxx:2759-2768).
    /// Pages past `dataPages[i]` (the file's data pages) are left out: they are never compared
    /// (a file cut short is the size check's finding).
    static func build(logs: LogSetReport?, recovery: RecoveryResult?, headers: [DatabaseHeader?],
                      dataPages: [Int]? = nil) -> [PageTimeExpectations] {
        var result = [PageTimeExpectations](repeating: .none, count: headers.count)
        guard let logs, let recovery, let start = recovery.plan.start, let end = recovery.plan.end, start <= end else { return result }
        let candidates = headers.indices.filter { index in
            guard let header = headers[index], header.state.needsLogReplay else { return false }
            return recovery.decisions[safe: index]?.outcome == .recoverable
        }
        guard !candidates.isEmpty else { return result }
        func notChecked(_ why: String) -> [PageTimeExpectations] {
            for index in candidates { result[index] = PageTimeExpectations(references: [], notChecked: why) }
            return result
        }
        var walks: [LogRecordWalk] = []
        for generation in start...end {
            guard let walk = pageWalk(logs, generation: generation) else {
                let walked = logs.files.contains { $0.generation == generation && $0.records != nil }
                return notChecked(walked ? "the log of generation \(generation) could not be read again with the same records"
                                         : "the records of generation \(generation) were not walked (CheckOptions.walkLogRecords is off)")
            }
            walks.append(walk)
        }
        // A root page move changes pages no record names (logredo.cxx:10680-10800): not modelled.
        if walks.contains(where: { $0.count(of: LogRecordType(rawValue: 96)) > 0 }) {
            return notChecked("the replayed logs move a tree's root pages (RootPageMove), whose page changes are not modelled")
        }
        // ShrinkDB, ShrinkDB2, ShrinkDB3, TrimDB clear parked mismatches (logredo.cxx:11150-11158, 11446-11454).
        let spaceRecords = walks.contains { walk in [78, 94, 99, 81].contains { walk.count(of: LogRecordType(rawValue: $0)) > 0 } }
        // The model's start: the checkpoint's position only where ESE does not move it to the log's start.
        let startPosition = recovery.plan.startPosition ?? LogPosition(generation: start, sector: 0, byteOffset: 0)
        var collected = [[Reference]](repeating: [], count: headers.count)
        let referenceCount = walks.reduce(0) { $0 + ($1.pageReferences?.count ?? 0) }
        for index in candidates { collected[index].reserveCapacity(referenceCount) }
        bind(walks, from: startPosition, headers: headers, candidates: candidates, decisions: recovery.decisions) { index, reference in
            if let limit = dataPages?[safe: index], Int(reference.pageNumber) > limit { return }
            collected[index].append(reference)
        }
        for index in candidates {
            result[index] = PageTimeExpectations(references: collected[index], spaceRecordsInSpan: spaceRecords)
        }
        return result
    }

    /// Walks the span's records in log order, binding each page reference to the database its
    /// `dbid` names at that point, and hands each counted reference to `add`. What a reference
    /// needs of its database's header is read once, not per reference (a header is large).
    private static func bind(_ walks: [LogRecordWalk], from startPosition: LogPosition, headers: [DatabaseHeader?], candidates: [Int],
                             decisions: [RecoveryDecision], add: (Int, Reference) -> Void) {
        // Per dbid, the database index bound to it (−1: none).
        var slots = [Int](repeating: -1, count: 256)
        for index in candidates where decisions[index].attach == .attached {
            if let id = decisions[index].databaseID { slots[Int(id)] = index }
        }
        let attachPositions = headers.map { $0?.attachPosition }
        let lastRequired = headers.map { header -> Int32 in
            guard let header else { return 0 }
            return header.state == .dirtyAndPatchedShutdown ? .max : header.maximumRequiredGeneration
        }
        var order: UInt32 = 0
        for walk in walks {
            var records = walk.databaseRecords.makeIterator()
            var nextRecord = records.next()
            for page in walk.pageReferences ?? [] {
                while let record = nextRecord, record.position < page.position {
                    if record.position >= startPosition { rebind(record, slots: &slots, headers: headers, candidates: candidates) }
                    nextRecord = records.next()
                }
                let index = slots[Int(page.databaseID)]
                guard page.position >= startPosition, index >= 0, let attachPosition = attachPositions[index],
                      page.position > attachPosition else { continue }
                add(index, Reference(pageNumber: page.pageNumber, order: order, timeBefore: page.timeBefore ?? newPage,
                                     timeAfter: page.timeAfter, inRequiredRange: page.position.generation <= lastRequired[index],
                                     position: page.position, recordType: page.recordType))
                order = order &+ (order == .max ? 0 : 1)
            }
        }
    }

    /// An attach or create record binds its slot to the database of its signature (or to none);
    /// a detach frees it.
    private static func rebind(_ record: DatabaseLogRecord, slots: inout [Int], headers: [DatabaseHeader?], candidates: [Int]) {
        switch record.type {
        case .attachDB, .createDB:
            slots[Int(record.databaseID)] = candidates.first { headers[$0]?.databaseSignature == record.databaseSignature } ?? -1
        case .detachDB:
            slots[Int(record.databaseID)] = -1
        default:
            break
        }
    }

    /// The records of generation `generation` with their page references: the first walk's when
    /// it collected them, else walked again; nil when the file cannot be read or no longer walks
    /// as it did.
    private static func pageWalk(_ logs: LogSetReport, generation: Int32) -> LogRecordWalk? {
        let report = logs.files.first { $0.name.generation == generation }
            ?? logs.files.first { $0.isCurrent && $0.header?.generation == generation }
        guard let report, let header = report.header, let scan = report.body, let earlier = report.records else { return nil }
        if earlier.pageReferences != nil { return earlier }
        guard let file = try? ReadOnlyFile(path: report.path) else { return nil }
        let count = Int(min(file.size, UInt64(LogSetChecker.maximumLogBytes), UInt64(header.declaredFileSize)))
        guard let bytes = try? file.readBytes(at: 0, count: count), bytes.count == count else { return nil }
        let walk = LogRecordWalker.walk(bytes.span.bytes, header: header, scan: scan, collectingPages: true)
        guard walk.recordsWalked == earlier.recordsWalked, walk.firstInvalid == earlier.firstInvalid else { return nil }
        return walk
    }
}
