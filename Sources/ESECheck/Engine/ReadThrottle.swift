/// A token bucket shared by every reader thread of a check (`--max-rate`): each read takes
/// its bytes from the bucket, which refills at `bytesPerSecond`; a read that overdraws it
/// sleeps until the debt is paid, so the threads together hold the rate however many there
/// are. The bucket holds at most a tenth of a second of credit, so an idle pause cannot be
/// spent as a burst afterwards.
final class ReadThrottle: Sendable {
    /// The rate to hold, in bytes per second.
    let bytesPerSecond: Double

    private struct Bucket {
        /// Credit in bytes; negative while reads wait for it.
        var balance: Double = 0
        var last = ContinuousClock.now
    }

    private let bucket = Locked(Bucket())
    private let sleeper: @Sendable (Double) -> Void

    /// A throttle holding `bytesPerSecond`; `sleep` is replaceable for tests.
    init(bytesPerSecond: Int, sleep: @escaping @Sendable (Double) -> Void = { SystemCalls.sleep(seconds: $0) }) {
        self.bytesPerSecond = Double(max(1, bytesPerSecond))
        sleeper = sleep
    }

    /// Takes `bytes` from the bucket, sleeping first when they are not there yet.
    func acquire(bytes: Int) {
        let wait = bucket.withLock { bucket -> Double in
            let now = ContinuousClock.now
            let elapsed = bucket.last.duration(to: now)
            bucket.last = now
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.balance = min(bucket.balance + seconds * bytesPerSecond, bytesPerSecond / 10)
            bucket.balance -= Double(bytes)
            return bucket.balance < 0 ? -bucket.balance / bytesPerSecond : 0
        }
        if wait > 0 { sleeper(wait) }
    }
}
