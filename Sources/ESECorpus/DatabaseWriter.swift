import ESEFormat
import Foundation

/// What database file to write.
public struct DatabaseSpec: Hashable, Sendable {
    /// The header (page size, state, signatures, generations, backups).
    public var header: DatabaseHeaderFields
    /// Logical data pages (the file holds two header pages more).
    public var pageCount: Int
    /// Fraction of data pages that are written; the rest are all-zero (never used).
    public var usedFraction: Double
    /// Write old-format (XOR + page number) checksums instead of XOR+ECC; 4/8 KiB pages only.
    public var legacyChecksums: Bool
    /// Seed for page contents.
    public var seed: UInt64

    /// Creates a spec.
    public init(header: DatabaseHeaderFields, pageCount: Int, usedFraction: Double = 0.75,
                legacyChecksums: Bool = false, seed: UInt64 = 1) {
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
/// the seed and its page number only, so the output is the same whatever the thread count.
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
        let output = try FileOutput(creating: path)
        let header = spec.header.image()
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
                        fillPage(page, pageNumber: UInt32(first + index + 1), layout: layout, spec: spec)
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
    }

    /// Writes one page: used (with contents and checksum) or all zero, decided by its number.
    static func fillPage(_ page: UnsafeMutableRawBufferPointer, pageNumber: UInt32, layout: PageLayout, spec: DatabaseSpec) {
        var random = DeterministicRandom(seed: spec.seed &+ UInt64(pageNumber) &* 0x9E37_79B9)
        let threshold = UInt64(max(0, min(1, spec.usedFraction)) * Double(UInt32.max))
        // Page 1 (the system root) is always in use.
        guard pageNumber == 1 || random.next() & 0xFFFF_FFFF < threshold else {
            page.initializeMemory(as: UInt8.self, repeating: 0)
            return
        }
        let databaseTime = 0x1000 + UInt64(pageNumber) * 4 + UInt64(random.next(below: 4))
        PageContent.fill(page, pageNumber: pageNumber, layout: layout, databaseTime: databaseTime,
                         random: &random, legacy: spec.legacyChecksums, pageCount: spec.pageCount)
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

/// Plausible page contents: a header with database time, owning tree, sibling links,
/// flags and free-space fields consistent with a tag array and records, then the checksum.
/// Page 1 is the database root: owned by object 1, with a `SPACE_HEADER` in its external
/// header that owns the whole file as one primary extent (space.hxx), so a copy cut short
/// can be told from the file alone. Sibling links stay inside the file.
enum PageContent {
    static func fill(_ page: UnsafeMutableRawBufferPointer, pageNumber: UInt32, layout: PageLayout,
                     databaseTime: UInt64, random: inout DeterministicRandom, legacy: Bool, pageCount: Int) {
        page.initializeMemory(as: UInt8.self, repeating: 0)
        let headerSize = layout.headerSize
        let dataArea = layout.pageSize - headerSize
        let tagCount = 2 + random.next(below: 30)
        let tagBytes = 4 * tagCount
        let recordBytes = min(dataArea - tagBytes, (dataArea - tagBytes) / 2 + random.next(below: (dataArea - tagBytes) / 2))
        let objectID = pageNumber == 1 ? 1 : UInt32(2 + random.next(below: 60))
        var flags: UInt32 = PageFlags.newRecordFormat.rawValue | (random.next(below: 8) == 0
            ? PageFlags.parentOfLeaf.rawValue : PageFlags.leaf.rawValue)
        if pageNumber == 1 || random.next(below: 32) == 0 { flags |= PageFlags.root.rawValue }

        page.storeBytes(of: databaseTime.littleEndian, toByteOffset: PageHeader.Offset.databaseTime, as: UInt64.self)
        page.storeBytes(of: (pageNumber > 1 ? pageNumber - 1 : 0).littleEndian, toByteOffset: PageHeader.Offset.previousPage, as: UInt32.self)
        let next = Int(pageNumber) < pageCount ? pageNumber + 1 : 0
        page.storeBytes(of: next.littleEndian, toByteOffset: PageHeader.Offset.nextPage, as: UInt32.self)
        page.storeBytes(of: objectID.littleEndian, toByteOffset: PageHeader.Offset.objectID, as: UInt32.self)
        let free = UInt16(dataArea - tagBytes - recordBytes)
        page.storeBytes(of: free.littleEndian, toByteOffset: PageHeader.Offset.freeBytes, as: UInt16.self)
        page.storeBytes(of: UInt16(0), toByteOffset: PageHeader.Offset.uncommittedFreeBytes, as: UInt16.self)
        page.storeBytes(of: UInt16(recordBytes).littleEndian, toByteOffset: PageHeader.Offset.firstFreeByte, as: UInt16.self)
        page.storeBytes(of: UInt16(tagCount).littleEndian, toByteOffset: PageHeader.Offset.tagState, as: UInt16.self)
        page.storeBytes(of: flags.littleEndian, toByteOffset: PageHeader.Offset.flags, as: UInt32.self)
        if layout.isLarge {
            page.storeBytes(of: pageNumber.littleEndian, toByteOffset: PageHeader.Offset.pageNumber, as: UInt32.self)
        }

        // Records: random bytes, eight at a time.
        var offset = headerSize
        let recordEnd = headerSize + recordBytes
        while offset + 8 <= recordEnd {
            page.storeBytes(of: random.next(), toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        // Tags from the end of the page: (size, offset) of equal slices of the record area.
        let slice = recordBytes / tagCount
        for tag in 0..<tagCount {
            let tagOffset = layout.pageSize - 4 * (tag + 1)
            page.storeBytes(of: UInt16(slice).littleEndian, toByteOffset: tagOffset, as: UInt16.self)
            page.storeBytes(of: UInt16(tag * slice).littleEndian, toByteOffset: tagOffset + 2, as: UInt16.self)
        }
        if pageNumber == 1, slice >= 16 {
            // SPACE_HEADER: cpgPrimary, pgnoParent 0, flags 0 (one v1 extent), no OwnExt tree.
            page.storeBytes(of: UInt32(clamping: pageCount).littleEndian, toByteOffset: headerSize, as: UInt32.self)
            for field in 1..<4 { page.storeBytes(of: UInt32(0), toByteOffset: headerSize + 4 * field, as: UInt32.self) }
        }
        if legacy && !layout.isLarge {
            PageWriter.sealLegacy(page, pageNumber: pageNumber)
        } else {
            PageWriter.seal(page, pageNumber: pageNumber, layout: layout)
        }
    }
}
