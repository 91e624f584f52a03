import ESETestSupport
import Foundation
import Testing
@testable import ESEFormat

/// Replays what fuzzing found (Tests/Fuzz/Regressions/<target>/), plus hand-made hostile
/// inputs and seeded random bytes, through every parser entry point: each must return.
@Suite struct FuzzRegressionTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Fuzz/Regressions").path
    }()

    @Test(arguments: FuzzEntryPoints.all.keys.sorted())
    func replayRegressions(target: String) throws {
        let entry = try #require(FuzzEntryPoints.all[target])
        let folder = Self.root + "/" + target
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names.sorted() {
            entry([UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
        }
    }

    @Test(arguments: FuzzEntryPoints.all.keys.sorted())
    func hostileShapes(target: String) throws {
        let entry = try #require(FuzzEntryPoints.all[target])
        var inputs: [[UInt8]] = [[], [0], [0xFF], [UInt8](repeating: 0, count: 4095), [UInt8](repeating: 0xFF, count: 4096),
                                 [UInt8](repeating: 0, count: 65536), [UInt8](repeating: 0xFF, count: 70_000)]
        // A log header with every geometry field at its extreme, resealed so it parses.
        for value: UInt16 in [0, 1, 0x7FFF, 0xFFFF] {
            var header = [UInt8](repeating: 0, count: 8192)
            for offset in [8, 10, 12, 14] { header.storeLE(value, at: offset) }
            header.storeLE(UInt32(7), at: 32)
            header.storeLE(Int32.max, at: 4)
            PageWriter.sealHeader(&header)
            inputs.append(header)
        }
        var random = SeededRandom(seed: UInt64(target.utf8.count))
        for _ in 0..<50 { inputs.append(random.bytes(random.next(below: 20_000))) }
        for input in inputs { entry(input) }
    }
}
