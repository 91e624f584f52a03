import ESEFormat
import Foundation

/// Faults in a database's structure that every checksum still passes: a hole punched over
/// pages a tree uses (they read as zeros, ESE's −1019 on first read), and a leaf's sibling link
/// moved with the page sealed again (ESE's −1206 when the B-tree is walked).
extension FaultInjector {
    static func applyStructureFault(_ fault: Fault, files: StorageGroupFiles, spec: StorageGroupSpec) throws {
        let (output, layout, page, offset, pageCount) = try openDataPage(fault, files, spec)
        defer { output.close() }
        let pageSize = layout.pageSize
        switch fault.fault {
        case .punchHole:
            let count = min(max(1, fault.value ?? 4), pageCount - page + 1)
            try punchHole(output, at: offset, length: UInt64(count * pageSize))
        case .breakSiblingLink:
            var image = try output.read(at: offset, count: pageSize)
            let flags = PageFlags(rawValue: field32(image, at: PageHeader.Offset.flags))
            guard flags.contains(.leaf), !flags.contains(.root) else {
                throw Failure(message: "breakSiblingLink: page \(page) is not a leaf below a root")
            }
            // pgnoNext moved one page on (to the next page of the file, or back when it is the last).
            var link = ByteImage(image)
            let next = field32(image, at: PageHeader.Offset.nextPage)
            link.set(next == 0 || Int(next) >= pageCount ? UInt32(page > 1 ? page - 1 : page + 1) : next + 1, at: PageHeader.Offset.nextPage)
            image = link.bytes
            try writeSealed(&image, flags: flags, page: page, layout: layout, to: output, at: offset)
        default:
            break
        }
    }

    /// The data page `fault` names, its database opened for editing: the file, the layout, the
    /// page number, its offset and the database's page count.
    static func openDataPage(_ fault: Fault, _ files: StorageGroupFiles, _ spec: StorageGroupSpec) throws
        -> (output: FileOutput, layout: PageLayout, page: Int, offset: UInt64, pageCount: Int) {
        let (path, pageSize) = try database(fault, files, spec)
        let pageCount = spec.databases[fault.database ?? 0].pageCount
        guard let page = fault.page, page >= 1, page <= pageCount, let layout = PageLayout(pageSize: pageSize) else {
            throw Failure(message: "\(fault.fault): page \(fault.page.map(String.init) ?? "(none)") is not a data page")
        }
        return (try FileOutput(editing: path), layout, page, layout.fileOffset(pageNumber: UInt32(page)), pageCount)
    }

    /// The little-endian 32-bit field at `offset` of a page image.
    static func field32(_ image: [UInt8], at offset: Int) -> UInt32 {
        UInt32(image[offset]) | UInt32(image[offset + 1]) << 8 | UInt32(image[offset + 2]) << 16 | UInt32(image[offset + 3]) << 24
    }

    /// Seals an edited page as it was sealed (XOR+ECC for the new format and large pages, else
    /// the legacy XOR) and writes it back, so every checksum passes.
    static func writeSealed(_ image: inout [UInt8], flags: PageFlags, page: Int, layout: PageLayout,
                            to output: FileOutput, at offset: UInt64) throws {
        if flags.contains(.newChecksumFormat) || layout.isLarge {
            PageWriter.seal(&image, pageNumber: UInt32(page), layout: layout)
        } else {
            PageWriter.sealLegacy(&image, pageNumber: UInt32(page))
        }
        try output.write(image, at: offset)
    }

    /// Makes `length` bytes at `offset` a hole: the tail after it is read, the file cut at
    /// `offset`, and the tail written back past the hole, so the range is never written and
    /// reads as zeros (a sparse file's hole where the file system keeps them).
    static func punchHole(_ output: FileOutput, at offset: UInt64, length: UInt64) throws {
        let size = try output.size()
        let end = min(size, offset + length)
        var tail: [[UInt8]] = []
        var position = end
        while position < size {
            let count = Int(min(UInt64(8 << 20), size - position))
            tail.append(try output.read(at: position, count: count))
            position += UInt64(count)
        }
        try output.truncate(to: offset)
        position = end
        for chunk in tail {
            try output.write(chunk, at: position)
            position += UInt64(chunk.count)
        }
        try output.truncate(to: size)  // a hole reaching the end of the file
    }
}
