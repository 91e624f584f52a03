import ESEFormat

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
/// reusable buffer (no per-page allocation).
public enum DatabaseWriter {
    /// Writes `spec` to `path`; `progress` receives bytes written after each batch.
    public static func write(_ spec: DatabaseSpec, to path: String, progress: ((Int) -> Void)? = nil) throws(FileOutput.Failure) {
        guard let layout = PageLayout(pageSize: spec.header.pageSize) else {
            throw FileOutput.Failure(path: path, message: "invalid page size \(spec.header.pageSize)")
        }
        let output = try FileOutput(creating: path)
        defer { output.close() }
        let header = spec.header.image()
        try output.write(header)
        try output.write(header)
        progress?(2 * layout.pageSize)

        let pagesPerBatch = max(1, (1 << 20) / layout.pageSize)
        let batch = UnsafeMutableRawBufferPointer.allocate(byteCount: pagesPerBatch * layout.pageSize, alignment: 64)
        defer { batch.deallocate() }
        var random = DeterministicRandom(seed: spec.seed)
        var databaseTime: UInt64 = 0x1000
        var pageNumber: UInt32 = 1
        var remaining = spec.pageCount
        let threshold = UInt64(max(0, min(1, spec.usedFraction)) * Double(UInt32.max))
        while remaining > 0 {
            let count = min(pagesPerBatch, remaining)
            for index in 0..<count {
                let page = UnsafeMutableRawBufferPointer(rebasing: batch[index * layout.pageSize..<(index + 1) * layout.pageSize])
                // Page 1 (the system root) is always written.
                if pageNumber == 1 || random.next() & 0xFFFF_FFFF < threshold {
                    databaseTime += 1 + UInt64(random.next(below: 16))
                    PageContent.fill(page, pageNumber: pageNumber, layout: layout, databaseTime: databaseTime,
                                     random: &random, legacy: spec.legacyChecksums)
                } else {
                    page.initializeMemory(as: UInt8.self, repeating: 0)
                }
                pageNumber &+= 1
            }
            try output.write(UnsafeRawBufferPointer(rebasing: batch[0..<count * layout.pageSize]))
            progress?(count * layout.pageSize)
            remaining -= count
        }
    }
}

/// Plausible page contents: a header with database time, owning tree, sibling links,
/// flags and free-space fields consistent with a tag array and records, then the checksum.
enum PageContent {
    static func fill(_ page: UnsafeMutableRawBufferPointer, pageNumber: UInt32, layout: PageLayout,
                     databaseTime: UInt64, random: inout DeterministicRandom, legacy: Bool) {
        page.initializeMemory(as: UInt8.self, repeating: 0)
        let headerSize = layout.headerSize
        let dataArea = layout.pageSize - headerSize
        let tagCount = 2 + random.next(below: 30)
        let tagBytes = 4 * tagCount
        let recordBytes = min(dataArea - tagBytes, (dataArea - tagBytes) / 2 + random.next(below: (dataArea - tagBytes) / 2))
        let objectID = UInt32(2 + random.next(below: 60))
        var flags: UInt32 = PageFlags.newRecordFormat.rawValue | (random.next(below: 8) == 0
            ? PageFlags.parentOfLeaf.rawValue : PageFlags.leaf.rawValue)
        if pageNumber == 1 || random.next(below: 32) == 0 { flags |= PageFlags.root.rawValue }

        page.storeBytes(of: databaseTime.littleEndian, toByteOffset: 8, as: UInt64.self)
        page.storeBytes(of: (pageNumber > 1 ? pageNumber - 1 : 0).littleEndian, toByteOffset: 16, as: UInt32.self)
        page.storeBytes(of: (pageNumber + 1).littleEndian, toByteOffset: 20, as: UInt32.self)
        page.storeBytes(of: objectID.littleEndian, toByteOffset: 24, as: UInt32.self)
        let free = UInt16(dataArea - tagBytes - recordBytes)
        page.storeBytes(of: free.littleEndian, toByteOffset: 28, as: UInt16.self)
        page.storeBytes(of: UInt16(0), toByteOffset: 30, as: UInt16.self)
        page.storeBytes(of: UInt16(recordBytes).littleEndian, toByteOffset: 32, as: UInt16.self)
        page.storeBytes(of: UInt16(tagCount).littleEndian, toByteOffset: 34, as: UInt16.self)
        page.storeBytes(of: flags.littleEndian, toByteOffset: 36, as: UInt32.self)
        if layout.isLarge {
            page.storeBytes(of: pageNumber.littleEndian, toByteOffset: 64, as: UInt32.self)
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
        if legacy && !layout.isLarge {
            PageWriter.sealLegacy(page, pageNumber: pageNumber)
        } else {
            PageWriter.seal(page, pageNumber: pageNumber, layout: layout)
        }
    }
}
