// ese-bench: how close the checker runs to the machine's read ceiling.
//
// Release builds only: `swift run -c release ese-bench`. Prints `name value` lines; every
// throughput is given with a ceiling measured in the same run, because shared machines are
// noisy and only ratios carry over. Each ratio is the median of per-round ratios, the
// baseline and the candidate alternating round by round. Two ceilings are measured: mmap +
// XOR and pread into a cache-sized buffer + XOR, both on all cores; ratios are to the faster.
//
// Options: --size 4GiB (database bytes of the corpus), --generations 200, --rounds 7,
// --corpus DIR (reuse or create the corpus there), --window BYTES (the checker's pread
// window), --kernels-only (only the checksum kernels), --allow-debug. `ese-bench records [DIR]`
// measures the log record walker alone, on one core (RecordWalkBenchmark.swift: records.GBps);
// `ese-bench rate` how exactly --max-rate holds a read rate (RateBenchmark.swift);
// `ese-bench pagetimes`, `ese-bench structure` and `ese-bench hash` run one of those figures alone
// (`hash`: what the manifest's whole-file hash adds to `check`, HashBenchmark.swift).

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

/// A size argument (`4GiB`, `256KiB`, see `ByteSize`); a size that cannot be read ends the run.
func bytes(_ text: String) -> UInt64 {
    guard let value = ByteSize.parse(text) else {
        note("cannot read size '\(text)' (examples: 512MiB, 4GiB)")
        exit(2)
    }
    return value
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
let builtForDebugging = true
#else
let builtForDebugging = false
#endif
// --allow-debug runs a debug build anyway, to work on the harness itself; its figures mean nothing.
if builtForDebugging && !arguments.contains("--allow-debug") {
    note("ese-bench measures release builds only: run `swift run -c release ese-bench`")
    exit(2)
}

func gigabytesPerSecond(_ bytes: Int, _ seconds: Double) -> Double { Double(bytes) / seconds / 1e9 }

if arguments.first == "rate" { RateBenchmark.run(arguments); exit(0) }   // --max-rate's accuracy (RateBenchmark.swift)

// `ese-bench records [DIR] [--rounds N]`: the log record walker alone, on one core.
// `ese-bench loop DIR PAGESIZE SECONDS [--mmap]`: checks the corpus's databases of one page size
// again and again, for a profiler to sample (`perf record`); prints the rate.
if arguments.first == "loop", arguments.count >= 4 {
    let loopCorpus = BenchCorpus(directory: arguments[1], totalBytes: bytes(option("--size") ?? "1GiB"), generations: 50)
    let paths = loopCorpus.paths(pageSize: Int(arguments[2]) ?? 8192)
    let method: ReadMethod = arguments.contains("--mmap") ? .mapped : .positional
    var loopOptions = CheckOptions(readMethod: method)
    loopOptions.verifyStructure = !arguments.contains("--no-structure")
    let seconds = Double(arguments[3]) ?? 10
    let start = Date()
    var checked = 0
    let ceiling = arguments.contains("--ceiling")
    while Date().timeIntervalSince(start) < seconds {
        if ceiling {
            checked += Measure.preadXORCeiling(paths, threads: ProcessInfo.processInfo.activeProcessorCount,
                                               bufferBytes: loopOptions.windowBytes).bytes
        } else {
            checked += DatabaseChecker(options: loopOptions).check(paths).reduce(0) { $0 + Int($1.bytesRead) }
        }
    }
    emit("loop.GBps", gigabytesPerSecond(checked, Date().timeIntervalSince(start)))
    exit(0)
}

// `ese-bench pagetimes-loop DIR on|off SECONDS`: checks the page-time corpus again and again
// with redo's database-time check on or off, for a profiler to compare.
if arguments.first == "pagetimes-loop", arguments.count >= 4 {
    var loopOptions = CheckOptions()
    loopOptions.comparePageTimes = arguments[2] == "on"
    let seconds = Double(arguments[3]) ?? 10
    let start = Date()
    var runs = 0
    while Date().timeIntervalSince(start) < seconds {
        _ = StorageGroupChecker(options: loopOptions).check(directory: arguments[1])
        runs += 1
    }
    emit("loop.msPerRun", Date().timeIntervalSince(start) * 1000 / Double(runs))
    exit(0)
}

if arguments.first == "records" {
    let root = arguments.count > 1 && !arguments[1].hasPrefix("--") ? arguments[1] : "../shared/corpus/real"
    RecordWalkBenchmark.run(root: root, rounds: max(1, Int(option("--rounds") ?? "9") ?? 9))
    exit(0)
}

let kernelsOnly = arguments.contains("--kernels-only")
/// `--checker-only`: only the two ceilings and the checker over the databases (the read-speed figures).
let checkerOnly = arguments.contains("--checker-only")
let hashOnly = arguments.first == "hash"   // `ese-bench hash`: the manifest hash's cost alone (HashBenchmark.swift)
let size = bytes(option("--size") ?? "4GiB")
let generations = Int(option("--generations") ?? "200") ?? 200
let rounds = max(1, Int(option("--rounds") ?? "7") ?? 7)
/// The pread window of the checker (CheckOptions.windowBytes); the library default unless given.
let window = option("--window").map { Int(bytes($0)) } ?? CheckOptions().windowBytes
let directory = option("--corpus") ?? (NSTemporaryDirectory() + "esecheck-bench-corpus")
let cores = ProcessInfo.processInfo.activeProcessorCount
let corpus = BenchCorpus(directory: directory, totalBytes: size, generations: generations)
// `ese-bench pagetimes` / `ese-bench structure` (with --size, --generations, --rounds, --corpus):
// one figure alone, without the ceilings, the kernels and the memory probes.
if arguments.first == "pagetimes" {
    PageTimeBenchmark.run(corpus, rounds: rounds, window: window)
    exit(0)
}
if arguments.first == "structure" {
    do { try corpus.prepare(log: note) } catch {
        note("cannot prepare the corpus: \(error)")
        exit(1)
    }
    _ = Measure.warm(corpus.allFiles)
    StructureBenchmark.runAll(corpus.allDatabases, rounds: rounds, window: window)
    exit(0)
}
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
if hashOnly {
    HashBenchmark.run(corpus, window: window, rounds: rounds)
    exit(0)
}

// Whole-corpus verification against two same-run ceilings, per page size: the files mapped
// and XOR-reduced, and the files read with pread into a cache-sized buffer per thread and
// XOR-reduced (all cores, the same XOR loop). The checker runs with each read method; the
// four runs rotate round by round, and each ratio is the median over rounds of (the faster
// ceiling's time that round) / (the checker's time).
for (label, paths) in [("8k", corpus.paths(pageSize: 8192)), ("32k", corpus.paths(pageSize: 32768))] {
    var checked = 0
    var pages = 0
    var passed = true
    let times = Measure.interleaved(rounds: rounds, [
        { checked = Measure.mappedXORCeiling(paths, threads: cores).bytes },
        { _ = Measure.preadXORCeiling(paths, threads: cores, bufferBytes: window) },
        {
            let reports = DatabaseChecker(options: CheckOptions(readMethod: .positional, windowBytes: window)).check(paths)
            pages = reports.reduce(0) { $0 + $1.pages.total }
            passed = passed && reports.allSatisfy(\.passed)
        },
        {
            let reports = DatabaseChecker(options: CheckOptions(readMethod: .mapped, windowBytes: window)).check(paths)
            passed = passed && reports.allSatisfy(\.passed)
        },
    ])
    if !passed { note("warning: the \(label) databases did not verify clean") }
    let faster = zip(times[0], times[1]).map { min($0, $1) }
    emit("ceiling.\(label).mmap.GBps", gigabytesPerSecond(checked, Measure.median(times[0])))
    emit("ceiling.\(label).pread.GBps", gigabytesPerSecond(checked, Measure.median(times[1])))
    emit("ceiling.\(label).preadToMmap.ratio", Measure.medianRatio(times[0], times[1]))
    emit("ceiling.\(label).GBps", gigabytesPerSecond(checked, Measure.median(faster)))
    for (method, index) in [("positional", 2), ("mapped", 3)] {
        emit("checker.\(label).\(method).GBps", gigabytesPerSecond(checked, Measure.median(times[index])))
        emit("checker.\(label).\(method).ratio", Measure.medianRatio(faster, times[index]))
    }
    let chosen = CheckOptions().readMethod == .mapped ? 3 : 2
    emit("checker.\(label).GBps", gigabytesPerSecond(checked, Measure.median(times[chosen])))
    emit("checker.\(label).ratio", Measure.medianRatio(faster, times[chosen]))
    emit("checker.\(label).pagesPerSecond", Double(pages) / Measure.median(times[chosen]), digits: 0)
}

if checkerOnly { exit(0) }

// The whole storage group: every database and every log, one verdict, against the faster
// of the two ceilings over the same files.
do {
    var total = 0
    var verdict = Verdict.unreadable
    let times = Measure.interleaved(rounds: rounds, [
        { total = Measure.mappedXORCeiling(corpus.allFiles, threads: cores).bytes },
        { _ = Measure.preadXORCeiling(corpus.allFiles, threads: cores, bufferBytes: window) },
        { verdict = StorageGroupChecker(options: CheckOptions(windowBytes: window)).check(directory: corpus.directory).verdict },
    ])
    if verdict != .recoverable { note("warning: the storage group verdict is \(verdict.rawValue), expected recoverable") }
    let faster = zip(times[0], times[1]).map { min($0, $1) }
    emit("ceiling.storageGroup.GBps", gigabytesPerSecond(total, Measure.median(faster)))
    emit("checker.storageGroup.GBps", gigabytesPerSecond(total, Measure.median(times[2])))
    emit("checker.storageGroup.ratio", Measure.medianRatio(faster, times[2]))
}

PageTimeBenchmark.run(corpus, rounds: rounds, window: window)  // redo's dbtime check: its share of `check`
StructureBenchmark.runAll(corpus.allDatabases, rounds: rounds, window: window)
HashBenchmark.run(corpus, window: window, rounds: rounds)

// Two cores against one.
if cores >= 2 {
    let paths = corpus.allDatabases
    let bytes = paths.reduce(0) { $0 + Int((try? ReadOnlyFile(path: $1).size) ?? 0) }
    let run = Measure.paired(rounds: rounds, baseline: {
        _ = DatabaseChecker(options: CheckOptions(concurrency: 1, windowBytes: window)).check(paths)
    }, candidate: {
        _ = DatabaseChecker(options: CheckOptions(concurrency: 2, windowBytes: window)).check(paths)
    })
    emit("scaling.1core.GBps", gigabytesPerSecond(bytes, run.baseline))
    emit("scaling.2cores.GBps", gigabytesPerSecond(bytes, run.candidate))
    emit("scaling.ratio", run.ratio)
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
    /// Runs an XOR-reduce (never inlined, so each is one call per page) over every page.
    func reduceEveryPage(_ reduce: (RawSpan) -> UInt32) {
        let span = buffer.span.bytes
        for _ in 0..<repeats {
            for page in 0..<pages { sink &+= UInt64(reduce(span.extracting(page * pageSize..<(page + 1) * pageSize))) }
        }
    }
    func xorPlain() { reduceEveryPage(Measure.plainXORLoop) }
    func xorTuned() { reduceEveryPage(Measure.xorReduce) }
    func eccKernel() {
        let span = buffer.span.bytes
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
    func pageCheck() {
        let span = buffer.span.bytes
        good = 0
        for _ in 0..<repeats {
            for page in 0..<pages {
                if let check = try? PageVerifier.check(span.extracting(page * pageSize..<(page + 1) * pageSize),
                                                       pageNumber: UInt32(page + 1), layout: layout), check.outcome == .ok { good += 1 }
            }
        }
    }
    // Each candidate alternates with its baseline round by round; ratios are medians of the
    // per-round ratios.
    let kernel = Measure.paired(rounds: rounds + 2, baseline: xorPlain, candidate: eccKernel)
    let tuned = Measure.paired(rounds: rounds + 2, baseline: xorTuned, candidate: eccKernel)
    let verify = Measure.paired(rounds: rounds + 2, baseline: xorPlain, candidate: pageCheck)
    if good != pages * repeats { note("warning: kernel pages did not verify") }
    let processed = bufferBytes * repeats
    let label = "kernel.\(pageSize / 1024)k"
    emit("\(label).xorLoop.GBps", gigabytesPerSecond(processed, kernel.baseline))
    emit("\(label).xorTunedSIMD.GBps", gigabytesPerSecond(processed, tuned.baseline))
    emit("\(label).eccChecksum.GBps", gigabytesPerSecond(processed, kernel.candidate))
    emit("\(label).eccChecksum.ratio", kernel.ratio)
    emit("\(label).eccChecksum.ratioToTunedSIMD", tuned.ratio)
    emit("\(label).pageCheck.GBps", gigabytesPerSecond(processed, verify.candidate))
    emit("\(label).pageCheck.ratio", verify.ratio)
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
