import ESECheck
import ESEFormat

/// What the whole-file hash of a backup manifest costs (issue 18: at most 10 % of `check`).
/// `hash.kernel.xxh3.GBps`: the manifest's hash (`XXH3Tree`: 4 KiB leaves, one group) on one
/// core over a cached 1 MiB buffer; `hash.kernel.crc32c.GBps` the table CRC-32C of format 1.
/// `hash.check.overhead`: the storage-group check with `hashFiles` on against the same check
/// off (databases hashed in the page pass), as (time with − time without) / time without,
/// median of per-round ratios; `hash.check.8k.overhead` and `hash.check.32k.overhead` the same
/// for the databases of one page size alone (`hash.check.8k.GBps` the check without hashes,
/// `.hashed.GBps` with, on all cores). `hash.manifest.overhead`: `ManifestBuilder.build`
/// (hashes, the logs and other files read again, the manifest entries) against `check`.
/// `ese-bench hash [--corpus DIR] [--size S] [--rounds N]` runs these alone.
enum HashBenchmark {
    static func run(_ corpus: BenchCorpus, window: Int, rounds: Int) {
        kernels(rounds: rounds)
        var hashed = CheckOptions(windowBytes: window)
        hashed.hashFiles = true
        let plain = CheckOptions(windowBytes: window)
        for (label, pageSize) in [("8k", 8192), ("32k", 32768)] {
            let paths = corpus.paths(pageSize: pageSize)
            let check = Measure.paired(rounds: rounds, baseline: {
                _ = DatabaseChecker(options: plain).check(paths)
            }, candidate: {
                _ = DatabaseChecker(options: hashed).check(paths)
            })
            let bytes = paths.reduce(0) { $0 + Int((try? ReadOnlyFile(path: $1).size) ?? 0) }
            emit("hash.check.\(label).GBps", gigabytesPerSecond(bytes, check.baseline))
            emit("hash.check.\(label).hashed.GBps", gigabytesPerSecond(bytes, check.candidate))
            emit("hash.check.\(label).overhead", 1 / check.ratio - 1)
        }
        let directory = corpus.directory
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
    }

    /// The kernels on one core over a cached 1 MiB buffer, against the legacy XOR checksum.
    static func kernels(rounds: Int) {
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
        var wide: UInt64 = 0
        let tree = Measure.paired(rounds: rounds, baseline: {
            for _ in 0..<repeats { sink ^= LegacyChecksum.compute(buffer.span.bytes) }
        }, candidate: {
            for _ in 0..<repeats { wide ^= XXH3Tree.hash(buffer.span.bytes) }
        })
        emit("hash.kernel.xxh3.GBps", gigabytesPerSecond(buffer.count * repeats, tree.candidate))
        emit("hash.kernel.xxh3ToXOR.ratio", tree.ratio)
        if sink == 42 || wide == 42 { note("") }
    }
}
