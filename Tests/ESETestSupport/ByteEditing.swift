extension Array where Element == UInt8 {
    /// Stores `value` little-endian at `offset`.
    public mutating func storeLE<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for index in 0..<MemoryLayout<T>.size {
            self[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
        }
    }

    /// Loads a little-endian `T` from `offset`.
    public func loadLE<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value |= T(self[offset + index]) << (8 * index) }
        return value
    }

    /// Flips bit `bit` (byte × 8 + bit, least significant first).
    public mutating func flipBit(_ bit: Int) { self[bit / 8] ^= UInt8(1 << (bit % 8)) }
}
