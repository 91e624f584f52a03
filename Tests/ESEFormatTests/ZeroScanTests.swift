@testable import ESEFormat
import Testing

/// The all-zero test behind uninitialized pages: any single non-zero byte, at any position of a
/// buffer of any length (whole 256-byte groups, a tail, fewer bytes than one group), makes it
/// not zero; only all-zero buffers pass.
@Suite struct ZeroScanTests {
    static func isAllZero(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { ZeroScan.isAllZero($0) }
    }

    @Test(arguments: [0, 1, 63, 64, 255, 256, 257, 4095, 4096, 8192, 8193, 32768])
    func everyNonZeroByteIsFound(count: Int) {
        var bytes = [UInt8](repeating: 0, count: count)
        #expect(Self.isAllZero(bytes))
        // Every position of small buffers; of large ones the first and last 300 (every group
        // boundary and the tail) and every 37th between (each lane of each load, over the groups).
        let positions = (0..<count).filter { count <= 512 || $0 < 300 || $0 >= count - 300 || $0 % 37 == 0 }
        for position in positions {
            for value: UInt8 in [1, 0x80] {
                bytes[position] = value
                #expect(!Self.isAllZero(bytes), "byte \(position) of \(count) set to \(value)")
            }
            bytes[position] = 0
        }
    }

    @Test func anUnalignedStartIsScannedWhole() {
        let bytes = [UInt8](repeating: 0, count: 8192 + 1) + [7]
        bytes.withUnsafeBytes { all in
            #expect(ZeroScan.isAllZero(UnsafeRawBufferPointer(rebasing: all[1..<8193])))
            #expect(!ZeroScan.isAllZero(UnsafeRawBufferPointer(rebasing: all[1..<8194])))
        }
    }
}
