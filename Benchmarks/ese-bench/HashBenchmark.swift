import ESECheck
import ESEFormat

/// What the whole-file CRC-32C of a backup manifest costs (issue 18: at most 10 % of `check`).
/// `hash.kernel.crc32c.GBps`: the table kernel on one core over a cached 1 MiB buffer.
/// `hash.check.overhead`: the storage-group check with `hashFiles` on against the same check
/// off (databases hashed in the page pass), as (time with − time without) / time without,
/// median of per-round ratios. `hash.manifest.overhead`: `ManifestBuilder.build` (hashes, the
/// logs and other files read again, the manifest entries) against `check`.
enum HashBenchmark {
    static func run(directory: String, window: Int, rounds: Int) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for index in buffer.indices { buffer[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 13) }
        var sink: UInt32 = 0
        let repeats = 200
        let kernel = Measure.paired(rounds: rounds, baseline: {
            for _ in 0..<repeats { sink ^= LegacyChecksum.compute(buffer.span.bytes) }
        }, candidate: {
            for _ in 0..<repeats { sink ^= CRC32C.checksum(buffer.span.bytes) }
        })
        emit("hash.kernel.crc32c.GBps", gigabytesPerSecond(buffer.count * repeats, kernel.candidate))
        emit("hash.kernel.crc32cToXOR.ratio", kernel.ratio)
        var hashed = CheckOptions(windowBytes: window)
        hashed.hashFiles = true
        let plain = CheckOptions(windowBytes: window)
        let check = Measure.paired(rounds: rounds, baseline: {
            _ = StorageGroupChecker(options: plain).check(directory: directory)
        }, candidate: {
            _ = StorageGroupChecker(options: hashed).check(directory: directory)
        })
        emit("hash.check.overhead", 1 / check.ratio - 1)
        let manifest = Measure.paired(rounds: rounds, baseline: {
            _ = StorageGroupChecker(options: plain).check(directory: directory)
        }, candidate: {
            _ = ManifestBuilder(options: plain).build(directory: directory)
        })
        emit("hash.manifest.overhead", 1 / manifest.ratio - 1)
        if sink == 42 { note("") }
    }
}
