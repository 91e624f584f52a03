/// A parsed log-directory file name: which log set (base name) it belongs to and what it is.
/// ESE: `ErrLGMakeLogNameBaselessEx`, `LGSzLogIdAppend`, `ErrLGGetGeneration`.
///
/// Names are matched case-insensitively (they come from Windows). A generation file is the
/// base name followed by exactly 5 or 8 hexadecimal digits (`E000001A.log`, `E000000001A.log`).
public struct LogFileName: Hashable, Sendable, CustomStringConvertible {
    /// What the file is.
    public enum Kind: Hashable, Sendable {
        /// An archived generation, `<base><hex>.log`; `digits` is 5 or 8.
        case generation(Int32, digits: Int)
        /// The current (newest, possibly still open) log, `<base>.log`; its generation is in its header.
        case current
        /// The next log being created, `<base>tmp.log`.
        case temporary
        /// A reserve log, `<base>res00001.jrs` (or legacy `res1.log`).
        case reserve(Int)
        /// The checkpoint, `<base>.chk` (or `.jcp`).
        case checkpoint
    }

    /// The three-character base name as spelled in the file name (`E00`, `edb`, `SRU`).
    public var baseName: String
    /// What the file is.
    public var kind: Kind
    /// The extension, lower-cased: `log`, `jtx`, `jrs`, `chk` or `jcp`.
    public var fileExtension: String
    /// The whole file name.
    public var fileName: String

    /// Length of a base name. ESE: `JET_paramBaseName` is 3 characters.
    public static let baseNameLength = 3

    /// Parses a file name, or returns nil when it is not an ESE log-directory name.
    public init?(_ fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        let stem = String(fileName[..<dot])
        let ext = fileName[fileName.index(after: dot)...].lowercased()
        self.fileName = fileName
        fileExtension = ext
        let lowerStem = stem.lowercased()
        switch ext {
        case "log", "jtx":
            if ext == "log", lowerStem == "res1" || lowerStem == "res2" {
                baseName = ""
                kind = .reserve(lowerStem == "res1" ? 1 : 2)
                return
            }
            guard stem.count >= Self.baseNameLength else { return nil }
            baseName = String(stem.prefix(Self.baseNameLength))
            let rest = String(stem.dropFirst(Self.baseNameLength))
            if rest.isEmpty {
                kind = .current
            } else if rest.lowercased() == "tmp" {
                kind = .temporary
            } else if rest.count == 5 || rest.count == 8, rest.allSatisfy(\.isHexDigit),
                      let value = UInt32(rest, radix: 16), value <= UInt32(Int32.max), value > 0 {
                kind = .generation(Int32(value), digits: rest.count)
            } else {
                return nil
            }
        case "jrs":
            guard stem.count == Self.baseNameLength + 8 else { return nil }
            baseName = String(stem.prefix(Self.baseNameLength))
            let rest = stem.dropFirst(Self.baseNameLength)
            guard rest.prefix(3).lowercased() == "res", let number = Int(rest.dropFirst(3)) else { return nil }
            kind = .reserve(number)
        case "chk", "jcp":
            guard stem.count == Self.baseNameLength else { return nil }
            baseName = stem
            kind = .checkpoint
        default:
            return nil
        }
    }

    /// Whether the name belongs to the set with `baseName` (case-insensitive; legacy
    /// `res1.log`/`res2.log` belong to every set).
    public func belongs(to baseName: String) -> Bool {
        self.baseName.isEmpty || self.baseName.lowercased() == baseName.lowercased()
    }

    /// The generation in the name, for archived generation files.
    public var generation: Int32? {
        if case .generation(let value, _) = kind { return value }
        return nil
    }

    /// The name ESE gives generation `generation` of set `baseName` (5 hex digits while the
    /// generation fits, as with ESE's default `JET_bitEightDotThreeSoftCompat`).
    public static func name(baseName: String, generation: Int32, fileExtension: String = "log", digits: Int? = nil) -> String {
        let width = digits ?? (generation <= 0xFFFFF ? 5 : 8)
        let hex = String(UInt32(bitPattern: generation), radix: 16, uppercase: true)
        return baseName + String(repeating: "0", count: max(0, width - hex.count)) + hex + "." + fileExtension
    }

    public var description: String { fileName }
}
