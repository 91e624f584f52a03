import ESETestSupport
import Testing
@testable import ESEFormat

/// The fast kernels must agree with the plain reference implementations on every size and
/// position they are used for.
@Suite struct KernelAgreementTests {
    @Test(arguments: [1024, 2048, 4096, 8192])
    func eccKernelMatchesReference(blockSize: Int) {
        var random = SeededRandom(seed: UInt64(blockSize))
        for trial in 0..<64 {
            var block = random.bytes(blockSize)
            if trial % 8 == 0 { block = [UInt8](repeating: 0, count: blockSize) }
            if trial % 8 == 1 { block = [UInt8](repeating: 0xFF, count: blockSize) }
            for header in [true, false] {
                let pageNumber = UInt32(truncatingIfNeeded: random.next())
                let fast = block.withUnsafeBytes { ECCChecksum.compute($0, pageNumber: pageNumber, isHeaderBlock: header) }
                let reference = ReferenceChecksum.ecc(block.span.bytes, pageNumber: pageNumber, isHeaderBlock: header)
                #expect(fast == reference, "block \(blockSize) trial \(trial) header \(header)")
            }
        }
    }

    @Test func legacyKernelMatchesReferenceOnOddLengths() {
        var random = SeededRandom(seed: 7)
        for length in [0, 3, 4, 8, 60, 64, 100, 128, 132, 4096, 4100, 8192, 32768] {
            let bytes = random.bytes(length)
            let fast = LegacyChecksum.compute(bytes.span.bytes), reference = ReferenceChecksum.legacyXOR(bytes.span.bytes)
            #expect(fast == reference, "length \(length)")
        }
    }

    @Test func zeroScanFindsALoneByteAnywhere() {
        for length in [1, 63, 64, 65, 4096, 4097] {
            var bytes = [UInt8](repeating: 0, count: length)
            let blank = bytes.span.bytes.isAllZero()
            #expect(blank)
            for position in [0, length / 2, length - 1] {
                bytes[position] = 1
                let blankNow = bytes.span.bytes.isAllZero()
                #expect(!blankNow, "length \(length) position \(position)")
                bytes[position] = 0
            }
        }
    }
}
