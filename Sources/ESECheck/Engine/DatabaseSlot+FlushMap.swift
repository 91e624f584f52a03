import ESEFormat

extension DatabaseSlot {
    /// What a page gives the flush-map comparison: its flush type and database time, for a page
    /// whose checksum passed (ESE compares only those: cpage.cxx:4252-4364); −1 for an all-zero
    /// page (cpage.cxx:4256-4276); nil otherwise.
    static func flushEvidence(_ page: RawSpan, pageNumber: UInt32, check: PageCheck) -> (page: UInt32, flushType: Int, time: UInt64)? {
        switch check.outcome {
        case .ok, .correctable, .structureDamaged: (pageNumber, FlushMap.pageFlushType(page), check.databaseTime)
        case .uninitialized: (pageNumber, -1, 0)
        default: nil
        }
    }

    /// The flush map's path for a database file: the same folder and base name, extension
    /// `.jfm`. ESE: `CFlushMap::ErrGetFmPathFromDbPath` (flushmap.cxx:98-132).
    static func flushMapPath(forDatabase path: String) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[slash...]
        let base = name.lastIndex(of: ".").map { name[..<$0] } ?? name
        return String(path[..<slash]) + base + ".jfm"
    }

    /// The comparison with the flush map, run once in `finish()`: the map handed in for a
    /// streamed database, else `<db>.jfm` beside a database file. Nil when there is no map or
    /// the database has no valid header. Only the map pages that describe the file's pages
    /// are read (the header page, then one 8 KiB page per 32,512 database pages).
    func flushMapReport(header: DatabaseHeader?, structure: StructureReport?, conflicting: [ClosedRange<Int>] = [],
                        findingLimit: Int) -> FlushMapCheck? {
        // A map that appeared beside the file after its pages were read was not gathered for.
        guard let header, layout != nil, gathersFlushTypes else { return nil }
        let loaded: (name: String, bytes: [UInt8])
        if let handed = flushTypes.handed {
            loaded = (handed.name, handed.bytes)
        } else if case .file(let path) = source {
            let mapPath = Self.flushMapPath(forDatabase: path)
            let file: ReadOnlyFile
            do throws(CheckError) {
                file = try ReadOnlyFile(path: mapPath)
            } catch {
                // No map is no finding; one that is there but cannot be opened is said.
                guard error.code != .notFound else { return nil }
                var check = FlushMapCheck(path: mapPath, status: .unreadable)
                check.reason = "the flush map could not be opened: \(error.message)"
                return check
            }
            let wanted = UInt64(dataPages / FlushMap.pagesPerMapPage + 2) * UInt64(FlushMap.pageSize)
            do throws(SystemError) {
                loaded = (mapPath, try file.readBytes(at: 0, count: Int(min(file.size, wanted))))
            } catch {
                var check = FlushMapCheck(path: mapPath, status: .unreadable)
                check.reason = "the flush map could not be read: \(error)"
                return check
            }
        } else {
            return nil
        }
        let (parsed, parseError) = Self.parseFlushMap(loaded.bytes)
        return FlushMapComparison.compare(path: loaded.name, map: parsed, parseError: parseError, header: header,
                                          pages: flushTypes.types, zeroedInUse: Self.zeroedInUse(structure), conflicting: conflicting,
                                          findingLimit: findingLimit)
    }

    /// The all-zero pages a tree references (the structure walk's −1019 findings).
    static func zeroedInUse(_ structure: StructureReport?) -> Set<UInt32> {
        Set(structure?.findings.filter { $0.jetError == .pageNotInitialized }.map(\.page) ?? [])
    }

    /// The parsed map, or why it could not be parsed.
    static func parseFlushMap(_ bytes: [UInt8]) -> (FlushMap?, String?) {
        do throws(FormatError) {
            return (try FlushMap(parsing: bytes.span.bytes), nil)
        } catch {
            return (nil, "the flush map is shorter than its 8 KiB header page (\(bytes.count) bytes)")
        }
    }
}
