/// Rates as administrators write them (`--max-rate 200MB/s`).
public enum ReadRate {
    /// Bytes per second from a number with an optional unit: `k`, `M`, `G`, `T` are decimal
    /// (`200MB/s` is 200,000,000), `KiB`, `MiB`, `GiB`, `TiB` binary; the `B` and a trailing
    /// `/s` are optional; a bare number is bytes. Nil for anything else, or a rate below one
    /// byte per second.
    public static func bytesPerSecond(_ text: String) -> Int? {
        var rest = Substring(text.filter { $0 != " " })
        if rest.hasSuffix("/s") { rest = rest.dropLast(2) }
        let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        var unit = rest.dropFirst(number.count).lowercased()
        if unit.hasSuffix("b") { unit.removeLast() }
        let binary = unit.hasSuffix("i")
        if binary { unit.removeLast() }
        let powers = ["": 0, "k": 1, "m": 2, "g": 3, "t": 4]
        guard let value = Double(number), value > 0, let power = powers[unit], !(binary && power == 0) else { return nil }
        var bytes = value
        for _ in 0..<power { bytes *= binary ? 1024 : 1000 }
        return bytes >= 1 && bytes < 9.0e18 ? Int(bytes) : nil
    }
}
