import ESECheck
import Foundation

/// The options of a long verification, shared by `db` and `check`: `--retries`, `--max-rate`,
/// `--pages`, `--recheck`, `--fail-fast`, `--progress` and `--state`.
enum OperationOptions {
    /// Flags (no value).
    static let flags: Set<String> = ["--fail-fast"]
    /// Options (one value).
    static let options: Set<String> = ["--retries", "--max-rate", "--pages", "--recheck", "--progress", "--state"]

    /// The usage lines.
    static let usage = """
          --retries N  read a page that fails its checksum again up to N times (default \(CheckOptions.defaultRetries));
                       a page whose bytes change between reads is "unstable" (a live file was
                       copied), not "corrupt"; 0 condemns at the first read
          --max-rate R read at most R per second over all threads (200MB/s, 50MiB/s, 1GB/s;
                       bytes when no unit is given), to spare a production server
          --pages A-B  check only pages A to B (ESE page numbers; also A- and A); the rest is
                       "not verified", so the verdict is at best incomplete
          --recheck REPORT.json  check only the pages an earlier --json report named (findings,
                       unstable pages, read failures), e.g. after replacing them
          --fail-fast  stop reading at the first bad or unstable page or read failure; the
                       report says where it stopped (scope)
          --progress=json  one JSON line per second on stderr: bytes done and total, rate, ETA
          --state FILE save progress to FILE (every 5 s at most, and at the end); run again with
                       the same FILE to continue where the last run stopped. Refused (exit 3)
                       when a file changed, or FILE is from other options or other files
        """

    /// Applies the parsed options to `options`.
    static func apply(_ parsed: Arguments, to options: inout CheckOptions) throws(Arguments.UsageError) {
        options.retries = try parsed.integer("--retries", in: 0...100) ?? CheckOptions.defaultRetries
        if let text = parsed.value("--max-rate") {
            guard let rate = ReadRate.bytesPerSecond(text) else {
                throw Arguments.UsageError(message: "--max-rate needs a rate such as 200MB/s, 50MiB/s or 1GB/s, got '\(text)'")
            }
            options.maxBytesPerSecond = rate
        }
        options.failFast = parsed.has("--fail-fast")
        if let text = parsed.value("--pages") {
            guard parsed.value("--recheck") == nil else { throw Arguments.UsageError(message: "--pages and --recheck cannot be combined") }
            guard let range = pageRange(text) else {
                throw Arguments.UsageError(message: "--pages needs a range of page numbers such as 1-1000, 500- or 42, got '\(text)'")
            }
            options.pageSelection = PageSelection(origin: .range, ranges: [range])
        }
        if let path = parsed.value("--recheck") { options.pageSelection = try RecheckList.selection(fromReport: path) }
        options.stateFile = parsed.value("--state")
        if let progress = parsed.value("--progress"), progress != "json", progress != "text" {
            throw Arguments.UsageError(message: "--progress must be json or text, got '\(progress)'")
        }
    }

    /// `A-B`, `A-` (to the end) or `A`: logical page numbers from 1.
    static func pageRange(_ text: String) -> ClosedRange<UInt32>? {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let low = UInt32(parts[0]), low >= 1 else { return nil }
        guard parts.count == 2 else { return low...low }
        if parts[1].isEmpty { return low...UInt32.max }
        guard let high = UInt32(parts[1]), high >= low else { return nil }
        return low...high
    }
}
