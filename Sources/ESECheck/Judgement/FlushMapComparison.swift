import ESEFormat

/// Compares a database's pages with its flush map as ESE's read path does, for every page at
/// once (docs/flush-map.md):
///
/// 1. Whether ESE uses the map at all — its header is checked on attach and a map that fails is
///    deleted and replaced by an empty one (flushmap.cxx:294-588): the header checksum (−1018),
///    the file type (−1812), the version (−1918), the flush signatures tying it to this
///    database's header (−1919, `FCheckForDbFmConsistency_` flushmap.cxx:85-96), and whether it
///    is clean or can be rebuilt from the logs the database needs (−1920, flushmap.cxx:2214-2231).
/// 2. Per map page: one all zero or failing its checksum is unknown (flushmap.cxx:1486-1510);
///    one that vouches for a lower database time than a page it describes may be invalidated
///    by ESE on the first such read (flushmap.cxx:2932-2952), so it is not used either.
/// 3. Per page that passed its checksum: the map's state and the page's both known and
///    different is a lost flush, −1119 (cpage.cxx:4364-4384). An all-zero page the map knows
///    fails its read with −1119 too (cpage.cxx:4256-4276): a finding when a tree references it
///    (`zeroedInUse`, from the structure walk), else only counted — a free page ESE never reads.
enum FlushMapComparison {
    /// The comparison. `map` nil with `parseError` when the bytes could not be parsed.
    static func compare(path: String, map: FlushMap?, parseError: String?, header: DatabaseHeader,
                        pages: PageFlushTypes, zeroedInUse: Set<UInt32> = [], conflicting: [ClosedRange<Int>] = [],
                        findingLimit: Int) -> FlushMapCheck {
        guard let map else {
            var check = FlushMapCheck(path: path, status: .unreadable)
            check.reason = parseError ?? "the flush map could not be parsed"
            return check
        }
        var check = FlushMapCheck(path: path, status: .compared)
        check.clean = map.header.isClean
        check.mapPages = map.pages.count
        if let (reason, error, status) = setAside(map, database: header) {
            check.status = status
            check.reason = reason
            check.jetError = error
            return check
        }
        check.beforeReplay = header.state.needsLogReplay
        // Only the map pages that describe the file's pages: ESE sizes the map ahead of the database.
        let relevant = map.pages.prefix(FlushMap.mapPage(of: UInt32(max(0, pages.pageCount))) + 1)
        let usable = relevant.indices.map { index in
            relevant[index].state == .valid && !outdated(relevant[index], highest: pages.highestTimes[safe: index] ?? 0)
        }
        check.mapPagesUnusable = usable.indices.filter { !usable[$0] }
        check.mapPagesDamaged = relevant.indices.filter { relevant[$0].state == .badChecksum }
        guard pages.pageCount > 0 else { return check }
        var nextConflict = 0   // pages checked with two different copies are not judged (which is right is unknown)
        for page in 1...UInt32(pages.pageCount) {
            let mapPage = FlushMap.mapPage(of: page)
            guard usable[safe: mapPage] == true else { continue }
            while nextConflict < conflicting.count, conflicting[nextConflict].upperBound < Int(page) { nextConflict += 1 }
            if nextConflict < conflicting.count, conflicting[nextConflict].contains(Int(page)) { continue }
            let expected = map.flushType(of: page), actual = pages.flushType(of: page)
            guard expected != 0 else { continue }
            if pages.isZero(page) {
                check.zeroedPagesKnown += 1
                guard zeroedInUse.contains(page) else { continue }
            } else if actual == 0 {
                continue
            }
            check.pagesCompared += 1
            if expected != actual {
                check.mismatchCount += 1
                if check.mismatches.count < findingLimit {
                    check.mismatches.append(FlushMapCheck.Mismatch(page: page, expected: expected, actual: actual, mapPage: mapPage))
                }
            }
        }
        return check
    }

    /// Why ESE would not use the map, with the error it logs and whether the map is damaged
    /// (`unreadable`) or merely not this database's current map (`ignored`); nil when ESE uses it.
    static func setAside(_ fullMap: FlushMap, database: DatabaseHeader) -> (String, JetError, FlushMapCheck.Status)? {
        let map = fullMap.header
        if !map.checksumIsValid {
            return ("the flush map's header fails its checksum (stored 0x\(String(map.storedChecksum, radix: 16)), "
                    + "computed 0x\(String(map.computedChecksum, radix: 16)))", .readVerifyFailure, .unreadable)
        }
        if map.fileType != FileType.flushMap.rawValue {
            return ("the file is not a flush map (file type \(map.fileType))", .fileInvalidType, .unreadable)
        }
        if !map.versionIsSupported {
            return ("the flush map's version \(map.versionMajor).\(map.versionUpdateMajor).\(map.versionUpdateMinor) is not one ESE reads (3.0)",
                    .flushMapVersionUnsupported, .ignored)
        }
        if !fullMap.matches(databaseHeaderFlush: database.headerFlushSignature, mapHeaderFlush: database.flushMapHeaderFlushSignature) {
            return ("the flush map belongs to another database or to another flush of this one: neither flush signature matches "
                    + "the database header's (ESE deletes it and starts a new map)", .flushMapDatabaseMismatch, .ignored)
        }
        let databaseMinimum = database.minimumRequiredGeneration
        let rebuildable = databaseMinimum > 0 && map.minimumRequiredGeneration > 0 && databaseMinimum <= map.minimumRequiredGeneration
        if !map.isClean && !rebuildable {
            return ("the flush map was not closed cleanly and the logs the database needs (from generation \(databaseMinimum)) cannot "
                    + "rebuild it (it needs generation \(map.minimumRequiredGeneration)): ESE starts a new map", .flushMapUnrecoverable, .ignored)
        }
        return nil
    }

    /// Whether a page the map page describes holds a later database time than the map page
    /// vouches for: ESE invalidates the map page on reading such a page (flushmap.cxx:2932-2952).
    static func outdated(_ page: FlushMap.Page, highest: UInt64) -> Bool {
        page.highestDatabaseTime != FlushMap.noDatabaseTime && highest > page.highestDatabaseTime
    }
}
