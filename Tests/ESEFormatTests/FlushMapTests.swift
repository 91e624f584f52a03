import ESETestSupport
@testable import ESEFormat
import Foundation
import Testing

/// The flush map format (docs/flush-map.md): the header, map pages checked as ESE checks them,
/// and the 2-bit packing — against the three real maps of the corpus and hand-built pages.
@Suite struct FlushMapTests {
    /// A map file: a clean header and `pages` map pages whose bitmaps start with `firstBytes`.
    static func image(firstBytes: [UInt8] = [0xE4], pages: Int = 1, flags: UInt32 = 1, dbtimeMax: UInt64 = 0x5000) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: FlushMap.pageSize)
        header.storeLE(UInt32(3), at: 4)
        header.storeLE(flags, at: 36)
        header.storeLE(UInt32(7), at: FileType.headerOffset)
        PageWriter.sealHeader(&header)
        var bytes = header
        for index in 0..<pages {
            var page = [UInt8](repeating: 0, count: FlushMap.pageSize)
            page.replaceSubrange(64..<64 + firstBytes.count, with: firstBytes)
            page.storeLE(dbtimeMax, at: 8)
            page.storeLE(UInt32(index), at: 16)
            PageWriter.seal(&page, pageNumber: UInt32(index), layout: PageLayout(pageSize: 8192)!)
            bytes += page
        }
        return bytes
    }

    /// Parses a map from an array (kept out of the test macros).
    static func parse(_ bytes: [UInt8]) throws -> FlushMap { try FlushMap(parsing: bytes.span.bytes) }

    /// A page's flush type from an array.
    static func pageType(_ bytes: [UInt8]) -> Int { FlushMap.pageFlushType(bytes.span.bytes) }

    /// A database header from an array.
    static func header(_ bytes: [UInt8]) throws -> DatabaseHeader { try DatabaseHeader(parsing: bytes.span.bytes) }

    @Test func twoBitsPerPageMostSignificantPairFirst() throws {
        // 0xE4 = 11 10 01 00: pages 0-3 hold types 3, 2, 1, 0 (flushmap.cxx:2357-2384).
        let map = try Self.parse(Self.image(firstBytes: [0xE4, 0x40]))
        #expect((0...4).map { map.flushType(of: UInt32($0)) } == [3, 2, 1, 0, 1])
        #expect(FlushMap.pagesPerMapPage == 32_512)
        #expect(FlushMap.mapPage(of: 32_511) == 0 && FlushMap.mapPage(of: 32_512) == 1)
        // A page described by a map page the file does not have is unknown.
        #expect(map.flushType(of: 40_000) == 0)
        #expect(map.header.checksumIsValid && map.header.isClean && map.header.versionIsSupported)
        #expect(map.header.fileType == FileType.flushMap.rawValue)
    }

    @Test func mapPagesAreCheckedAsESEChecksThem() throws {
        var bytes = Self.image(pages: 3)
        bytes[8192 + 200] ^= 0x10                                   // page 0: one bit, corrected
        bytes[2 * 8192 + 64] ^= 0x01; bytes[2 * 8192 + 900] ^= 0x80 // page 1: two bits, bad
        for index in 3 * 8192..<4 * 8192 { bytes[index] = 0 }       // page 2: all zero
        let map = try Self.parse(bytes)
        #expect(map.pages.map(\.state) == [.valid, .badChecksum, .uninitialized])
        #expect(map.flushType(of: 0) == 3)                          // read from the corrected page
        #expect(map.flushType(of: 32_512) == 0 && map.flushType(of: 65_024) == 0)
        #expect(map.pages[0].highestDatabaseTime == 0x5000 && map.pages[0].storedNumber == 0)
    }

    @Test func headerDamageIsReportedNotHidden() throws {
        var bytes = Self.image()
        bytes[300] ^= 1
        let damaged = try Self.parse(bytes)
        #expect(!damaged.header.checksumIsValid)
        #expect(throws: FormatError.self) { try Self.parse([UInt8](repeating: 0, count: 100)) }
        let unclean = try Self.parse(Self.image(flags: 0))
        #expect(!unclean.header.isClean)
    }

    /// The three real maps (written by Windows' ESE) against the pages of their databases: every
    /// page with a flush type carries the one the map records.
    @Test(.enabled(if: RealCorpus.path != nil, Comment(rawValue: RealCorpus.missing)))
    func realMapsMatchTheirDatabases() throws {
        for (folder, clean) in [("srum-win10-aptsim-clean", true), ("srum-server2022-1daylater", true), ("srum-win10-belkasoft-dirty", false)] {
            let map = try Self.parse(RealCorpus.bytes("museum/\(folder)/SRUDB.jfm"))
            #expect(map.header.checksumIsValid && map.header.versionIsSupported && map.header.fileType == 7, "\(folder)")
            #expect(map.header.isClean == clean, "\(folder)")
            #expect(map.pages.count == 1 && map.pages[0].state == .valid && map.pages[0].storedNumber == 0, "\(folder)")
            let database = try RealCorpus.bytes("museum/\(folder)/SRUDB.dat")
            let header = try Self.header(database)
            #expect(map.matches(databaseHeaderFlush: header.headerFlushSignature, mapHeaderFlush: header.flushMapHeaderFlushSignature))
            let pageSize = header.pageSize
            var compared = 0
            for page in 1..<(database.count / pageSize - 1) {
                let bytes = Array(database[(page + 1) * pageSize..<(page + 2) * pageSize])
                let type = Self.pageType(bytes)
                guard type != 0 else { continue }
                #expect(map.flushType(of: UInt32(page)) == type, "\(folder) page \(page)")
                compared += 1
            }
            #expect(compared > 50, "\(folder)")
        }
    }
}
