import ESEFormat

/// A fixed-size byte buffer with little-endian field setters: the writer's counterpart of
/// the format module's parsers.
public struct ByteImage: Hashable, Sendable {
    /// The bytes.
    public var bytes: [UInt8]

    /// A zero-filled image of `count` bytes.
    public init(count: Int) { bytes = [UInt8](repeating: 0, count: count) }

    /// Wraps existing bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Sets an integer field (little-endian).
    public mutating func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for index in 0..<MemoryLayout<T>.size {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
        }
    }

    /// Copies raw bytes in.
    public mutating func set(_ raw: [UInt8], at offset: Int) {
        bytes.replaceSubrange(offset..<offset + raw.count, with: raw)
    }

    /// Writes a log time.
    public mutating func set(_ time: LogTime, at offset: Int) { set(time.rawValue, at: offset) }

    /// Writes a log position.
    public mutating func set(_ position: LogPosition, at offset: Int) {
        set(position.byteOffset, at: offset)
        set(position.sector, at: offset + 2)
        set(position.generation, at: offset + 4)
    }

    /// Writes a signature.
    public mutating func set(_ signature: Signature, at offset: Int) { set(signature.bytes, at: offset) }

    /// Writes a backup record.
    public mutating func set(_ backup: BackupInfo, at offset: Int) {
        set(backup.mark, at: offset)
        set(backup.markTime, at: offset + 8)
        set(backup.generationLow, at: offset + 16)
        set(backup.generationHigh, at: offset + 20)
    }

    /// Writes a NUL-terminated string into a fixed field.
    public mutating func set(_ text: String, at offset: Int, fieldSize: Int) {
        for (index, byte) in text.utf8.prefix(fieldSize - 1).enumerated() { bytes[offset + index] = byte }
    }

    /// Stores the old-format XOR checksum of the whole image in its first dword.
    public mutating func sealHeader() { PageWriter.sealHeader(&bytes) }
}
