import ESEFormat
import Foundation

/// What database file to write.
public struct DatabaseSpec: Hashable, Sendable {
    /// The header (page size, state, signatures, generations, backups).
    public var header: DatabaseHeaderFields
    /// Logical data pages (the file holds two header pages more).
    public var pageCount: Int
    /// Fraction of each user table's pages that are in use; the rest are the free tail of the
    /// table's extent, all zero (`DatabaseLayout`).
    public var usedFraction: Double
    /// Write old-format (XOR + page number) checksums instead of XOR+ECC; 4/8 KiB pages only.
    public var legacyChecksums: Bool
    /// Seed for page contents.
    public var seed: UInt64
    /// Write a flush map (`<db>.jfm`) beside the database, the pages in use carrying flush types
    /// (`FlushMapWriter`), the header the map's flush signature.
    public var flushMap = false

    /// Creates a spec.
    public init(header: DatabaseHeaderFields, pageCount: Int, usedFraction: Double = 0.75,
                legacyChecksums: Bool = false, seed: UInt64 = 1, flushMap: Bool = false) {
        self.flushMap = flushMap
        self.header = header
        self.pageCount = pageCount
        self.usedFraction = usedFraction
        self.legacyChecksums = legacyChecksums
        self.seed = seed
    }

    /// The file size in bytes.
    public var fileSize: UInt64 { UInt64(pageCount + PageLayout.reservedPages) * UInt64(header.pageSize) }
}

/// Writes database files: header, shadow, then every page, in 1 MiB batches from one
/// reusable buffer per thread (no per-page allocation). Large files are written by several
/// threads at once, each on its own file handle and region; every page's contents derive from
/// the seed, its page number and the spec only (`DatabaseLayout` places it in its tree), so the
/// output is the same whatever the thread count.
public enum DatabaseWriter {
    /// Bytes written per batch.
    static let batchBytes = 1 << 20

    /// Writes `spec` to `path` using up to `threads` threads; `progress` receives bytes
    /// written after each batch (from any thread).
    public static func write(_ spec: DatabaseSpec, to path: String, threads: Int = 1,
                             progress: (@Sendable (Int) -> Void)? = nil) throws(FileOutput.Failure) {
        guard let layout = PageLayout(pageSize: spec.header.pageSize) else {
            throw FileOutput.Failure(path: path, message: "invalid page size \(spec.header.pageSize)")
        }
        let database = DatabaseLayout(spec)
        var fields = spec.header
        fields.lastObjectID = max(fields.lastObjectID, database.lastObjectID)
        if spec.flushMap { fields.flushMapHeaderFlushSignature = FlushMapWriter.signature(seed: spec.seed) }
        let output = try FileOutput(creating: path)
        let header = fields.image()
        do {
            try output.write(header)
            try output.write(header)
            try output.truncate(to: spec.fileSize)
        } catch {
            output.close()
            throw error
        }
        output.close()
        progress?(2 * layout.pageSize)
        let pagesPerBatch = max(1, batchBytes / layout.pageSize)
        let batches = (spec.pageCount + pagesPerBatch - 1) / pagesPerBatch
        let workers = max(1, min(threads, batches))
        let failure = FailureBox()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            do throws(FileOutput.Failure) {
                let file = try FileOutput(editing: path)
                defer { file.close() }
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: pagesPerBatch * layout.pageSize, alignment: 64)
                defer { buffer.deallocate() }
                var batch = worker
                while batch < batches, !failure.isSet {
                    let first = batch * pagesPerBatch
                    let count = min(pagesPerBatch, spec.pageCount - first)
                    for index in 0..<count {
                        let page = UnsafeMutableRawBufferPointer(rebasing: buffer[index * layout.pageSize..<(index + 1) * layout.pageSize])
                        fillPage(page, pageNumber: UInt32(first + index + 1), layout: layout, database: database, spec: spec)
                    }
                    let offset = UInt64(first + PageLayout.reservedPages) * UInt64(layout.pageSize)
                    try file.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count * layout.pageSize]), at: offset)
                    progress?(count * layout.pageSize)
                    batch += workers
                }
            } catch {
                failure.set(error)
            }
        }
        if let error = failure.error { throw error }
        if spec.flushMap {
            try FlushMapWriter.write(spec, layout: database, databasePath: path) { 0x1000 + UInt64($0) * 4 + 3 }
        }
    }

    /// The random source page `pageNumber` of a database with `seed` is written from.
    static func pageRandom(_ pageNumber: UInt32, seed: UInt64) -> DeterministicRandom {
        DeterministicRandom(seed: seed &+ UInt64(pageNumber) &* 0x9E37_79B9)
    }

    /// The database time (ESE `dbtimeDirtied`) written on page `pageNumber`: `0x1000 +
    /// 4 × pageNumber + 0…3`, the first draw of the page's random source.
    static func pageTime(_ pageNumber: UInt32, random: inout DeterministicRandom) -> UInt64 {
        0x1000 + UInt64(pageNumber) * 4 + UInt64(random.next(below: 4))
    }

    /// Writes one page: its contents as its role in `database` decides (all zero when not in
    /// use), from the seed and its page number only.
    static func fillPage(_ page: UnsafeMutableRawBufferPointer, pageNumber: UInt32, layout: PageLayout,
                         database: DatabaseLayout, spec: DatabaseSpec) {
        var random = pageRandom(pageNumber, seed: spec.seed)
        let databaseTime = pageTime(pageNumber, random: &random)
        PageContent.fill(page, pageNumber: pageNumber, role: database.role(of: pageNumber), database: database,
                         layout: layout, databaseTime: databaseTime, random: &random, legacy: spec.legacyChecksums,
                         flushType: spec.flushMap ? FlushMapWriter.flushType(of: pageNumber) : 0)
    }
}

/// The first error of several threads.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: FileOutput.Failure?
    var error: FileOutput.Failure? { lock.withLock { stored } }
    var isSet: Bool { error != nil }
    func set(_ error: FileOutput.Failure) { lock.withLock { if stored == nil { stored = error } } }
}
