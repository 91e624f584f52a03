import ESEFormat

/// What a storage-group directory holds: the databases to check, the log sets, and every
/// other entry with the reason it is not checked — nothing in the directory is left out
/// silently.
///
/// An entry is a database when it carries a database extension (`edb`, `mdb`, `dat`, `db`)
/// or starts like a database. A database by name that cannot be opened or read — a FIFO, a
/// socket, a dangling or looping symbolic link, a directory, no permission — is still a
/// database: its check reports it `unreadable`. Entries are examined with `lstat` and `stat`
/// before anything is opened, and nothing that is not a regular file is ever opened, so a
/// FIFO cannot block the scan.
public struct DirectoryDiscovery: Hashable, Sendable {
    /// An entry that is not checked, and why.
    public struct SkippedEntry: Hashable, Sendable {
        /// The entry's path.
        public var path: String
        /// Why it is not checked ("a FIFO", "a dangling symbolic link", "not a database", …).
        public var reason: String
        /// Whether the entry is worth a warning: it could not be examined, or it is an odd
        /// file (FIFO, socket, device, broken link) where a database or log might be expected.
        public var isNotable: Bool
    }

    /// The directory.
    public var directory: String
    /// Every entry name, sorted (names that are not valid UTF-8 as `PathEncoding` decodes them).
    public var entries: [String]
    /// Paths of the databases, in name order.
    public var databases: [String] = []
    /// Entries that are neither databases nor log-set files.
    public var skipped: [SkippedEntry] = []
    /// Base names of the log sets present (`LogDirectory.baseNames(in:)`).
    public var logBaseNames: [String] = []
    /// The first bytes of each database classified by reading them, so the check does not
    /// read its header pages again (used only while the file keeps the same identity).
    var probes: [String: HeaderProbe] = [:]

    /// Lists and classifies `directory`.
    /// - Throws: `CheckError` when the directory cannot be listed (missing, not a directory,
    ///   no permission).
    public static func scan(_ directory: String) throws(CheckError) -> DirectoryDiscovery {
        let entries = try LogDirectory.entries(of: directory)
        var discovery = DirectoryDiscovery(directory: directory, entries: entries)
        discovery.logBaseNames = LogDirectory.baseNames(in: entries)
        for name in entries { discovery.classify(name) }
        return discovery
    }

    /// Whether `path` names a directory (following symbolic links); false when it cannot be
    /// examined. The path's bytes are used exactly (`PathEncoding`).
    public static func isDirectory(_ path: String) -> Bool {
        (try? SystemCalls.status(ofPath: path))?.kind == .directory
    }

    /// Whether `path` names a regular file (following symbolic links); false when it cannot
    /// be examined. The path's bytes are used exactly (`PathEncoding`).
    public static func isRegularFile(_ path: String) -> Bool {
        (try? SystemCalls.status(ofPath: path))?.kind == .regular
    }

    /// The path of entry `name`.
    public func path(of name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Extensions ESE databases commonly carry; such entries are databases even when they
    /// cannot be opened or no header is valid.
    public static let databaseExtensions: Set<String> = ["edb", "mdb", "dat", "db"]

    /// Files of the log set of the directory, which the log check examines.
    static let logSetFileExtensions: Set<String> = LogDirectory.logSetExtensions.union(["jfm", "jsl"])

    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    private mutating func skip(_ path: String, _ reason: String, notable: Bool) {
        skipped.append(SkippedEntry(path: path, reason: reason, isNotable: notable))
    }

    private mutating func classify(_ name: String) {
        // Log-set files are the log check's: it examines each (a FIFO or broken link among
        // them is reported there as unreadable) or lists it as a duplicate.
        if LogFileName(name) != nil { return }
        let path = path(of: name)
        let ext = Self.fileExtension(name)
        let databaseByName = Self.databaseExtensions.contains(ext)
        // lstat first: what the entry itself is, without following a link or opening anything.
        let entry: FileStatus
        do {
            entry = try SystemCalls.status(ofPath: path, followLinks: false)
        } catch {
            if databaseByName { databases.append(path) } else { skip(path, "cannot be examined: \(error.message)", notable: true) }
            return
        }
        var target = entry
        if entry.kind == .symbolicLink {
            do {
                target = try SystemCalls.status(ofPath: path)
            } catch {
                if databaseByName { databases.append(path); return }
                let what = switch error.errno {
                case SystemError.noSuchFile: "a dangling symbolic link (its target does not exist)"
                case SystemError.tooManySymbolicLinks: "a looping symbolic link"
                default: "a symbolic link that cannot be followed: \(error.message)"
                }
                skip(path, what, notable: true)
                return
            }
        }
        guard target.kind == .regular else {
            if databaseByName { databases.append(path); return }
            skip(path, Self.describe(target.kind), notable: target.kind != .directory)
            return
        }
        if Self.logSetFileExtensions.contains(ext) {
            // A log-set extension that is not a name ESE gives: never a database, never checked.
            if LogDirectory.logSetExtensions.contains(ext) {
                skip(path, "named like a log-set file, but not a name ESE gives its files (a copy?)", notable: true)
            } else {
                skip(path, ext == "jfm" ? "a flush map: read with the database of the same base name (docs/flush-map.md)" : "an ESE auxiliary file, not checked", notable: false)
            }
            return
        }
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            if databaseByName { databases.append(path) } else { skip(path, "cannot be opened: \(error.message)", notable: true) }
            return
        }
        let prefix: [UInt8]
        do {
            prefix = try file.readBytes(at: 0, count: DatabaseOpening.headerProbeBytes)
        } catch {
            if databaseByName { databases.append(path) } else { skip(path, "cannot be read: \(error.message)", notable: true) }
            return
        }
        if !databaseByName, let selection = try? HeaderSelection.select(from: prefix.span.bytes),
           let refusal = DatabaseOpening.attachRefusal(selection.header) {
            // A patch file (`.pat`, JET_filetypeStreamingFile) or another ESE file with a
            // database-style header that ESE never attaches (db.cxx:2851-2878).
            skip(path, "a header ESE does not attach as a database (\(refusal)): a patch file or another ESE file, not checked", notable: false)
            return
        }
        if databaseByName || StorageGroupChecker.looksLikeDatabase(prefix) {
            databases.append(path)
            probes[path] = HeaderProbe(prefix: prefix, identity: file.identity)
        } else {
            skip(path, "not a database or log-set file", notable: false)
        }
    }

    static func describe(_ kind: FileStatus.Kind) -> String {
        switch kind {
        case .regular: "a regular file"
        case .directory: "a directory (not searched)"
        case .fifo: "a FIFO (named pipe), not a regular file"
        case .socket: "a socket, not a regular file"
        case .characterDevice: "a character device, not a regular file"
        case .blockDevice: "a block device, not a regular file"
        case .symbolicLink: "a symbolic link"
        case .other: "not a regular file"
        }
    }
}
