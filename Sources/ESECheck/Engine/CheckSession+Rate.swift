extension CheckSession {
    /// Holds the calling thread until the session's read rate (`CheckOptions.maxBytesPerSecond`,
    /// `--max-rate`) admits `bytes` more; returns at once without a limit. For callers that read
    /// pages themselves and hand them to `checkPages` (the C API's `esecheck_set_max_rate`): the
    /// same token bucket the library's own readers share.
    public func waitForReadBudget(bytes: Int) {
        guard bytes > 0 else { return }
        options.throttle?.acquire(bytes: bytes)
    }
}
