/// One 512-byte tar header block (POSIX ustar, with GNU's variants).
struct TarHeader {
    var path: String
    var size: UInt64
    var type: UInt8
    /// A GNU sparse member (type `S`) whose sparse map continues in extension blocks after this
    /// header (`isextended` at 482; GNU tar's `struct oldgnu_header`): blocks not counted in
    /// `size`, each with its own `isextended` at 504 (`struct sparse_header`).
    var extended = false

    /// Parses and checks a header block.
    static func parse(_ block: [UInt8], at offset: UInt64) throws -> TarHeader {
        // The checksum: the sum of the block's bytes with its own field read as spaces.
        var sum: UInt64 = 0
        for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 32 : UInt64(byte) }
        guard let stored = octal(block[148..<156]), stored == sum else {
            throw TarReader.FormatError(message: "not a tar header (checksum) at offset \(offset)")
        }
        guard let size = number(block[124..<136]) else {
            throw TarReader.FormatError(message: "a size that cannot be read at offset \(offset)")
        }
        let name = string(Array(block[0..<100]))
        // POSIX ustar ("ustar\0" + "00") has a 155-byte prefix; GNU's "ustar  \0" does not.
        let posix = block[257..<263].elementsEqual(Array("ustar".utf8) + [0])
        let prefix = posix ? string(Array(block[345..<500])) : ""
        return TarHeader(path: prefix.isEmpty ? name : prefix + "/" + name, size: size, type: block[156],
                         extended: block[156] == UInt8(ascii: "S") && block[482] != 0)
    }

    /// A NUL- or space-terminated octal field.
    static func octal(_ field: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0, digits = 0
        for byte in field {
            if byte == 0 || byte == 32 { if digits > 0 { break } else { continue } }
            guard (48...55).contains(byte), value >> 61 == 0 else { return nil }
            value = value << 3 | UInt64(byte - 48)
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// An octal field, or GNU's base-256 form (high bit of the first byte set).
    static func number(_ field: ArraySlice<UInt8>) -> UInt64? {
        guard let first = field.first, first & 0x80 != 0 else { return octal(field) }
        guard first == 0x80 else { return nil }  // negative or too large
        var value: UInt64 = 0
        for byte in field.dropFirst() {
            guard value >> 56 == 0 else { return nil }
            value = value << 8 | UInt64(byte)
        }
        return value
    }

    /// Bytes up to the first NUL, as a string (bytes that are not UTF-8 kept losslessly).
    static func string(_ bytes: [UInt8]) -> String {
        PathEncoding.string(fromBytes: bytes.prefix { $0 != 0 })
    }

    /// The `length key=value\n` records of a pax extended header.
    static func paxRecords(_ bytes: [UInt8]) -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            guard let space = bytes[index...].firstIndex(of: 32),
                  // Room for the digits, the space and the closing newline at least (no crash on "2 ").
                  let length = Int(String(decoding: bytes[index..<space], as: UTF8.self)), length > space - index + 1,
                  index + length <= bytes.count else { break }
            let record = bytes[(space + 1)..<(index + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                records[String(decoding: record[..<equals], as: UTF8.self)] = PathEncoding.string(fromBytes: record[(equals + 1)...])
            }
            index += length
        }
        return records
    }
}
