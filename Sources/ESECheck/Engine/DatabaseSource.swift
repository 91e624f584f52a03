/// Where a session's database comes from.
public enum DatabaseSource: Hashable, Sendable {
    /// A file the session opens to read its headers (pages may be read by the library or
    /// supplied by the caller).
    case file(String)
    /// A database the caller streams: its name for reports, its size, and its first bytes
    /// (at least both header pages; 64 KiB covers every page size).
    case stream(name: String, fileSize: UInt64, leadingBytes: [UInt8])

    /// The path or name used in reports.
    public var name: String {
        switch self {
        case .file(let path): path
        case .stream(let name, _, _): name
        }
    }
}
