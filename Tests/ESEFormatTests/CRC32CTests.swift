import Testing
@testable import ESEFormat

/// CRC-32C against RFC 3720 appendix B.4 and the common check value, and the combination of
/// pieces against the CRC of the whole.
@Suite struct CRC32CTests {
    func crc(_ bytes: [UInt8]) -> UInt32 { CRC32C.checksum(bytes.span.bytes) }
    func update(_ start: UInt32, _ bytes: [UInt8]) -> UInt32 { CRC32C.update(start, bytes.span.bytes) }

    @Test func rfc3720Vectors() {
        #expect(crc([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(crc([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(crc((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(crc((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        #expect(crc(Array("123456789".utf8)) == 0xE306_9283)
        #expect(crc([UInt8]()) == 0)
    }

    @Test func kernelMatchesBitwiseReference() {
        var seed: UInt64 = 7
        let bytes = (0..<1031).map { _ -> UInt8 in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: seed >> 33)
        }
        var reference: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            reference ^= UInt32(byte)
            for _ in 0..<8 { reference = reference & 1 != 0 ? (reference >> 1) ^ CRC32C.polynomial : reference >> 1 }
        }
        for length in [0, 1, 7, 8, 9, 63, 1031] {
            var r: UInt32 = 0xFFFF_FFFF
            for byte in bytes[0..<length] {
                r ^= UInt32(byte)
                for _ in 0..<8 { r = r & 1 != 0 ? (r >> 1) ^ CRC32C.polynomial : r >> 1 }
            }
            #expect(crc(Array(bytes[0..<length])) == ~r)
        }
        #expect(crc(bytes) == ~reference)
    }

    @Test func fourLanesAgreeWithOneChain() {
        for length in [CRC32C.laneThreshold, CRC32C.laneThreshold + 13, 1 << 20, (1 << 20) + 4099] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 11) }
            let lanes = crc(bytes)
            let chain = bytes.withUnsafeBytes { CRC32C.serial(0, $0) }
            #expect(lanes == chain, "\(length)")
            #expect(update(0x1234_5678, bytes) == bytes.withUnsafeBytes { CRC32C.serial(0x1234_5678, $0) })
        }
    }

    @Test func piecesCombineToTheWhole() {
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
        let whole = crc(bytes)
        for cut in [0, 1, 8, 999, 4096, 5000] {
            let first = crc(Array(bytes[..<cut]))
            let second = crc(Array(bytes[cut...]))
            #expect(CRC32C.combine(first, second, secondLength: UInt64(5000 - cut)) == whole)
            #expect(update(first, Array(bytes[cut...])) == whole)
        }
        for length in [0, 1, 32, 4097, 1 << 20] {
            #expect(CRC32C.zeros(UInt64(length)) == crc([UInt8](repeating: 0, count: length)))
        }
    }
}
