/// Byte sizes as people type them on a command line: `4096`, `512MiB`, `10GiB`, `1.5GB`,
/// `100M`. Binary suffixes (KiB…TiB, and K/M/G/T alone) count in 1024s, decimal ones
/// (kB…TB) in 1000s; case does not matter.
public enum ByteSize {
    private static let units: [(suffix: String, factor: Double)] = {
        let kibi = 1024.0
        return [("tib", kibi * kibi * kibi * kibi), ("gib", kibi * kibi * kibi), ("mib", kibi * kibi), ("kib", kibi),
                ("tb", 1e12), ("gb", 1e9), ("mb", 1e6), ("kb", 1e3),
                ("t", kibi * kibi * kibi * kibi), ("g", kibi * kibi * kibi), ("m", kibi * kibi), ("k", kibi), ("b", 1)]
    }()

    /// The largest size accepted: 2^53 bytes (8 PiB), below which every size is exact as a
    /// `Double` and arithmetic on it cannot overflow.
    public static let maximum: UInt64 = 1 << 53

    /// The number of bytes `text` names; nil unless it is a size from 1 byte to `maximum`.
    public static func parse(_ text: String) -> UInt64? {
        let lower = text.lowercased()
        if let number = UInt64(lower) { return number > 0 && number <= maximum ? number : nil }
        for unit in units where lower.hasSuffix(unit.suffix) {
            guard let number = Double(lower.dropLast(unit.suffix.count)) else { return nil }
            let bytes = number * unit.factor
            // Checked before converting: an out-of-range Double would trap in UInt64(_:).
            guard bytes.isFinite, bytes >= 1, bytes <= Double(maximum) else { return nil }
            return UInt64(bytes)
        }
        return nil
    }
}
