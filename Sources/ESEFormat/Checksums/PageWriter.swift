/// Writes checksums into pages and headers: the writer's side of the formats, used by the
/// corpus generator and by tests. ESE: `SetPageChecksum`.
public enum PageWriter {
    /// Sets the new-format flag and writes the XOR+ECC checksums of a data page (or a v8 log
    /// segment, with its segment index as `pageNumber`). On large pages the checksums of
    /// blocks 1–3 are stored first (bytes 40–63), so block 0's checksum covers them.
    public static func seal(_ page: inout MutableRawSpan, pageNumber: UInt32, layout: PageLayout) {
        page.withUnsafeMutableBytes { seal($0, pageNumber: pageNumber, layout: layout) }
    }

    /// Array convenience for `seal(_:pageNumber:layout:)`.
    public static func seal(_ page: inout [UInt8], pageNumber: UInt32, layout: PageLayout) {
        page.withUnsafeMutableBytes { seal($0, pageNumber: pageNumber, layout: layout) }
    }

    /// Writes an old-format data page checksum: the XOR (seeded, page number in bytes 4–7
    /// included) in bytes 0–3. The new-format flag is cleared.
    public static func sealLegacy(_ page: inout [UInt8], pageNumber: UInt32) {
        page.withUnsafeMutableBytes { sealLegacy($0, pageNumber: pageNumber) }
    }

    /// Writes the 4-byte XOR checksum of a header page (database header, log header,
    /// checkpoint copy) into its first dword.
    public static func sealHeader(_ header: inout [UInt8]) {
        header.withUnsafeMutableBytes { sealHeader($0) }
    }

    /// Kernel form of `sealHeader`.
    public static func sealHeader(_ header: UnsafeMutableRawBufferPointer) {
        guard header.count >= 4 else { return }
        let value = LegacyChecksum.compute(UnsafeRawBufferPointer(header))
        header.storeBytes(of: value.littleEndian, toByteOffset: 0, as: UInt32.self)
    }

    /// Kernel form of `seal`.
    public static func seal(_ page: UnsafeMutableRawBufferPointer, pageNumber: UInt32, layout: PageLayout) {
        precondition(page.count == layout.pageSize, "page buffer must be one page long")
        let flags = UInt32(littleEndian: page.loadUnaligned(fromByteOffset: PageHeader.Offset.flags, as: UInt32.self))
        page.storeBytes(of: (flags | PageFlags.newChecksumFormat.rawValue).littleEndian, toByteOffset: PageHeader.Offset.flags, as: UInt32.self)
        let readOnly = UnsafeRawBufferPointer(page)
        for block in 1..<layout.blockCount {
            let range = layout.blockRange(block)
            let value = ECCChecksum.compute(UnsafeRawBufferPointer(rebasing: readOnly[range]),
                                            pageNumber: pageNumber, isHeaderBlock: false).rawValue
            page.storeBytes(of: value.littleEndian, toByteOffset: PageHeader.Offset.blockChecksums + 8 * (block - 1), as: UInt64.self)
        }
        let first = ECCChecksum.compute(UnsafeRawBufferPointer(rebasing: readOnly[0..<layout.blockSize]),
                                        pageNumber: pageNumber, isHeaderBlock: true).rawValue
        page.storeBytes(of: first.littleEndian, toByteOffset: 0, as: UInt64.self)
    }

    /// Kernel form of `sealLegacy`.
    public static func sealLegacy(_ page: UnsafeMutableRawBufferPointer, pageNumber: UInt32) {
        let flags = UInt32(littleEndian: page.loadUnaligned(fromByteOffset: PageHeader.Offset.flags, as: UInt32.self))
        page.storeBytes(of: (flags & ~PageFlags.newChecksumFormat.rawValue).littleEndian, toByteOffset: PageHeader.Offset.flags, as: UInt32.self)
        page.storeBytes(of: pageNumber.littleEndian, toByteOffset: 4, as: UInt32.self)
        let value = LegacyChecksum.compute(UnsafeRawBufferPointer(page))
        page.storeBytes(of: value.littleEndian, toByteOffset: 0, as: UInt32.self)
    }
}
