/// A timestamp as ESE stores it. ESE: `LOGTIME` (8 bytes).
///
/// Layout: seconds, minutes, hours, day, month (1–12 as written by ESE), year − 1900,
/// then a byte holding the UTC flag (bit 0) and the low 7 bits of the milliseconds, and
/// a byte holding a reserved/OS-snapshot flag (bit 0) and the high 3 bits of the
/// milliseconds (bits 1–3). ESE compares log times byte-exactly, so equality here is
/// over the raw bytes.
public struct LogTime: Hashable, Sendable, CustomStringConvertible {
    /// Size on disk in bytes.
    public static let size = 8

    /// The eight stored bytes, exactly as on disk.
    public let rawValue: UInt64

    /// Creates a log time from its eight stored bytes (little-endian packed).
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses the log time stored at `offset` of `span`.
    public init(_ span: RawSpan, at offset: Int) {
        rawValue = span.uint64(at: offset)
    }

    /// Creates a log time from calendar fields (used by the corpus writer and tests).
    public init(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
        millisecond: Int = 0, isUTC: Bool = true, flag: Bool = false
    ) {
        let bytes: [UInt8] = [
            UInt8(clamping: second), UInt8(clamping: minute), UInt8(clamping: hour),
            UInt8(clamping: day), UInt8(clamping: month), UInt8(clamping: year - 1900),
            (isUTC ? 1 : 0) | UInt8((millisecond & 0x7F) << 1),
            (flag ? 1 : 0) | UInt8(((millisecond >> 7) & 0x7) << 1),
        ]
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        rawValue = value
    }

    private func byte(_ index: Int) -> Int { Int((rawValue >> (8 * UInt64(index))) & 0xFF) }

    /// Seconds, 0–59. ESE: `bSeconds`.
    public var second: Int { byte(0) }
    /// Minutes. ESE: `bMinutes`.
    public var minute: Int { byte(1) }
    /// Hours. ESE: `bHours`.
    public var hour: Int { byte(2) }
    /// Day of the month, 1–31. ESE: `bDay`.
    public var day: Int { byte(3) }
    /// Month, 1–12 on real files. ESE: `bMonth`.
    public var month: Int { byte(4) }
    /// Full year. ESE: `bYear` + 1900.
    public var year: Int { byte(5) + 1900 }
    /// Whether the time is UTC. ESE: `fTimeIsUTC`.
    public var isUTC: Bool { byte(6) & 1 != 0 }
    /// Milliseconds. ESE: `bMillisecondsLow | bMillisecondsHigh << 7`.
    public var millisecond: Int { (byte(6) >> 1) | (((byte(7) >> 1) & 0x7) << 7) }
    /// The reserved bit; in backup log times it marks an OS snapshot. ESE: `fReserved` / `fOSSnapshot`.
    public var flag: Bool { byte(7) & 1 != 0 }
    /// Whether all eight bytes are zero ("no time").
    public var isNull: Bool { rawValue == 0 }

    /// eseutil's rendering: `MM/DD/YYYY HH:MM:SS.mmm UTC` (or `LOC`).
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(month, 2))/\(pad(day, 2))/\(pad(year, 4)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
            + ".\(pad(millisecond, 3)) \(isUTC ? "UTC" : "LOC")"
    }
}
