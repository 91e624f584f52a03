@testable import ESECheck
import Testing

/// Per-page values in chunks: reads as a plain array would, whichever way the chunks are held
/// (uniform, allocated, filled back to uniform), and holds memory only for chunks written with
/// another value.
@Suite struct PagedValuesTests {
    /// Random sets and fills on both a `PagedValues` and a plain array; every read agrees.
    @Test(arguments: [0, 1, 65535, 65536, 65537, 200_000])
    func readsAsAPlainArray(count: Int) {
        var paged = PagedValues<UInt32>(count: count, initial: 7)
        var plain = [UInt32](repeating: 7, count: count)
        var random = SystemRandomNumberGenerator()
        for step in 0..<400 where count > 0 {
            let value = UInt32.random(in: 0...3, using: &random) == 0 ? 7 : UInt32.random(in: 0...9, using: &random)
            if step % 5 == 0 {
                let low = Int.random(in: 0..<count, using: &random)
                let high = min(count, low + [1, 100, 65536, 150_000].randomElement(using: &random)!)
                paged.fill(low..<high, with: value)
                for index in low..<high { plain[index] = value }
            } else {
                let index = Int.random(in: 0..<count, using: &random)
                paged[index] = value
                plain[index] = value
            }
        }
        let agrees = paged.values(in: 0..<count) == plain   // a Bool: a failure must not print the arrays
        #expect(agrees)
        #expect(paged.indices == 0..<count)
    }

    @Test func memoryFollowsWhatIsWritten() {
        var paged = PagedValues<UInt64>(count: 1 << 32)
        #expect(paged.allocatedBytes == 0)
        paged.fill(0..<(1 << 32), with: .max)   // a 2^32-page hole: per chunk, nothing allocated
        #expect(paged.allocatedBytes == 0 && paged[123_456_789] == .max)
        paged[(1 << 32) - 1] = 5
        #expect(paged.allocatedBytes == 65536 * 8 && paged[(1 << 32) - 1] == 5 && paged[(1 << 32) - 2] == .max)
        paged.fill((1 << 32) - 65536..<(1 << 32), with: 0)
        #expect(paged.allocatedBytes == 0)
    }

    @Test func equalityIgnoresHowChunksAreHeld() {
        // (Compared through Bools: a failure must not print 70,000 values.)
        var a = PagedValues<UInt32>(count: 70_000), b = PagedValues<UInt32>(count: 70_000)
        a[3] = 1
        a[3] = 0                         // allocated, all zero; b's chunk uniform
        var same = a == b
        #expect(same)
        b[69_999] = 2
        same = a == b
        #expect(!same)
        a.fill(65536..<70_000, with: 2)  // the short last chunk filled whole: uniform 2
        for index in 65536..<69_999 { b[index] = 2 }   // allocated, every value 2
        same = a == b
        #expect(same)
        same = b == a
        #expect(same)
    }

    @Test func overlayTakesEveryValueButTheSkippedOne() {
        var ours = PagedValues<UInt64>(count: 140_000), theirs = PagedValues<UInt64>(count: 140_000)
        ours[10] = 4
        ours[70_000] = 9
        theirs[10] = 0                   // skipped: ours kept
        theirs[11] = 6
        theirs.fill(65536..<131072, with: 3)
        ours.overlay(theirs, skipping: 0)
        #expect(ours[10] == 4 && ours[11] == 6 && ours[70_000] == 3 && ours[131_072] == 0)
    }
}
