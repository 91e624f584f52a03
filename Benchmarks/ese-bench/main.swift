// ese-bench: how close the checker runs to the machine's read ceiling.
//
// Release builds only: `swift run -c release ese-bench`. Prints `name value` lines; every
// throughput is given with a ceiling measured in the same run, because shared machines are
// noisy and only ratios carry over.

import ESECheck
import ESECorpus
import ESEFormat
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())

func emit(_ name: String, _ value: Double, digits: Int = 3) {
    FileHandle.standardOutput.write(Data("\(name) \(String(format: "%.\(digits)f", value))\n".utf8))
}

func emit(_ name: String, _ value: Int) {
    FileHandle.standardOutput.write(Data("\(name) \(value)\n".utf8))
}

func note(_ text: String) {
    FileHandle.standardError.write(Data(("# " + text + "\n").utf8))
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func bytes(_ text: String) -> UInt64 {
    let lower = text.lowercased()
    for (suffix, factor) in [("gib", UInt64(1) << 30), ("mib", 1 << 20), ("g", 1 << 30), ("m", 1 << 20)] where lower.hasSuffix(suffix) {
        return UInt64(Double(lower.dropLast(suffix.count)) ?? 0 * 1) * factor
    }
    return UInt64(lower) ?? 0
}

// Child mode: verify databases totalling at most BYTES and report peak memory.
if arguments.first == "rss-probe", arguments.count == 3 {
    let directory = arguments[1], limit = bytes(arguments[2])
    var chosen: [String] = [], total: UInt64 = 0
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".edb") }.sorted()
    for name in names {
        let path = directory + "/" + name
        let size = (try? ReadOnlyFile(path: path).size) ?? 0
        if total + size <= limit { chosen.append(path); total += size }
    }
    let reports = DatabaseChecker().check(chosen)
    let pages = reports.reduce(0) { $0 + $1.pages.total }
    print("bytes \(total) pages \(pages) peakRSS \(ProcessMemory.peakResident) anonRSS \(ProcessMemory.anonymousResident)")
    exit(0)
}

#if DEBUG
note("ese-bench measures release builds only: run `swift run -c release ese-bench`")
exit(2)
#endif

func gigabytesPerSecond(_ bytes: Int, _ seconds: Double) -> Double { Double(bytes) / seconds / 1e9 }

let kernelsOnly = arguments.contains("--kernels-only")
let size = bytes(option("--size") ?? "4GiB")
let generations = Int(option("--generations") ?? "200") ?? 200
let rounds = max(1, Int(option("--rounds") ?? "3") ?? 3)
let directory = option("--corpus") ?? (NSTemporaryDirectory() + "esecheck-bench-corpus")
let cores = ProcessInfo.processInfo.activeProcessorCount
let corpus = BenchCorpus(directory: directory, totalBytes: size, generations: generations)
if !kernelsOnly {
do {
    try corpus.prepare(log: note)
} catch {
    note("cannot prepare the corpus: \(error)")
    exit(1)
}

emit("machine.cores", cores)
emit("corpus.databaseBytes", Int(corpus.spec.databaseBytes))
emit("corpus.logGenerations", generations)
note("warming the page cache")
emit("corpus.totalBytes", Measure.warm(corpus.allFiles))

// Whole-corpus verification against the mapped XOR-reduce ceiling, per page size.
for (label, paths) in [("8k", corpus.paths(pageSize: 8192)), ("32k", corpus.paths(pageSize: 32768))] {
    var checked = 0
    let ceiling = Measure.time(rounds: rounds) { checked = Measure.mappedXORCeiling(paths, threads: cores).bytes }
    var pages = 0
    var passed = true
    let checker = Measure.time(rounds: rounds) {
        let reports = DatabaseChecker().check(paths)
        pages = reports.reduce(0) { $0 + $1.pages.total }
        passed = reports.allSatisfy(\.passed)
    }
    if !passed { note("warning: the \(label) databases did not verify clean") }
    let ceilingRate = gigabytesPerSecond(checked, ceiling.median), checkerRate = gigabytesPerSecond(checked, checker.median)
    emit("ceiling.\(label).GBps", ceilingRate)
    emit("checker.\(label).GBps", checkerRate)
    emit("checker.\(label).ratio", checkerRate / ceilingRate)
    emit("checker.\(label).pagesPerSecond", Double(pages) / checker.median, digits: 0)
    let mapped = Measure.time(rounds: rounds) { _ = DatabaseChecker(options: CheckOptions(readMethod: .mapped)).check(paths) }
    emit("checker.\(label).mapped.GBps", gigabytesPerSecond(checked, mapped.median))
    emit("checker.\(label).mapped.ratio", gigabytesPerSecond(checked, mapped.median) / ceilingRate)
}

// The whole storage group: every database and every log, one verdict.
do {
    var total = 0
    let ceiling = Measure.time(rounds: rounds) { total = Measure.mappedXORCeiling(corpus.allFiles, threads: cores).bytes }
    var verdict = Verdict.unreadable
    let check = Measure.time(rounds: rounds) { verdict = StorageGroupChecker().check(directory: corpus.directory).verdict }
    if verdict != .recoverable { note("warning: the storage group verdict is \(verdict.rawValue), expected recoverable") }
    emit("ceiling.storageGroup.GBps", gigabytesPerSecond(total, ceiling.median))
    emit("checker.storageGroup.GBps", gigabytesPerSecond(total, check.median))
    emit("checker.storageGroup.ratio", ceiling.median / check.median)
}

// Two cores against one.
if cores >= 2 {
    let paths = corpus.allDatabases
    let bytes = paths.reduce(0) { $0 + Int((try? ReadOnlyFile(path: $1).size) ?? 0) }
    let one = Measure.time(rounds: rounds) { _ = DatabaseChecker(options: CheckOptions(concurrency: 1)).check(paths) }
    let two = Measure.time(rounds: rounds) { _ = DatabaseChecker(options: CheckOptions(concurrency: 2)).check(paths) }
    emit("scaling.1core.GBps", gigabytesPerSecond(bytes, one.median))
    emit("scaling.2cores.GBps", gigabytesPerSecond(bytes, two.median))
    emit("scaling.ratio", one.median / two.median)
}

}

// Checksum kernels on L2-resident pages: 1 MiB of sealed pages, checked again and again.
for pageSize in [4096, 8192, 32768] {
    let layout = PageLayout(pageSize: pageSize)!
    let bufferBytes = 1 << 20
    var buffer = [UInt8](repeating: 0, count: bufferBytes)
    var random = DeterministicRandom(seed: UInt64(pageSize))
    for index in 0..<(bufferBytes / 8) {
        let value = random.next()
        for shift in 0..<8 { buffer[index * 8 + shift] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(shift))) }
    }
    let pages = bufferBytes / pageSize
    buffer.withUnsafeMutableBytes { raw in
        for page in 0..<pages where layout.isLarge {
            raw.storeBytes(of: UInt32(page + 1).littleEndian, toByteOffset: page * pageSize + 64, as: UInt32.self)
        }
        for page in 0..<pages {
            PageWriter.seal(UnsafeMutableRawBufferPointer(rebasing: raw[page * pageSize..<(page + 1) * pageSize]),
                            pageNumber: UInt32(page + 1), layout: layout)
        }
    }
    let repeats = 400
    var sink: UInt64 = 0
    let span = buffer.span.bytes
    let tuned = Measure.time(rounds: rounds + 2) {
        for _ in 0..<repeats {
            for page in 0..<pages { sink &+= UInt64(Measure.xorReduce(span.extracting(page * pageSize..<(page + 1) * pageSize))) }
        }
    }
    let plain = Measure.time(rounds: rounds + 2) {
        for _ in 0..<repeats {
            for page in 0..<pages { sink &+= UInt64(Measure.plainXORLoop(span.extracting(page * pageSize..<(page + 1) * pageSize))) }
        }
    }
    let kernel = Measure.time(rounds: rounds + 2) {
        for _ in 0..<repeats {
            for page in 0..<pages {
                for block in 0..<layout.blockCount {
                    let range = layout.blockRange(block)
                    sink &+= ECCChecksum.compute(span.extracting(page * pageSize + range.lowerBound..<page * pageSize + range.upperBound),
                                                 pageNumber: UInt32(page + 1), isHeaderBlock: block == 0).rawValue
                }
            }
        }
    }
    var good = 0
    let verify = Measure.time(rounds: rounds + 2) {
        good = 0
        for _ in 0..<repeats {
            for page in 0..<pages {
                if let check = try? PageVerifier.check(span.extracting(page * pageSize..<(page + 1) * pageSize),
                                                       pageNumber: UInt32(page + 1), layout: layout), check.outcome == .ok { good += 1 }
            }
        }
    }
    if good != pages * repeats { note("warning: kernel pages did not verify") }
    let processed = bufferBytes * repeats
    let label = "kernel.\(pageSize / 1024)k"
    emit("\(label).xorLoop.GBps", gigabytesPerSecond(processed, plain.best))
    emit("\(label).xorTunedSIMD.GBps", gigabytesPerSecond(processed, tuned.best))
    emit("\(label).eccChecksum.GBps", gigabytesPerSecond(processed, kernel.best))
    emit("\(label).eccChecksum.ratio", plain.best / kernel.best)
    emit("\(label).eccChecksum.ratioToTunedSIMD", tuned.best / kernel.best)
    emit("\(label).pageCheck.GBps", gigabytesPerSecond(processed, verify.best))
    emit("\(label).pageCheck.ratio", plain.best / verify.best)
    if sink == 42 { note("") }
}

if kernelsOnly { exit(0) }

// Peak memory: verifying a quarter of the corpus against all of it, in child processes.
func probe(_ limit: UInt64) -> (bytes: Int, peak: Int, anonymous: Int)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["rss-probe", corpus.directory, String(limit)]
    let pipe = Pipe()
    process.standardOutput = pipe
    guard (try? process.run()) != nil else { return nil }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let fields = output.split(separator: " ").map(String.init)
    func value(_ key: String) -> Int { fields.firstIndex(of: key).flatMap { Int(fields[$0 + 1].trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0 }
    return (value("bytes"), value("peakRSS"), value("anonRSS"))
}
if let small = probe(corpus.spec.databaseBytes / 4), let large = probe(corpus.spec.databaseBytes) {
    emit("rss.small.databaseBytes", small.bytes)
    emit("rss.small.peakBytes", small.peak)
    emit("rss.large.databaseBytes", large.bytes)
    emit("rss.large.peakBytes", large.peak)
    emit("rss.ratio", Double(large.peak) / Double(max(1, small.peak)))
}
