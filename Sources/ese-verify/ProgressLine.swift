import ESECheck
import Foundation

/// `--progress=json`: one JSON object per line on stderr, every second while a check runs
/// and once when it ends (`"finished": true`), for programs that show progress in their own
/// interface. Fields: `elapsedSeconds`, `bytesDone`, `bytesTotal`, `bytesPerSecond`,
/// `etaSeconds` (null until there is a rate), `filesDone`, `filesTotal`, and `files`: per
/// file `path`, `bytesDone`, `bytesTotal`, `etaSeconds`.
enum ProgressLine {
    /// Runs `work`, writing a line every second and a last one when it returns.
    static func reporting<R>(_ progress: CheckProgress, _ work: () -> R) -> R {
        let start = Date()
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler {
            _ = Console.write(line(progress, elapsed: Date().timeIntervalSince(start), finished: false) + "\n", to: 2)
        }
        timer.resume()
        let result = work()
        timer.cancel()
        _ = Console.write(line(progress, elapsed: Date().timeIntervalSince(start), finished: true) + "\n", to: 2)
        return result
    }

    /// One line: the totals and each file.
    static func line(_ progress: CheckProgress, elapsed: Double, finished: Bool) -> String {
        // The plan can trail the work (a file that grew): the total is never below what is done.
        let done = progress.bytesDone, total = max(progress.bytesPlanned, done)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        func eta(_ remaining: Int) -> JSONValue { rate > 0 ? .number(Int((Double(remaining) / rate).rounded(.up))) : .null }
        let files = progress.fileProgress.map { file -> JSONValue in
            let total = max(file.bytesPlanned, file.bytesDone)
            return .object(["path": .string(file.name), "bytesDone": .number(file.bytesDone), "bytesTotal": .number(total),
                            "etaSeconds": eta(total - file.bytesDone)])
        }
        return JSONValue.object([
            "elapsedSeconds": .number(Int(elapsed.rounded())), "bytesDone": .number(done), "bytesTotal": .number(total),
            "bytesPerSecond": .number(Int(rate)), "etaSeconds": finished ? .number(0) : eta(total - done),
            "filesDone": .number(progress.filesDone), "filesTotal": .number(progress.filesPlanned),
            "files": .array(files), "finished": .bool(finished),
        ]).serialized(pretty: false)
    }
}
