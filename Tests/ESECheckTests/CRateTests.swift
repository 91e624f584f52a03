import ESECheck
@testable import ESECheckC
import ESETestSupport
import Foundation
import Testing

/// `esecheck_set_max_rate` (esecheck.h 1.1): the C session paces the pages a transport hands
/// it with the same token bucket as `--max-rate`, and the setting follows the rules of the
/// other settings (before `esecheck_init`).
@Suite struct CRateTests {
    let directory = TemporaryDirectory()

    /// Feeds every data page of `path` through the C entry points in 256 KiB batches; returns
    /// the seconds the page calls took, the bytes fed and `esecheck_term`'s return.
    func feed(_ path: String, rate: UInt64?) throws -> (seconds: Double, bytes: Int, term: Int32) {
        let session = try #require(esecheck_new())
        defer { esecheck_delete(session) }
        if let rate { #expect(esecheck_set_max_rate(session, rate) == 0) }
        let status = path.withCString { cPath -> Int32 in
            var paths: [UnsafePointer<CChar>?] = [cPath]
            return paths.withUnsafeMutableBufferPointer { esecheck_init(session, $0.baseAddress, 1, nil, nil) }
        }
        #expect(status == 0)
        // Settings are refused once the session is started.
        #expect(esecheck_set_max_rate(session, 1) == -1003)
        var pageSize: UInt32 = 0
        #expect(esecheck_check_db_headers(session, &pageSize, nil, nil, nil, nil) == 0)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let batch = 256 << 10, first = 2 * Int(pageSize)
        let start = ContinuousClock.now
        var offset = first
        while offset < bytes.count {
            let count = min(batch, bytes.count - offset)
            let result = bytes.withUnsafeBytes { buffer in
                esecheck_check_db_pages(session, 0, UInt64(offset), buffer.baseAddress! + offset, count, nil, 0)
            }
            #expect(result == 0)
            offset += count
        }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (seconds, bytes.count - first, esecheck_term(session))
    }

    @Test func theRateIsHeldThroughC() throws {
        // 8 MiB at 4 MB/s: 2.1 s (the bucket starts empty); unthrottled it takes milliseconds.
        let path = try SampleDatabase.write(to: directory.file("rate.edb"), pages: 1026)
        let limited = try feed(path, rate: 4_000_000)
        let expected = Double(limited.bytes) / 4_000_000
        #expect(limited.term == 0)
        #expect(limited.seconds > expected * 0.8 && limited.seconds < expected * 1.6, "\(limited.seconds) s for \(limited.bytes) bytes")
        let free = try feed(path, rate: nil)
        #expect(free.term == 0)
        #expect(free.seconds < expected * 0.5, "\(free.seconds) s without a limit")
        // 0 is no limit, and a NULL session is refused.
        let zero = try feed(path, rate: 0)
        #expect(zero.seconds < expected * 0.5)
        #expect(esecheck_set_max_rate(nil, 1000) == -1003)
    }
}
