import ESEFormat

/// The page changes of the replay span when `StorageGroupSpec.realPageReferences` is on: every
/// whole node record (Insert, Replace) of the span's v8 segments is rewritten to change an
/// in-use page of a database of the group, the databases in turn, each database's in-use pages
/// in page order, over and over. Each database's records take its next database time
/// (`dbtime` = the header's `dbtime` + 1, + 2, …, newer than every page); a record's
/// `dbtimeBefore` is the page's time as `DatabaseWriter` wrote it on the page's first change,
/// and the previous change's `dbtime` after that — the chain redo checks
/// (`FLGNeedRedoCheckDbtimeBefore`, logredo.cxx:336-442, log-records.md "dbtime checks"): every
/// record is needed (its `dbtime` is newer than the page) and finds the page it expects, so
/// none is "not needed" past `lGenMaxRequired` (−625, logredo.cxx:423-438). Record types and
/// sizes are unchanged, so every record position stays where the plain generator puts it.
struct PageReferenceTimeline: Sendable {
    /// One database's pages and clock.
    struct Database: Sendable {
        /// The database's id in the attach lists. ESE: `dbid`.
        var id: UInt8
        /// The pages in use (not all zero), ascending. ESE: `pgno`.
        var pages: [UInt32]
        /// Each in-use page's database time as written.
        var times: [UInt64]
        /// The header's database time (`dbtime`), older than the first record.
        var headerTime: UInt64
        /// Records written for this database so far.
        var count = 0
    }

    /// The databases with in-use pages.
    private(set) var databases: [Database]
    /// Records rewritten so far, all databases.
    private(set) var rewritten = 0

    /// The timeline of `spec`'s databases, before the first record of the span.
    init(_ spec: StorageGroupSpec) {
        databases = spec.databases.enumerated().compactMap { index, database in
            let layout = DatabaseLayout(pageCount: database.pageCount, pageSize: database.pageSize, usedFraction: database.usedFraction)
            let seed = StorageGroupWriter.databaseSeed(spec, index: index)
            var pages: [UInt32] = [], times: [UInt64] = []
            for page in stride(from: UInt32(1), through: UInt32(database.pageCount), by: 1) {
                if case .free = layout.role(of: page) { continue }
                var random = DatabaseWriter.pageRandom(page, seed: seed)
                pages.append(page)
                times.append(DatabaseWriter.pageTime(page, random: &random))
            }
            guard !pages.isEmpty else { return nil }
            return Database(id: UInt8(truncatingIfNeeded: index + 1), pages: pages, times: times,
                            headerTime: StorageGroupWriter.headerTime(database))
        }
    }

    /// The next change: (database id, page, `dbtimeBefore`, `dbtime`).
    mutating func next() -> (id: UInt8, page: UInt32, before: UInt64, after: UInt64)? {
        guard !databases.isEmpty else { return nil }
        let which = rewritten % databases.count
        rewritten += 1
        let database = databases[which]
        let record = database.count
        databases[which].count += 1
        let index = record % database.pages.count
        let after = database.headerTime + 1 + UInt64(record)
        let before = record < database.pages.count ? database.times[index] : after - UInt64(database.pages.count)
        return (database.id, database.pages[index], before, after)
    }

    /// Rewrites the whole node records of one v8 data segment (4096 bytes, header first) in
    /// log order; fragments are left as they are.
    mutating func rewrite(segment: UnsafeMutableRawBufferPointer) {
        for record in FaultInjector.records(in: UnsafeRawBufferPointer(segment)) where record.type == 29 || record.type == 33 {
            guard record.size >= 50, let change = next() else { continue }
            // LRPAGE_ (logapi.hxx:376-423): dbid @3, pgno @4, dbtime @8, dbtimeBefore @16.
            segment.storeBytes(of: change.id, toByteOffset: record.offset + 3, as: UInt8.self)
            segment.storeBytes(of: change.page.littleEndian, toByteOffset: record.offset + 4, as: UInt32.self)
            segment.storeBytes(of: change.after.littleEndian, toByteOffset: record.offset + 8, as: UInt64.self)
            segment.storeBytes(of: change.before.littleEndian, toByteOffset: record.offset + 16, as: UInt64.self)
        }
    }
}
