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
    /// Files of the set left out because another file names the same log: a case variant
    /// (`E0000008.LOG` beside `E0000008.log`), the 8-digit spelling of a 5-digit name
    /// (`E0000000008.log` beside `E0000008.log`), or the other extension (`.jtx`). The name
    /// ESE itself would write is kept and checked; these are never checked and never make
    /// the set damaged.
    public var duplicates: [Duplicate] = []
    /// Logs of the base name spelled only in another way than the set's: the other extension
    /// (`E000000B.jtx` in a set of `.log` files) or the other digit count (`E000000000B.log`
    /// among 5-digit names). ESE settles on one extension pair and opens each generation by the
    /// one name its digit rule gives (logstream.cxx:355-377, 774-800), so it never sees these and
    /// they never fill a gap of the set.
    public var otherSpelling: [LogFileName] = []
    /// Entries with a log-set extension (`log`, `jtx`, `jrs`, `chk`, `jcp`) that are not names
    /// ESE gives (`E0000008-copy.log`, `E00 (2).log`): not part of any set, never checked.
    public var unrecognized: [String] = []

    /// A file left out of the set because it names the same log as another.
    public struct Duplicate: Hashable, Sendable {
        /// The file left out.
        public var name: LogFileName
        /// The file of the same log that is checked.
        public var kept: LogFileName
    }

    /// Extensions of the files of a log set (`LogFileName` parses only these).
    public static let logSetExtensions: Set<String> = ["log", "jtx", "jrs", "chk", "jcp"]

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
        try select(entries(of: directory), in: directory, baseName: baseName)
    }

    /// The entry names of `directory`, sorted (names that are not UTF-8 decoded losslessly,
    /// see `PathEncoding`).
    /// - Throws: `CheckError` when the directory is missing, not a directory, or unreadable.
    public static func entries(of directory: String) throws(CheckError) -> [String] {
        do {
            return try SystemCalls.directoryEntries(directory).sorted()
        } catch {
            if error.errno == SystemError.notADirectory {
                throw CheckError(.notARegularFile, path: directory, expected: "a directory", found: "a file",
                                 message: "is not a directory", cause: error)
            }
            throw CheckError.opening(directory, error)
        }
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
        var byLog: [String: [LogFileName]] = [:], order: [String] = []
        for entry in entries {
            guard let name = LogFileName(entry) else {
                if let dot = entry.lastIndex(of: "."), logSetExtensions.contains(entry[entry.index(after: dot)...].lowercased()) {
                    result.unrecognized.append(entry)
                }
                continue
            }
            guard name.belongs(to: base) else { continue }
            switch name.kind {
            case .generation, .current, .temporary, .reserve:
                let key = Self.logKey(name)
                if byLog[key] == nil { order.append(key) }
                byLog[key, default: []].append(name)
            case .checkpoint: checkpoints.append(name)
            }
        }
        // The extension most of the set's logs carry (`log`, or `jtx` without legacy names).
        let logNames = byLog.values.joined().filter { $0.kind == .current || $0.generation != nil }
        let usual = Self.setExtension(checkpoints: checkpoints, logs: byLog.values.joined())
            ?? (logNames.filter { $0.fileExtension == "jtx" }.count * 2 > logNames.count ? "jtx" : "log")
        // The digit count of generations that could have either (up to 0xFFFFF): 5 for
        // ESE's default names, 8 in a set written with 8-digit names throughout.
        let short = logNames.compactMap { name -> Int? in
            if case .generation(let generation, let digits) = name.kind, generation <= 0xFFFFF { return digits }
            return nil
        }
        let usualDigits = short.filter { $0 == 8 }.count * 2 > short.count ? 8 : 5
        // Keep each log at the position of the name kept, so the listing follows `entries`.
        var position: [String: Int] = [:]
        for (index, entry) in entries.enumerated() where position[entry] == nil { position[entry] = index }
        var kept: [LogFileName] = []
        for key in order {
            let names = byLog[key]!
            let best = names.min { Self.preference($0, usual: usual, digits: usualDigits) < Self.preference($1, usual: usual, digits: usualDigits) }!
            if Self.preference(best, usual: usual, digits: usualDigits).0 != 0 || (best.fileExtension != usual && best.fileExtension != "jrs") {
                // No spelling with the set's extension and digit count: ESE never sees this log
                // (log.cxx:2475-2509; logstream.cxx:355-377).
                result.otherSpelling.append(contentsOf: names)
                continue
            }
            for name in names where name != best { result.duplicates.append(Duplicate(name: name, kept: best)) }
            kept.append(best)
        }
        kept.sort { position[$0.fileName, default: 0] < position[$1.fileName, default: 0] }
        for name in kept {
            switch name.kind {
            case .generation, .current: result.logs.append(name)
            default: result.auxiliary.append(name)
            }
        }
        // Prefer the legacy .chk name, as ESE's default does.
        let checkpointUsual = usual == "jtx" ? "jcp" : "chk"
        result.checkpoint = checkpoints.min { Self.preference($0, usual: checkpointUsual, digits: usualDigits) < Self.preference($1, usual: checkpointUsual, digits: usualDigits) }
        for name in checkpoints where name != result.checkpoint { result.duplicates.append(Duplicate(name: name, kept: result.checkpoint!)) }
        return result
    }

    /// The log extension ESE settles on, when the files decide it: the checkpoint's pair when
    /// only one checkpoint extension is present (`.chk`→`log`, `.jcp`→`jtx`; log.cxx:2475-2509),
    /// else the extension of the current log, else of the temporary log, when only one is present
    /// (logstream.cxx:828-923). Nil when they do not decide (the caller takes the majority).
    static func setExtension(checkpoints: [LogFileName], logs: some Sequence<LogFileName>) -> String? {
        let checkpointPairs = Set(checkpoints.map { $0.fileExtension == "jcp" ? "jtx" : "log" })
        if checkpointPairs.count == 1 { return checkpointPairs.first }
        guard checkpointPairs.isEmpty else { return nil }
        let logs = Array(logs)
        for kind in [LogFileName.Kind.current, .temporary] {
            let extensions = Set(logs.filter { $0.kind == kind }.map(\.fileExtension))
            if extensions.count == 1 { return extensions.first }
            if extensions.count > 1 { return nil }
        }
        return nil
    }

    /// What log a name stands for, whatever its spelling: files with the same key are one log.
    static func logKey(_ name: LogFileName) -> String {
        switch name.kind {
        case .generation(let generation, _): "generation \(generation)"
        case .current: "current"
        case .temporary: "temporary"
        case .reserve(let number): "reserve \(number)\(name.baseName.isEmpty ? " legacy" : "")"
        case .checkpoint: "checkpoint"
        }
    }

    /// Sorts the spellings of one log, best first: the digit count the set's names use
    /// (`digits`, 5 or 8; always 8 above 0xFFFFF), the extension the set usually carries
    /// (`usual`; reserve logs always `jrs`), a lower-case extension, then by name.
    static func preference(_ name: LogFileName, usual: String, digits usualDigits: Int) -> (Int, Int, Int, String) {
        var digits = 0
        if case .generation(let generation, let count) = name.kind {
            digits = count == (generation <= 0xFFFFF ? usualDigits : 8) ? 0 : 1
        }
        let spelled = String(name.fileName.split(separator: ".").last ?? "")
        let expected = name.fileExtension == usual || name.fileExtension == "jrs" ? 0 : 1
        return (digits, expected, spelled == name.fileExtension ? 0 : 1, name.fileName)
    }

    /// The full path of `name`.
    public func path(of name: LogFileName) -> String {
        path.hasSuffix("/") ? path + name.fileName : path + "/" + name.fileName
    }
}
