// The C layout of one page's result (`esecheck_page_info`), filled from a `PageBatchResult`.

import ESECheck

/// The memory layout of `esecheck_page_info` (must match include/esecheck.h).
struct PageInfoLayout {
    var pageNumber: UInt32 = 0
    var flags: UInt32 = 0
    var stored: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    var computed: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    var databaseTime: UInt64 = 0
    var jetError: Int32 = 0
    var bitOffset: Int32 = -1
    var suspectedPage: UInt32 = 0
    var reserved: UInt32 = 0

    init(page: PageCheck) {
        pageNumber = page.pageNumber
        flags = page.outcome == .uninitialized ? 0 : 0x1
        stored = (page.stored.block0, page.stored.block1, page.stored.block2, page.stored.block3)
        computed = (page.computed.block0, page.computed.block1, page.computed.block2, page.computed.block3)
        databaseTime = page.databaseTime
        switch page.outcome {
        case .correctable(let bit):
            flags |= 0x2
            bitOffset = Int32(clamping: bit)
        case .badChecksum(let suspected):
            flags |= 0x4
            jetError = JetError.readVerifyFailure.code
            suspectedPage = suspected ?? 0
        case .wrongPageNumber:
            flags |= 0x4
            jetError = JetError.readPgnoVerifyFailure.code
        case .structureDamaged:
            flags |= 0x4
            jetError = JetError.databaseCorrupted.code
        default:
            break
        }
    }

    init(header: HeaderPageCheck, pageNumber: UInt32 = 0) {
        self.pageNumber = pageNumber
        flags = 0x1 | 0x8 | (header.isValid ? 0 : 0x4)
        stored.0 = UInt64(header.stored)
        computed.0 = UInt64(header.computed)
        jetError = header.isValid ? 0 : JetError.readVerifyFailure.code
    }

    /// The partial last page: bad, not checked.
    init(partialPageNumber: UInt32) {
        pageNumber = partialPageNumber
        flags = 0x4 | 0x20
        jetError = JetError.fileIOBeyondEOF.code
    }

    /// One entry per page of a batch in file order: header pages, data pages, the trailer,
    /// the partial last page; pages whose copy conflicts with an earlier one are flagged.
    static func entries(for result: PageBatchResult, fileOffset: UInt64, pageSize: Int) -> [PageInfoLayout] {
        var entries: [PageInfoLayout] = []
        var pages = result.pages.makeIterator()
        var headers = result.headerPages.makeIterator()
        let firstPhysical = Int(fileOffset / UInt64(pageSize))
        let whole = result.headerPages.count + result.pages.count + (result.trailer == nil ? 0 : 1)
        let conflicts = Set(result.conflictingOffsets)
        for physical in firstPhysical..<firstPhysical + whole {
            var entry: PageInfoLayout
            if physical < 2, let header = headers.next() {
                entry = PageInfoLayout(header: header)
            } else if let trailer = result.trailer, trailer.physicalPage == physical {
                entry = PageInfoLayout(header: trailer.checksum, pageNumber: UInt32(truncatingIfNeeded: physical - 1))
                if !trailer.checksum.isValid { entry.jetError = JetError.badPatchPage.code }
            } else if let page = pages.next() {
                entry = PageInfoLayout(page: page)
            } else {
                break
            }
            if conflicts.contains(UInt64(physical) * UInt64(pageSize)) { entry.flags |= 0x10 }
            entries.append(entry)
        }
        if let offset = result.partialPageOffset, result.partialPageBytes > 0 {
            let physical = offset / UInt64(pageSize)
            entries.append(PageInfoLayout(partialPageNumber: physical >= 2 ? UInt32(truncatingIfNeeded: physical - 1) : 0))
        }
        return entries
    }

    func store(to address: UnsafeMutableRawPointer) {
        address.storeBytes(of: self, as: PageInfoLayout.self)
    }
}
