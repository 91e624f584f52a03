import ESEFormat

/// The ESE files of one log set found in a directory, by kind.
public struct LogDirectory: Hashable, Sendable {
    /// The directory.
    public var path: String
    /// The base name.
    public var baseName: String
    /// Archived generation files and the current log.
    public var logs: [LogFileName] = []
    /// Temporary and reserve logs.
    public var auxiliary: [LogFileName] = []
    /// The checkpoint file, when present.
    public var checkpoint: LogFileName?

    /// Every base name with at least one log, checkpoint or temporary file in `names`.
    public static func baseNames(in names: [String]) -> [String] {
        var seen: [String: String] = [:]
        for name in names.compactMap(LogFileName.init) where !name.baseName.isEmpty {
            switch name.kind {
            case .generation, .current, .checkpoint:
                seen[name.baseName.lowercased()] = seen[name.baseName.lowercased()] ?? name.baseName
            default:
                break
            }
        }
        return seen.values.sorted()
    }

    /// Lists `directory` and picks the files of `baseName` (or of the only set present).
    /// - Throws: `CheckError` when the directory cannot be listed, holds no log set, or holds
    ///   several and none was chosen.
    public static func scan(_ directory: String, baseName: String? = nil) throws(CheckError) -> LogDirectory {
        let entries: [String]
        do {
            entries = try SystemCalls.directoryEntries(directory)
        } catch {
            if error.errno == 20 /* ENOTDIR */ {
                throw CheckError(.notARegularFile, path: directory, expected: "a directory", found: "a file",
                                 message: "is not a directory", cause: error)
            }
            throw CheckError.opening(directory, error)
        }
        return try select(entries.sorted(), in: directory, baseName: baseName)
    }

    /// Picks the files of `baseName` from directory entry names.
    public static func select(_ entries: [String], in directory: String, baseName: String?) throws(CheckError) -> LogDirectory {
        let base: String
        if let baseName {
            guard baseName.count == LogFileName.baseNameLength else {
                throw CheckError(.invalidUse, path: directory, expected: "a 3-character base name", found: baseName,
                                 message: "a log base name has exactly 3 characters (E00, edb, SRU)")
            }
            base = baseName
        } else {
            let bases = baseNames(in: entries)
            guard let only = bases.first else {
                throw CheckError(.wrongFileType, path: directory, expected: "ESE log files (<base>NNNNN.log, <base>.log)",
                                 found: "\(entries.count) entries, none named like a log", message: "no ESE log set found")
            }
            guard bases.count == 1 else {
                throw CheckError(.invalidUse, path: directory, found: bases.joined(separator: ", "),
                                 message: "the directory holds several log sets (\(bases.joined(separator: ", "))); choose one with --base")
            }
            base = only
        }
        var result = LogDirectory(path: directory, baseName: base)
        var checkpoints: [LogFileName] = []
        for name in entries.compactMap(LogFileName.init) where name.belongs(to: base) {
            switch name.kind {
            case .generation, .current: result.logs.append(name)
            case .temporary, .reserve: result.auxiliary.append(name)
            case .checkpoint: checkpoints.append(name)
            }
        }
        // Prefer the legacy .chk name, as ESE's default does.
        result.checkpoint = checkpoints.first { $0.fileExtension == "chk" } ?? checkpoints.first
        return result
    }

    /// The full path of `name`.
    public func path(of name: LogFileName) -> String {
        path.hasSuffix("/") ? path + name.fileName : path + "/" + name.fileName
    }
}
