import ESECheck
import Foundation

/// Where the CLI writes: results to stdout, progress and errors to stderr.
struct Console {
    func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Runs `work`, showing a progress line on stderr every half second when stderr is a
    /// terminal and `quiet` is false; erases it afterwards.
    func withProgress<R>(_ progress: CheckProgress, quiet: Bool, _ work: () -> R) -> R {
        guard !quiet, isatty(2) == 1 else { return work() }
        let start = Date()
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler {
            let line = Console.progressLine(progress, elapsed: Date().timeIntervalSince(start))
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        }
        timer.resume()
        let result = work()
        timer.cancel()
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        return result
    }

    static func progressLine(_ progress: CheckProgress, elapsed: Double) -> String {
        // The plan can trail the work (a file that grew); never print more than 100 % or a negative ETA.
        let done = Double(progress.bytesDone), planned = Double(max(progress.bytesPlanned, progress.bytesDone, 1))
        let rate = elapsed > 0 ? done / elapsed : 0
        let remaining = rate > 0 ? (planned - done) / rate : 0
        let percent = Int(100 * done / planned)
        return "\(formatBytes(done)) of \(formatBytes(planned)) (\(percent)%), files \(progress.filesDone)/\(progress.filesPlanned), "
            + "\(formatBytes(rate))/s, ETA \(Int(remaining.rounded()))s"
    }

    static func formatBytes(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = bytes, unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: unit == 0 ? "%.0f %@" : "%.1f %@", value, units[unit])
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    static func throughputLine(bytes: UInt64, seconds: Double) -> String {
        let megabytes = Double(bytes) / 1_048_576
        let rate = seconds > 0 ? megabytes / seconds : 0
        return String(format: "%.1f MB read, %.3f seconds taken, %.1f MB/second", megabytes, seconds, rate)
    }
}
