import ESEFormat
import Foundation

/// Writes a database's flush map (`<db>.jfm`) as ESE leaves it after a clean detach: the
/// header (`FMFILEHDR`: version 3.0.0, `fClean`, the flush signature the database header
/// carries, file type 7, old-format XOR checksum) and one map page per 32,512 database pages
/// (64-byte header with `dbtimeMax` and `fmpgno`, 2 bits per page, XE checksum with the map
/// page number as `pgno`). docs/flush-map.md; ESE `flushmap.hxx:184-294`, `flushmap.cxx:1132-1165`.
public enum FlushMapWriter {
    /// The flush type a generated page is written with: rock, paper, scissors in turn (1–3).
    public static func flushType(of pageNumber: UInt32) -> Int { 1 + Int(pageNumber % 3) }

    /// The signature tying a generated database to its map (`signFlushMapHdrFlush` in both headers).
    public static func signature(seed: UInt64) -> Signature {
        Signature(random: UInt32(truncatingIfNeeded: seed &* 0x2545_F491) | 1, creationTime: LogTime(rawValue: 0x0101_0A7E_0C0B_0A09))
    }

    /// The map's path for a database path: the same folder and base name, extension `.jfm`
    /// (`CFlushMap::ErrGetFmPathFromDbPath`, flushmap.cxx:98-132).
    public static func path(forDatabase path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingPathExtension().appendingPathExtension("jfm").path
    }

    /// The map's bytes for `spec`: pages in use (per `layout`) carry their flush type, free
    /// pages are unknown (never written). `databaseTimeBound(p)` bounds the database time of
    /// pages up to `p` (the map page's `dbtimeMax`).
    public static func image(_ spec: DatabaseSpec, layout database: DatabaseLayout, databaseTimeBound: (UInt32) -> UInt64) -> [UInt8] {
        let mapPages = (spec.pageCount + 1 + FlushMap.pagesPerMapPage - 1) / FlushMap.pagesPerMapPage
        var header = ByteImage(count: FlushMap.pageSize)
        header.set(UInt32(3), at: 4)
        header.set(UInt32(1), at: 36)                                  // fClean
        header.set(LogTime(rawValue: 0x0101_0A7E_0C0B_0A09), at: 40)   // logtimeCreate
        header.set(signature(seed: spec.seed), at: 116)                // signFlushMapHdrFlush
        header.set(FileType.flushMap.rawValue, at: FileType.headerOffset)
        header.sealHeader()
        var bytes = header.bytes
        let layout = PageLayout(pageSize: FlushMap.pageSize)!
        for index in 0..<mapPages {
            var page = [UInt8](repeating: 0, count: FlushMap.pageSize)
            let first = index * FlushMap.pagesPerMapPage
            let last = min(spec.pageCount, first + FlushMap.pagesPerMapPage - 1)
            for number in max(1, first)...max(1, last) where number <= spec.pageCount {
                if case .free = database.role(of: UInt32(number)) { continue }
                let slot = number - first
                page[FlushMap.dataPageHeaderSize + slot / 4] |= UInt8(flushType(of: UInt32(number))) << (6 - 2 * UInt8(slot % 4))
            }
            withUnsafeBytes(of: databaseTimeBound(UInt32(last)).littleEndian) { page.replaceSubrange(8..<16, with: $0) }
            withUnsafeBytes(of: Int32(index).littleEndian) { page.replaceSubrange(16..<20, with: $0) }
            PageWriter.seal(&page, pageNumber: UInt32(index), layout: layout)
            bytes += page
        }
        return bytes
    }

    /// Writes the map of `spec` beside the database at `path`.
    static func write(_ spec: DatabaseSpec, layout database: DatabaseLayout, databasePath: String,
                      databaseTimeBound: (UInt32) -> UInt64) throws(FileOutput.Failure) {
        let output = try FileOutput(creating: path(forDatabase: databasePath))
        defer { output.close() }
        try output.write(image(spec, layout: database, databaseTimeBound: databaseTimeBound))
    }
}
