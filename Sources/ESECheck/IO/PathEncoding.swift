/// File names are bytes: how the checker carries a path that is not valid UTF-8 in a
/// `String` without losing it, and how it prints any name safely.
///
/// Linux names are arbitrary byte strings (anything but `/` and NUL). Swift's own decoding
/// (`String(cString:)`, `CommandLine.arguments`) repairs invalid UTF-8 with U+FFFD, so two
/// different names can decode alike and neither can be opened again. This encoding is
/// lossless instead: valid UTF-8 decodes as usual, and every byte that is not part of a valid
/// sequence becomes one scalar of the private-use range U+10FF00–U+10FFFF (byte `b` as
/// U+10FF00 + `b`). Scalars of that range that were themselves spelled in valid UTF-8 are
/// escaped byte by byte too, so `bytes(of: string(fromBytes: b)) == b` for every byte string.
/// A `String` that never came from `string(fromBytes:)` and contains scalars of that range is
/// written as the bytes they stand for.
public enum PathEncoding {
    /// The first scalar of the range that stands for raw bytes (U+10FF00 stands for byte 0x00).
    static let rawByteBase: UInt32 = 0x10_FF00

    /// Decodes a file name or path losslessly (see the type's description).
    public static func string(fromBytes bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = decodeScalar(bytes, at: index), scalar.value < rawByteBase {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(Unicode.Scalar(rawByteBase + UInt32(bytes[index]))!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The bytes `path` stands for: UTF-8, with each raw-byte scalar written as its byte.
    public static func bytes(of path: String) -> [UInt8] {
        // Raw-byte scalars are spelled F4 8F BC..BF xx in UTF-8: without an F4 byte there are none.
        if !path.utf8.contains(0xF4) { return Array(path.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if scalar.value >= rawByteBase {
                bytes.append(UInt8(truncatingIfNeeded: scalar.value - rawByteBase))
            } else {
                bytes.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        return bytes
    }

    /// Whether `path` stands for bytes that are not valid UTF-8 (it holds raw-byte scalars).
    public static func hasRawBytes(_ path: String) -> Bool {
        path.unicodeScalars.contains { $0.value >= rawByteBase }
    }

    /// `path` with each raw byte replaced by U+FFFD, as Swift's own decoding would show it.
    public static func lossy(_ path: String) -> String {
        guard hasRawBytes(path) else { return path }
        var scalars = String.UnicodeScalarView()
        for scalar in path.unicodeScalars { scalars.append(scalar.value >= rawByteBase ? "\u{FFFD}" : scalar) }
        return String(scalars)
    }

    /// The bytes of `path` in lower-case hexadecimal, two digits a byte.
    public static func hex(_ path: String) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        for byte in bytes(of: path) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return text
    }

    /// A name made safe to print on a line of text: backslash, control characters (C0, DEL,
    /// C1), line and paragraph separators, bidirectional overrides and raw bytes are written as
    /// escapes (`\\`, `\n`, `\r`, `\t`, `\xNN`, `\u{NNNN}`), so no name can start a new line,
    /// move the cursor or colour the terminal — nor forge a line of the report.
    public static func displayed(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: needsEscape) else { return name }
        var text = ""
        for scalar in name.unicodeScalars {
            guard needsEscape(scalar) else {
                text.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                let value = scalar.value >= rawByteBase ? scalar.value - rawByteBase : scalar.value
                if scalar.value >= rawByteBase || value < 0x100 {
                    text += "\\x" + hexDigits(value, width: 2)
                } else {
                    text += "\\u{" + hexDigits(value, width: 4) + "}"
                }
            }
        }
        return text
    }

    /// One line of a text report made safe to print: like `displayed`, but a backslash stays
    /// as it is (messages quote Windows paths). Applied by the report renderers to every line,
    /// so no text from a file — a path in an attach list, a name — can start a line of its own.
    public static func lineSafe(_ line: String) -> String {
        guard line.unicodeScalars.contains(where: { $0 != "\\" && needsEscape($0) }) else { return line }
        var text = ""
        for scalar in line.unicodeScalars {
            if scalar == "\\" || !needsEscape(scalar) {
                text.unicodeScalars.append(scalar)
            } else {
                text += displayed(String(scalar))
            }
        }
        return text
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x5C, 0x7F...0x9F: true
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: true
        case rawByteBase...: true
        default: false
        }
    }

    static func hexDigits(_ value: UInt32, width: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The scalar encoded in valid UTF-8 at `index` (shortest form, no surrogates), and its length.
    static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int, minimum: UInt32
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: length = 2; minimum = 0x80; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// Calls `body` with `path` as a NUL-terminated C string of its bytes; nil when the bytes
    /// hold a NUL (no file can have that name, and the C library would stop at it).
    static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) -> R) -> R? {
        var bytes = bytes(of: path)
        guard !bytes.contains(0) else { return nil }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}
