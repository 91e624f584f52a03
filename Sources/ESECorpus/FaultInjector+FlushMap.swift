import ESEFormat
import Foundation

/// A lost flush the flush map sees: the page as it was before its last write, every checksum
/// passing — only the flush type the map recorded differs (ESE −1119, cpage.cxx:4364-4384).
extension FaultInjector {
    static func applyFlushMapFault(_ fault: Fault, files: StorageGroupFiles, spec: StorageGroupSpec) throws {
        let (output, layout, page, offset, _) = try openDataPage(fault, files, spec)
        defer { output.close() }
        var image = try output.read(at: offset, count: layout.pageSize)
        let flags = field32(image, at: PageHeader.Offset.flags)
        let current = Int((flags >> 15) & 3)
        guard current != 0 else { throw Failure(message: "staleFlushType: page \(page) carries no flush type (free, or no flush map)") }
        let previous = current == 1 ? 3 : current - 1
        var edited = ByteImage(image)
        edited.set((flags & ~0x18000) | UInt32(previous) << 15, at: PageHeader.Offset.flags)
        image = edited.bytes
        try writeSealed(&image, flags: PageFlags(rawValue: flags), page: page, layout: layout, to: output, at: offset)
    }
}
