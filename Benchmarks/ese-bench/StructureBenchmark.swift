import ESECheck
import Foundation

/// The cost of the structure walk (issue 14, point 6: at most 1.2× the pages-only check):
/// `DatabaseChecker` with the walk and without it (`verifyStructure` false), in alternating
/// rounds on the same files. Prints `structure.ratio` (median over rounds of the time with the
/// walk / the time without: ≤ 1.2 is the target), the two times, and how many databases the
/// walk ran on (`structure.walked`: the generator writes walkable trees, so every generated
/// database). Also on the real databases of ../shared/corpus/real when present
/// (`structure.real.ratio`). `ese-bench structure` runs this figure alone.
enum StructureBenchmark {
    /// The generated corpus, then the real databases.
    static func runAll(_ paths: [String], rounds: Int, window: Int) {
        run(paths, label: "structure", rounds: rounds, window: window)
        run(realDatabases(), label: "structure.real", rounds: max(rounds, 15), window: window)
    }

    static func run(_ paths: [String], label: String, rounds: Int, window: Int) {
        guard !paths.isEmpty else { return }
        var withWalk = CheckOptions(windowBytes: window)
        withWalk.verifyStructure = true
        var pagesOnly = CheckOptions(windowBytes: window)
        pagesOnly.verifyStructure = false
        var walked = 0
        let run = Measure.paired(rounds: rounds, baseline: {
            _ = DatabaseChecker(options: pagesOnly).check(paths)
        }, candidate: {
            walked = DatabaseChecker(options: withWalk).check(paths).filter { $0.structure?.checked == true }.count
        })
        emit("\(label).pagesOnly.seconds", run.baseline, digits: 4)
        emit("\(label).withStructure.seconds", run.candidate, digits: 4)
        emit("\(label).ratio", 1 / run.ratio)
        emit("\(label).walked", walked)
    }

    /// The databases of the real corpus, when it is present.
    static func realDatabases(_ root: String = "../shared/corpus/real") -> [String] {
        let names = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        return names.filter { name in [".edb", ".dat", ".mdb", ".db"].contains { name.hasSuffix($0) } }.sorted().map { root + "/" + $0 }
    }
}
