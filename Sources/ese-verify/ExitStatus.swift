import ESECheck

/// The documented exit statuses of `ese-verify`.
enum ExitStatus: Int32 {
    /// Everything checked is consistent.
    case success = 0
    /// Problems were found: corruption, missing or damaged logs.
    case problemsFound = 1
    /// The command line was wrong.
    case usageError = 2
    /// Some input could not be read at all.
    case unreadableInput = 3
    /// The results could not be written: standard output was closed, a pipe's reader went
    /// away (EPIPE), or the device was full (ENOSPC).
    case outputFailed = 4
}

extension ExitStatus {
    /// The exit status of a check's outcome (`CheckStatus` decides; its raw values are the
    /// exit statuses).
    init(_ status: CheckStatus) {
        switch status {
        case .passed: self = .success
        case .problemsFound: self = .problemsFound
        case .unreadableInput: self = .unreadableInput
        }
    }
}
