import ESECheck
import ESECorpus
import Foundation

/// The cost of redo's database-time check (issue 19 point 6: ≤ 5 % of `check`). The main
/// corpus mixes 8 KiB and 32 KiB databases, which soft recovery refuses (−1213), so nothing
/// would be compared there: this measures its own recoverable storage group — two 8 KiB-page
/// databases of half the corpus size, the same logs, whose replay span's page records change
/// the databases' in-use pages as the pages expect (`StorageGroupSpec.realPageReferences`: every
/// in-use page is referenced once the span has more page records than the databases have
/// pages) — checked whole with and without the check
/// (`CheckOptions.comparePageTimes`), alternating round by round. Prints
/// `pageTimes.referenced` (pages the replay span's records change), `pageTimes.compared`,
/// both throughputs and `pageTimes.overhead.ratio` (median per-round time with / time without;
/// the limit is 1.05).
enum PageTimeBenchmark {
    static func spec(_ corpus: BenchCorpus) -> StorageGroupSpec {
        var spec = StorageGroupSpec(databases: [
            .init(name: "mailbox08a.edb", pageSize: 8192, pageCount: Int(corpus.totalBytes / 4 / 8192) - 2, usedFraction: 0.9),
            .init(name: "mailbox08b.edb", pageSize: 8192, pageCount: Int(corpus.totalBytes / 4 / 8192) - 2, usedFraction: 0.9),
        ])
        spec.generations = corpus.generations
        spec.logFileSectors = 256
        spec.dirty = true
        spec.seed = 2026
        spec.realPageReferences = true
        return spec
    }

    static func run(_ corpus: BenchCorpus, rounds: Int, window: Int) {
        let directory = corpus.directory + "-pagetimes"
        let marker = directory + "/bench-corpus.txt"
        let description = "bytes=\(corpus.totalBytes / 2) generations=\(corpus.generations) seed=2026 version=4 realPageReferences"
        if (try? String(contentsOfFile: marker, encoding: .utf8)) != description {
            try? FileManager.default.removeItem(atPath: directory)
            do {
                try StorageGroupWriter.write(spec(corpus), to: directory, threads: ProcessInfo.processInfo.activeProcessorCount)
                try description.write(toFile: marker, atomically: true, encoding: .utf8)
            } catch {
                note("pageTimes: cannot write the corpus: \(error)")
                return
            }
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map { directory + "/" + $0 }
        let bytes = files.reduce(0) { $0 + Int((try? ReadOnlyFile(path: $1).size) ?? 0) }
        _ = Measure.warm(files)
        var referenced = 0, compared = 0
        var verdicts: Set<Verdict> = []
        let run = Measure.paired(rounds: rounds, baseline: {
            var options = CheckOptions(windowBytes: window)
            options.comparePageTimes = false
            verdicts.insert(StorageGroupChecker(options: options).check(directory: directory).verdict)
        }, candidate: {
            let report = StorageGroupChecker(options: CheckOptions(windowBytes: window)).check(directory: directory)
            referenced = report.databases.reduce(0) { $0 + ($1.pageTimes?.pagesReferenced ?? 0) }
            compared = report.databases.reduce(0) { $0 + ($1.pageTimes?.pagesCompared ?? 0) }
            verdicts.insert(report.verdict)
        })
        if verdicts != [.recoverable] { note("warning: pageTimes verdicts \(verdicts.map(\.rawValue)), expected recoverable") }
        emit("pageTimes.referenced", referenced)
        emit("pageTimes.compared", compared)
        emit("pageTimes.without.GBps", gigabytesPerSecond(bytes, run.baseline))
        emit("pageTimes.with.GBps", gigabytesPerSecond(bytes, run.candidate))
        emit("pageTimes.overhead.ratio", 1 / run.ratio)
    }
}
