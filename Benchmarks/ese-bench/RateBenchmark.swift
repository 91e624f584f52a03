import ESECheck
import ESECorpus
import ESEFormat
import Foundation

/// `ese-bench rate [--rates 100MB/s,400MB/s] [--seconds 12] [--jobs N]`: how exactly
/// `--max-rate` holds the asked rate (issue 17: within ±10 % over any run of 10 s or more).
/// A 256 MiB database (kept warm in the page cache, so the disk is not the limit) is checked
/// over and over with one `CheckOptions` — one token bucket shared by every reader thread
/// and every pass — until `seconds` have passed. Prints `rate.<asked>.achievedBps` and
/// `rate.<asked>.ratio` (achieved / asked, 1.000 is exact).
enum RateBenchmark {
    static func run(_ arguments: [String]) {
        func value(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let rates = (value("--rates") ?? "100MB/s,400MB/s").split(separator: ",").map(String.init)
        let seconds = Double(value("--seconds") ?? "12") ?? 12
        let jobs = Int(value("--jobs") ?? "0") ?? 0
        let path = NSTemporaryDirectory() + "esecheck-bench-rate.edb"
        if (try? ReadOnlyFile(path: path).size) != 256 << 20 {
            let signature = Signature(random: 1, creationTime: LogTime(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))
            let header = DatabaseHeaderFields(pageSize: 8192, databaseSignature: signature, logSignature: signature)
            do {
                try DatabaseWriter.write(DatabaseSpec(header: header, pageCount: (256 << 20) / 8192 - 2, usedFraction: 0.8, seed: 7), to: path)
            } catch {
                note("rate: cannot write \(path): \(error)")
                exit(1)
            }
        }
        _ = DatabaseChecker().check(path)   // warm the page cache
        for text in rates {
            guard let rate = ReadRate.bytesPerSecond(text) else {
                note("rate: cannot read the rate '\(text)'")
                exit(2)
            }
            var options = CheckOptions(concurrency: jobs)
            options.maxBytesPerSecond = rate
            let checker = DatabaseChecker(options: options)
            let start = Date()
            var bytes: UInt64 = 0
            while Date().timeIntervalSince(start) < seconds { bytes += checker.check(path).bytesRead }
            let achieved = Double(bytes) / Date().timeIntervalSince(start)
            let name = text.replacingOccurrences(of: "/", with: "")
            emit("rate.\(name).achievedBps", Int(achieved))
            emit("rate.\(name).ratio", achieved / Double(rate))
        }
    }
}
