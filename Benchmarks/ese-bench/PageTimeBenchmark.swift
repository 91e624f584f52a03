import ESECheck
import Foundation

/// The cost of redo's database-time check (issue 19 point 6: ≤ 5 % of `check`): the whole
/// storage group checked with and without it (`CheckOptions.comparePageTimes`), alternating
/// round by round. Prints `pageTimes.referenced` (pages the replay span's records change),
/// `pageTimes.compared`, `pageTimes.overhead.ratio` (median of per-round time with / time
/// without; 1.05 is the limit) and both throughputs.
enum PageTimeBenchmark {
    static func run(_ corpus: BenchCorpus, rounds: Int, window: Int) {
        let bytes = corpus.allFiles.reduce(0) { $0 + Int((try? ReadOnlyFile(path: $1).size) ?? 0) }
        var referenced = 0, compared = 0
        var verdicts: [Verdict] = []
        let run = Measure.paired(rounds: rounds, baseline: {
            var options = CheckOptions(windowBytes: window)
            options.comparePageTimes = false
            verdicts.append(StorageGroupChecker(options: options).check(directory: corpus.directory).verdict)
        }, candidate: {
            let report = StorageGroupChecker(options: CheckOptions(windowBytes: window)).check(directory: corpus.directory)
            referenced = report.databases.reduce(0) { $0 + ($1.pageTimes?.pagesReferenced ?? 0) }
            compared = report.databases.reduce(0) { $0 + ($1.pageTimes?.pagesCompared ?? 0) }
            verdicts.append(report.verdict)
        })
        if Set(verdicts).count != 1 { note("warning: the verdicts with and without the dbtime check differ: \(Set(verdicts))") }
        emit("pageTimes.referenced", referenced)
        emit("pageTimes.compared", compared)
        emit("pageTimes.without.GBps", gigabytesPerSecond(bytes, run.baseline))
        emit("pageTimes.with.GBps", gigabytesPerSecond(bytes, run.candidate))
        emit("pageTimes.overhead.ratio", 1 / run.ratio)
    }
}
