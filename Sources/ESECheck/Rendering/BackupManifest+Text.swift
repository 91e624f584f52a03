import ESEFormat

/// The text form of a manifest (docs/manifest.md): a header line, the verdict, one `file` line
/// per file of `key=value` fields (values percent-encoded), and a last line holding the
/// CRC-32C of every byte before it.
extension BackupManifest {
    /// The first line's keyword.
    public static let magic = "ese-verify-manifest"
    /// The last line's keyword.
    public static let checksumKeyword = "manifest-crc32c"

    /// The manifest as text, ending with its own checksum line.
    public var text: String {
        var body = "\(Self.magic) \(Self.formatVersion)\nhash \(Self.hashAlgorithm)\nverdict \(verdict.rawValue)\n"
        for entry in entries { body += "file " + Self.fields(entry).map { "\($0)=\(Self.escape($1))" }.joined(separator: " ") + "\n" }
        let bodyBytes = Array(body.utf8)
        let crc = CRC32C.checksum(bodyBytes.span.bytes)
        return body + "\(Self.checksumKeyword) \(Self.hex(crc))\n"
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// A whole-file hash as the manifest writes it: 16 lowercase hex digits.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// An entry's fields in their written order.
    static func fields(_ entry: Entry) -> [(String, String)] {
        var list: [(String, String)] = [("name", entry.name), ("kind", entry.kind.rawValue), ("size", String(entry.size)),
                                        ("hash", entry.hash.map(hex) ?? "-"), ("identity", entry.identity)]
        if let database = entry.database {
            list += [("signature", database.signature), ("logSignature", database.logSignature), ("state", database.state),
                     ("required", database.requiredGenerations.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "-"),
                     ("pageSize", String(database.pageSize)), ("dataPages", String(database.dataPages))]
        }
        if let log = entry.log {
            list += [("generation", String(log.generation)), ("logSignature", log.logSignature), ("created", log.created)]
        }
        return list
    }

    /// Percent-encodes every UTF-8 byte outside letters, digits and `._-/:,+~`.
    static func escape(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ":"),
                 UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// The inverse of `escape`; nil for a malformed escape or bytes that are not UTF-8.
    static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high < utf8.endIndex, utf8.index(after: high) < utf8.endIndex,
                      let value = UInt8(String(decoding: [utf8[high], utf8[utf8.index(after: high)]], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
                index = utf8.index(high, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Reads a manifest's text: its checksum line first (a manifest that was changed, cut or
    /// extended is refused before anything else is read), then its lines.
    /// - Throws: `CheckError` `wrongFileType` naming what is wrong.
    public static func parse(_ bytes: [UInt8], path: String = "") throws(CheckError) -> BackupManifest {
        func refuse(_ message: String) -> CheckError { CheckError(.wrongFileType, path: path, message: "not a valid manifest: " + message) }
        guard bytes.last == UInt8(ascii: "\n") else { throw refuse("it does not end with a line break") }
        let bodyEnd = bytes.dropLast().lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let last = String(decoding: bytes[bodyEnd..<(bytes.count - 1)], as: UTF8.self).split(separator: " ")
        guard last.count == 2, last[0] == checksumKeyword, last[1].count == 8, let stored = UInt32(last[1], radix: 16) else {
            throw refuse("the last line is not its checksum")
        }
        let computed = bytes.withUnsafeBytes { CRC32C.checksum(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rebasing: $0[0..<bodyEnd]))) }
        guard stored == computed else {
            throw refuse("its checksum does not match (stored \(hex(stored)), computed \(hex(computed))): it was changed after it was written")
        }
        guard let body = String(validating: bytes[0..<bodyEnd], as: UTF8.self) else { throw refuse("it is not UTF-8") }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        if lines.first == "\(magic) 1" {
            throw refuse("it is format 1, whose whole-file hashes are CRC-32C; this version reads format \(formatVersion) "
                         + "(\(hashAlgorithm)) only: write the manifest again with `ese-verify manifest`")
        }
        guard lines.first == "\(magic) \(formatVersion)" else { throw refuse("the first line is not '\(magic) \(formatVersion)'") }
        var verdict: Verdict?
        var entries: [Entry] = []
        for line in lines.dropFirst() {
            if line.hasPrefix("hash ") {
                guard line == "hash \(hashAlgorithm)" else { throw refuse("unknown whole-file hash in '\(line.prefix(200))'") }
                continue
            }
            if line.hasPrefix("verdict ") {
                verdict = Verdict(rawValue: String(line.dropFirst(8)))
                guard verdict != nil else { throw refuse("unknown verdict in '\(line)'") }
            } else if line.hasPrefix("file ") {
                guard let entry = entry(line.dropFirst(5)) else { throw refuse("a file line cannot be read: \(line.prefix(200))") }
                entries.append(entry)
            } else {
                throw refuse("unknown line '\(line.prefix(200))'")
            }
        }
        guard let verdict else { throw refuse("it has no verdict line") }
        guard Set(entries.map(\.name)).count == entries.count else { throw refuse("a file is listed twice") }
        return BackupManifest(entries: entries, verdict: verdict)
    }

    /// One `file` line's fields, nil when one is missing or malformed.
    static func entry(_ line: Substring) -> Entry? {
        var fields: [String: String] = [:]
        for token in line.split(separator: " ") {
            guard let equals = token.firstIndex(of: "="), let value = unescape(token[token.index(after: equals)...]) else { return nil }
            fields[String(token[..<equals])] = value
        }
        guard let name = fields["name"], !name.isEmpty, let kind = fields["kind"].flatMap(Kind.init(rawValue:)),
              let size = fields["size"].flatMap({ UInt64($0) }), let hashText = fields["hash"] else { return nil }
        let hash = hashText.utf8.count == 16 ? UInt64(hashText, radix: 16) : nil
        guard hashText == "-" || hash != nil else { return nil }
        var entry = Entry(name: name, kind: kind, size: size, hash: hash, identity: fields["identity"] ?? "")
        if kind == .database, let signature = fields["signature"], let logSignature = fields["logSignature"], let state = fields["state"],
           let pageSize = fields["pageSize"].flatMap({ Int($0) }), let dataPages = fields["dataPages"].flatMap({ Int($0) }) {
            let bounds = fields["required"]?.split(separator: "-", maxSplits: 1).compactMap { Int32($0) }
            let range = bounds?.count == 2 && bounds![0] <= bounds![1] ? bounds![0]...bounds![1] : nil
            entry.database = DatabaseFacts(signature: signature, logSignature: logSignature, state: state,
                                           requiredGenerations: range, pageSize: pageSize, dataPages: dataPages)
        }
        if kind == .log, let generation = fields["generation"].flatMap({ Int32($0) }), let logSignature = fields["logSignature"],
           let created = fields["created"] {
            entry.log = LogFacts(generation: generation, logSignature: logSignature, created: created)
        }
        return entry
    }
}
