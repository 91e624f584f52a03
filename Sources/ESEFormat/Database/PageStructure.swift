/// The structural checks ESE runs on every page it reads, beyond the checksum: free-space
/// fields, the tag array, node bounds and flag combinations. A failure is −1206
/// (`JET_errDatabaseCorrupted`). ESE: `CPAGE::ErrCheckPage` (cpage.cxx:4645-4800), the basic
/// mode every read uses; ese-format.md §3.5.
public enum PageStructure {
    /// The structural checks, by ESE's names for them (cpage.cxx:4676-4800).
    public enum Check: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// The span is not one page.
        case PageSize
        /// `cbFree` is larger than the data area.
        case CbFreeTooLarge
        /// `cbUncommittedFree` is larger than `cbFree`.
        case CbUncommittedFreeTooLarge
        /// `ibMicFree` is beyond the data area.
        case ibMicFreeTooLarge
        /// `itagMicFree` is impossibly large.
        case itagMicFreeTooLarge
        /// No tag, and the page is neither empty nor pre-initialized.
        case EmptyAndPreInitFlagsNotSet
        /// The tag array reaches into the page header.
        case TagArrayWalkingOntoPghdr
        /// The tag array leaves no room for its nodes.
        case TagArrayTooBigToLeaveDataRoom
        /// Empty and pre-initialized at once.
        case PageEmptyAndPagePreInitFlagsBothSet
        /// A pre-initialized page that is not empty.
        case PreInitPageFlagSetWithInvalidFlags
        /// Index and long-value flags together.
        case CorruptFlagsMixedIndexLv
        /// A page rebuilt by repair.
        case RepairedPage
        /// A node (not a reserved tag) with no bytes.
        case ZeroLengthIline
        /// A node ending in the free space after `ibMicFree`.
        case TagInFreeSpace

        /// ESE's name.
        public var description: String { rawValue }
    }

    /// Why a page's structure is damaged, with ESE's name for the check.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// The failed check.
        public var check: Check
        /// What was found.
        public var detail: String
        /// `check: detail`.
        public var description: String { "\(check): \(detail)" }
    }

    /// The first structural problem of an initialized page whose checksum passed, or nil when
    /// it has none. `page` must be one whole page of `layout`'s size.
    public static func problem(_ page: RawSpan, layout: PageLayout) -> Problem? {
        guard page.byteCount == layout.pageSize else {
            return Problem(check: .PageSize, detail: "\(page.byteCount) bytes, expected \(layout.pageSize)")
        }
        let dataSize = layout.pageSize - layout.headerSize
        let free = Int(page.uint16(at: PageHeader.Offset.freeBytes))
        let uncommitted = Int(page.uint16(at: PageHeader.Offset.uncommittedFreeBytes))
        let firstFree = Int(page.uint16(at: PageHeader.Offset.firstFreeByte))
        let tagState = page.uint16(at: PageHeader.Offset.tagState)
        let tags = Int(tagState & 0x0FFF)
        let flags = PageFlags(rawValue: page.uint32(at: PageHeader.Offset.flags))
        if let problem = headerProblem(free: free, uncommitted: uncommitted, firstFree: firstFree, tags: tags,
                                       dataSize: dataSize, flags: flags) { return problem }
        if flags.contains(.preInitialized) {
            let allowed: UInt32 = PageFlags.preInitialized.rawValue | PageFlags.newRecordFormat.rawValue
                | PageFlags.newChecksumFormat.rawValue | 0x18000
            let links = PageHeader.siblingLinks(page)
            if tags != 0 || !flags.contains(.newRecordFormat) || flags.rawValue & ~allowed != 0
                || links?.previous != 0 || links?.next != 0 {
                return Problem(check: .PreInitPageFlagSetWithInvalidFlags, detail: "a pre-initialized page must be empty (flags 0x\(String(flags.rawValue, radix: 16)))")
            }
        }
        // Tags: reserved ones may be empty; every other must have bytes, all below ibMicFree.
        var reserved = Int(tagState >> 12) & 0x7
        if reserved == 0 { reserved = flags.contains(.preInitialized) ? 0 : 1 }
        let mask: UInt16 = layout.isLarge ? 0x7FFF : 0x1FFF
        // The tag array lies inside the page (headerProblem bounded `tags` by the data area):
        // one bounds check here rather than two per tag.
        precondition(layout.pageSize - 4 * tags >= 0 && layout.pageSize == page.byteCount)
        for index in 0..<tags {
            let tag = layout.pageSize - 4 * (index + 1)
            let size = Int(UInt16(littleEndian: page.unsafeLoadUnaligned(fromUncheckedByteOffset: tag, as: UInt16.self)) & mask)
            let offset = Int(UInt16(littleEndian: page.unsafeLoadUnaligned(fromUncheckedByteOffset: tag + 2, as: UInt16.self)) & mask)
            if size == 0 {
                if index < reserved { continue }
                return Problem(check: .ZeroLengthIline, detail: "tag \(index) has no bytes (ib \(offset))")
            }
            if offset + size > firstFree {
                return Problem(check: .TagInFreeSpace, detail: "tag \(index) ends at \(offset + size), beyond ibMicFree \(firstFree)")
            }
        }
        return nil
    }

    /// The checks on the header's own fields (cpage.cxx:4676-4760).
    static func headerProblem(free: Int, uncommitted: Int, firstFree: Int, tags: Int, dataSize: Int, flags: PageFlags) -> Problem? {
        if free > dataSize { return Problem(check: .CbFreeTooLarge, detail: "cbFree \(free) > \(dataSize)") }
        if uncommitted > free { return Problem(check: .CbUncommittedFreeTooLarge, detail: "cbUncommittedFree \(uncommitted) > cbFree \(free)") }
        if firstFree > dataSize { return Problem(check: .ibMicFreeTooLarge, detail: "ibMicFree \(firstFree) > \(dataSize)") }
        if tags >= dataSize / 4 { return Problem(check: .itagMicFreeTooLarge, detail: "\(tags) tags") }
        if tags == 0, !flags.contains(.empty), !flags.contains(.preInitialized) {
            return Problem(check: .EmptyAndPreInitFlagsNotSet, detail: "no tag, and neither fPageEmpty nor fPagePreInit")
        }
        let dataBetweenHeaderAndTags = dataSize - 4 * tags
        if dataBetweenHeaderAndTags <= 1 {
            return Problem(check: .TagArrayWalkingOntoPghdr, detail: "\(tags) tags leave \(dataBetweenHeaderAndTags) bytes")
        }
        if tags > 0, dataBetweenHeaderAndTags - (tags - 1) * 4 < 0 {
            return Problem(check: .TagArrayTooBigToLeaveDataRoom, detail: "\(tags) tags")
        }
        if flags.contains(.empty), flags.contains(.preInitialized) {
            return Problem(check: .PageEmptyAndPagePreInitFlagsBothSet, detail: "flags 0x\(String(flags.rawValue, radix: 16))")
        }
        if flags.contains(.longValue), flags.contains(.index) {
            return Problem(check: .CorruptFlagsMixedIndexLv, detail: "flags 0x\(String(flags.rawValue, radix: 16))")
        }
        if flags.contains(.repair) {
            return Problem(check: .RepairedPage, detail: "flags 0x\(String(flags.rawValue, radix: 16)) (rebuilt by repair)")
        }
        return nil
    }
}
