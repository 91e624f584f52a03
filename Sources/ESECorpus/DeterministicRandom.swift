/// A fast deterministic generator (xorshift64*): the same seed gives the same corpus on
/// every machine.
public struct DeterministicRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; any seed (including 0) is valid.
    public init(seed: UInt64) { state = (seed ^ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9 | 1 }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// A value in `0..<bound`.
    public mutating func next(below bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    /// A generator for a sub-stream (a file, a page) that does not disturb this one's sequence.
    public func derived(_ salt: UInt64) -> DeterministicRandom {
        DeterministicRandom(seed: state ^ (salt &* 0xD6E8_FEB8_6659_FD93))
    }
}
