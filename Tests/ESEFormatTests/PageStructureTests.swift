import ESETestSupport
import Testing
@testable import ESEFormat

/// ESE's structural page checks (CPAGE::ErrCheckPage) on real pages, generated pages and one
/// hand-damaged page per rule.
@Suite struct PageStructureTests {

    /// A plausible leaf page: 3 tags (external header and two nodes) in 60 bytes of records.
    static func page(_ layout: PageLayout = PageLayout(pageSize: 8192)!) -> [UInt8] {
        var page = [UInt8](repeating: 0, count: layout.pageSize)
        func put16(_ value: UInt16, _ offset: Int) { page[offset] = UInt8(value & 0xFF); page[offset + 1] = UInt8(value >> 8) }
        func put32(_ value: UInt32, _ offset: Int) { for i in 0..<4 { page[offset + i] = UInt8((value >> (8 * i)) & 0xFF) } }
        put16(UInt16(layout.pageSize - layout.headerSize - 60 - 12), PageHeader.Offset.freeBytes)
        put16(60, PageHeader.Offset.firstFreeByte)
        put16(3 | 1 << 12, PageHeader.Offset.tagState)
        put32(PageFlags.leaf.rawValue | PageFlags.newRecordFormat.rawValue, PageHeader.Offset.flags)
        for (index, (size, offset)) in [(16, 0), (20, 16), (24, 36)].enumerated() {
            put16(UInt16(size), layout.pageSize - 4 * (index + 1))
            put16(UInt16(offset), layout.pageSize - 4 * (index + 1) + 2)
        }
        return page
    }

    @Test func wellFormedPagePasses() {
        for size in [4096, 8192, 16384, 32768] {
            let layout = PageLayout(pageSize: size)!
            #expect(PageStructure.problem(Self.page(layout).span.bytes, layout: layout) == nil, "\(size)")
        }
    }

    @Test(arguments: [
        ("CbFreeTooLarge", PageHeader.Offset.freeBytes, UInt16(9000)),
        ("CbUncommittedFreeTooLarge", PageHeader.Offset.uncommittedFreeBytes, UInt16(8100)),
        ("ibMicFreeTooLarge", PageHeader.Offset.firstFreeByte, UInt16(8200)),
        ("itagMicFreeTooLarge", PageHeader.Offset.tagState, UInt16(0x0FFF)),
        ("EmptyAndPreInitFlagsNotSet", PageHeader.Offset.tagState, UInt16(0)),
        ("TagInFreeSpace", PageHeader.Offset.firstFreeByte, UInt16(50)),
    ])
    func eachHeaderRuleIsEnforced(check: String, offset: Int, value: UInt16) {
        var page = Self.page()
        page[offset] = UInt8(value & 0xFF)
        page[offset + 1] = UInt8(value >> 8)
        #expect(PageStructure.problem(page.span.bytes, layout: PageLayout(pageSize: 8192)!)?.check.description == check)
    }

    @Test func flagRulesAndEmptyNodes() {
        let layout = PageLayout(pageSize: 8192)!
        var mixed = Self.page()
        mixed[PageHeader.Offset.flags] |= UInt8(PageFlags.index.rawValue | PageFlags.longValue.rawValue)
        #expect(PageStructure.problem(mixed.span.bytes, layout: layout)?.check == .CorruptFlagsMixedIndexLv)
        var repaired = Self.page()
        repaired[PageHeader.Offset.flags] |= UInt8(PageFlags.repair.rawValue)
        #expect(PageStructure.problem(repaired.span.bytes, layout: layout)?.check == .RepairedPage)
        var empty = Self.page()
        empty[8192 - 8] = 0   // tag 1's size: not a reserved tag
        #expect(PageStructure.problem(empty.span.bytes, layout: layout)?.check == .ZeroLengthIline)
        var reservedEmpty = Self.page()
        reservedEmpty[8192 - 4] = 0   // tag 0 (reserved) may be empty
        #expect(PageStructure.problem(reservedEmpty.span.bytes, layout: layout) == nil)
    }

    /// Every page of every real database that passes its checksum passes ESE's structure checks.
    @Test(.enabled(if: RealCorpus.path != nil, Comment(rawValue: RealCorpus.missing)))
    func everyGoodRealPagePasses() throws {
        let files = ["dissect.esedb/basic.edb", "dissect.esedb/large.edb", "dissect.esedb/SRUDB.dat", "go-ese/qmgr.db",
                     "go-ese/SRUDB.dat", "plaso/Catalog1.edb", "museum/srum-win10-belkasoft-dirty/SRUDB.dat"]
        var checked = 0
        for file in files {
            let bytes = try RealCorpus.bytes(file)
            let selection = try HeaderSelection.select(from: bytes.span.bytes)
            let layout = PageLayout(pageSize: selection.pageSize)!
            for physical in 2..<(bytes.count / layout.pageSize) {
                let page = Array(bytes[physical * layout.pageSize..<(physical + 1) * layout.pageSize])
                guard let check = try? PageVerifier.check(page.span.bytes, pageNumber: UInt32(physical - 1), layout: layout),
                      check.outcome == .ok else { continue }
                let problem = PageStructure.problem(page.span.bytes, layout: layout)
                #expect(problem == nil, "\(file) page \(physical - 1): \(problem?.description ?? "")")
                checked += 1
            }
        }
        #expect(checked > 2000)
    }
}
