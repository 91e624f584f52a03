import ESECheck
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the CLI writes: results to stdout, progress and errors to stderr.
///
/// Writes go through `write(2)` directly (retrying `EINTR` and partial writes), never through
/// `FileHandle.write`, which traps when the descriptor is closed or the device is full.
/// Results that cannot be written end the run with exit status 4 (`outputFailed`); a
/// message that cannot be written to stderr is dropped (there is nowhere left to say so).
struct Console {
    /// Writes a line of results to stdout; exits with status 4 when it cannot be written.
    func out(_ text: String) {
        if let failure = Self.write(text + "\n", to: 1) {
            _ = Self.write("ese-verify: cannot write the results to standard output: \(String(cString: strerror(failure))) (errno \(failure))\n", to: 2)
            exit(ExitStatus.outputFailed.rawValue)
        }
    }

    /// Writes a line to stderr (errors, usage); dropped when stderr cannot be written.
    func error(_ text: String) {
        _ = Self.write(text + "\n", to: 2)
    }

    /// Writes all of `text` to `descriptor`: the `errno` of the failure, nil when written.
    /// The bytes are those the text stands for (`PathEncoding`), so a name that is not UTF-8
    /// reaches the terminal as it is on disk only where a caller chose not to escape it.
    static func write(_ text: String, to descriptor: Int32) -> Int32? {
        let bytes = PathEncoding.bytes(of: text)
        return bytes.withUnsafeBytes { buffer -> Int32? in
            var done = 0
            while done < buffer.count {
                let result = systemWrite(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if result > 0 {
                    done += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    return result < 0 ? errno : EIO
                }
            }
            return nil
        }
    }

    /// Runs `work`, showing a progress line on stderr every half second when stderr is a
    /// terminal and `quiet` is false; erases it afterwards. With `json`, writes one JSON line
    /// per second to stderr instead, terminal or not (`ProgressLine`).
    func withProgress<R>(_ progress: CheckProgress, quiet: Bool, json: Bool = false, _ work: () -> R) -> R {
        if json, !quiet { return ProgressLine.reporting(progress, work) }
        guard !quiet, isatty(2) == 1 else { return work() }
        let start = Date()
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler {
            let line = Console.progressLine(progress, elapsed: Date().timeIntervalSince(start))
            _ = Console.write("\r\u{1B}[K" + line, to: 2)
        }
        timer.resume()
        let result = work()
        timer.cancel()
        _ = Console.write("\r\u{1B}[K", to: 2)
        return result
    }

    static func progressLine(_ progress: CheckProgress, elapsed: Double) -> String {
        // The plan can trail the work (a file that grew); never print more than 100 % or a negative ETA.
        let done = Double(progress.bytesDone), planned = Double(max(progress.bytesPlanned, progress.bytesDone, 1))
        let rate = elapsed > 0 ? done / elapsed : 0
        let remaining = rate > 0 ? (planned - done) / rate : 0
        let percent = Int(100 * done / planned)
        // Per file: the files being read now (at most two, so the line fits a terminal).
        let reading = progress.fileProgress.filter { $0.bytesDone > 0 && $0.bytesDone < $0.bytesPlanned }.prefix(2).map { file in
            let name = PathEncoding.displayed(String(file.name.split(separator: "/").last ?? Substring(file.name)))
            let left = rate > 0 ? ", \(Int((Double(file.bytesPlanned - file.bytesDone) / rate).rounded()))s" : ""
            return "\(name) \(100 * file.bytesDone / max(file.bytesPlanned, 1))%\(left)"
        }
        return "\(formatBytes(done)) of \(formatBytes(planned)) (\(percent)%), files \(progress.filesDone)/\(progress.filesPlanned), "
            + "\(formatBytes(rate))/s, ETA \(Int(remaining.rounded()))s" + (reading.isEmpty ? "" : " | " + reading.joined(separator: " | "))
    }

    static func formatBytes(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = bytes, unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: unit == 0 ? "%.0f %@" : "%.1f %@", value, units[unit])
    }

    /// Whether `path` is a directory, by its exact bytes (FileManager would re-encode a name
    /// that is not UTF-8 and look at another path).
    static func isDirectory(_ path: String) -> Bool { DirectoryDiscovery.isDirectory(path) }

    static func isRegularFile(_ path: String) -> Bool { DirectoryDiscovery.isRegularFile(path) }

    static func throughputLine(bytes: UInt64, seconds: Double) -> String {
        let megabytes = Double(bytes) / 1_048_576
        let rate = seconds > 0 ? megabytes / seconds : 0
        return String(format: "%.1f MB read, %.3f seconds taken, %.1f MB/second", megabytes, seconds, rate)
    }
}

/// The C library's `write(2)`, under a name `Console.write` does not shadow.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #elseif canImport(Musl)
    Musl.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}
