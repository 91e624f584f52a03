import ESEFormat
import Foundation

/// A lost flush the flush map sees: the page as it was before its last write, every checksum
/// passing — only the flush type the map recorded differs (ESE −1119, cpage.cxx:4364-4384).
extension FaultInjector {
    static func applyFlushMapFault(_ fault: Fault, files: StorageGroupFiles, spec: StorageGroupSpec) throws {
        let (path, pageSize) = try database(fault, files, spec)
        let pageCount = spec.databases[fault.database ?? 0].pageCount
        guard let page = fault.page, page >= 1, page <= pageCount, let layout = PageLayout(pageSize: pageSize) else {
            throw Failure(message: "\(fault.fault): page \(fault.page.map(String.init) ?? "(none)") is not a data page")
        }
        let output = try FileOutput(editing: path)
        defer { output.close() }
        let offset = layout.fileOffset(pageNumber: UInt32(page))
        var image = try output.read(at: offset, count: pageSize)
        let flags = UInt32(image[36]) | UInt32(image[37]) << 8 | UInt32(image[38]) << 16 | UInt32(image[39]) << 24
        let current = Int((flags >> 15) & 3)
        guard current != 0 else { throw Failure(message: "staleFlushType: page \(page) carries no flush type (free, or no flush map)") }
        let previous = current == 1 ? 3 : current - 1
        var edited = ByteImage(image)
        edited.set((flags & ~0x18000) | UInt32(previous) << 15, at: PageHeader.Offset.flags)
        image = edited.bytes
        if PageFlags(rawValue: flags).contains(.newChecksumFormat) || layout.isLarge {
            PageWriter.seal(&image, pageNumber: UInt32(page), layout: layout)
        } else {
            PageWriter.sealLegacy(&image, pageNumber: UInt32(page))
        }
        try output.write(image, at: offset)
    }
}
