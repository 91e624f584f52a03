import ESEFormat

/// A fault between the logs and a database page: the lost flush redo's database-time check
/// finds (log-records.md "dbtime checks"; logredo.cxx:336-442).
extension FaultInjector {
    /// Rewrites the first whole node record (Insert or Replace) of log `generation` so that it
    /// changes page `page` of database `database`, expecting the page at its copied time +
    /// `value`, and writing that + 1. The record keeps its type and size; the segment is sealed
    /// again and the next generation's accumulated checksum follows.
    static func applyLostFlush(_ fault: Fault, files: StorageGroupFiles, spec: StorageGroupSpec) throws {
        guard spec.logFormat == .v8 else { throw Failure(message: "lostFlush is defined for v8 logs") }
        let (path, pageSize) = try database(fault, files, spec)
        let page = fault.page ?? 3
        let input = try FileOutput(editing: path)
        let bytes = try input.read(at: UInt64(page + 1) * UInt64(pageSize), count: pageSize)
        input.close()
        guard bytes.count == pageSize else { throw Failure(message: "lostFlush: database \(path) has no page \(page)") }
        var time: UInt64 = 0
        for byte in 0..<8 { time |= UInt64(bytes[PageHeader.Offset.databaseTime + byte]) << (8 * byte) }
        let before = time + UInt64(max(0, fault.value ?? 1))
        let generation = fault.generation ?? spec.lastGeneration
        let databaseID = UInt8(truncatingIfNeeded: (fault.database ?? 0) + 1)
        for index in 1..<max(2, StorageGroupWriter.logSectors(spec)) {
            var done = false
            try editSegment(files, spec, generation: generation, segment: index) { segment in
                guard let record = records(in: segment).first(where: { $0.type == 29 || $0.type == 33 }) else { return }
                func set(_ value: UInt64, at offset: Int, bytes count: Int) {
                    for byte in 0..<count { segment[record.offset + offset + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
                }
                // LRPAGE_ (logapi.hxx:376-423): dbid@3, pgno@4, dbtime@8, dbtimeBefore@16.
                segment[record.offset + 3] = databaseID
                set(UInt64(page), at: 4, bytes: 4)
                set(before + 1, at: 8, bytes: 8)
                set(before, at: 16, bytes: 8)
                done = true
            }
            if done { return }
        }
        throw Failure(message: "lostFlush: log generation \(generation) holds no whole node record")
    }
}
