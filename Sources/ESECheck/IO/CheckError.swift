import ESEFormat

/// Why a file could not be examined (as opposed to corruption found in it, which is data
/// in a report). Says which file, where, what was expected and what was found.
/// Equality compares `code` and `path` only, so tests can build the expected error directly.
public struct CheckError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; an open set (new codes may be added).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable machine name, used in JSON (`notFound`, `noValidHeader`, …).
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The path does not exist.
        public static let notFound = Code("notFound")
        /// Permission denied.
        public static let permissionDenied = Code("permissionDenied")
        /// The path is a directory, FIFO, device or socket.
        public static let notARegularFile = Code("notARegularFile")
        /// The file is empty.
        public static let emptyFile = Code("emptyFile")
        /// The file is shorter than the structure it must hold.
        public static let tooShort = Code("tooShort")
        /// Neither database header copy is valid (ESE −1018).
        public static let noValidHeader = Code("noValidHeader")
        /// The file is larger than any database ESE can number (more than 2^32 pages).
        public static let tooLarge = Code("tooLarge")
        /// The file is not the kind of ESE file expected.
        public static let wrongFileType = Code("wrongFileType")
        /// The file size is not a whole number of pages.
        public static let partialPage = Code("partialPage")
        /// A read failed (the system error says why).
        public static let readFailed = Code("readFailed")
        /// The file changed size while it was being checked.
        public static let fileChanged = Code("fileChanged")
        /// Opening or inspecting the file failed for another reason.
        public static let openFailed = Code("openFailed")
        /// The caller used the API out of order or with bad arguments.
        public static let invalidUse = Code("invalidUse")
        /// `stateRefused`: a state file (`--state`) that cannot be resumed from — another file
        /// set, other options, a file whose identity changed, or not a whole state file.
        public static let stateRefused = Code("stateRefused")

        /// Whether the code means the input could not be read at all (exit status 3), as
        /// opposed to being read and found wrong.
        public var meansUnreadable: Bool {
            [Code.notFound, .permissionDenied, .notARegularFile, .openFailed, .readFailed, .stateRefused].contains(self)
        }
    }

    /// The kind of failure.
    public var code: Code
    /// The file concerned.
    public var path: String
    /// The byte offset concerned, when there is one.
    public var offset: UInt64?
    /// What was expected.
    public var expected: String?
    /// What was found.
    public var found: String?
    /// A one-line explanation.
    public var message: String
    /// The system error behind it, when there is one.
    public var cause: SystemError?
    /// The JET error number ESE would report, when there is one.
    public var jetError: JetError?

    /// Creates an error.
    public init(_ code: Code, path: String, offset: UInt64? = nil, expected: String? = nil, found: String? = nil,
                message: String, cause: SystemError? = nil, jetError: JetError? = nil) {
        self.code = code
        self.path = path
        self.offset = offset
        self.expected = expected
        self.found = found
        self.message = message
        self.cause = cause
        self.jetError = jetError
    }

    /// Maps a failed `open`/`stat` on `path` to an error.
    static func opening(_ path: String, _ error: SystemError) -> CheckError {
        switch error.errno {
        case SystemError.noSuchFile:
            return CheckError(.notFound, path: path, message: "no such file", cause: error)
        case SystemError.permissionDenied:
            return CheckError(.permissionDenied, path: path, message: "permission denied", cause: error)
        case SystemError.isDirectory:
            return CheckError(.notARegularFile, path: path, found: "a directory", message: "is a directory, not a file", cause: error)
        case SystemError.tooManySymbolicLinks:
            return CheckError(.openFailed, path: path, message: "too many levels of symbolic links (a symlink loop?)", cause: error)
        default:
            return CheckError(.openFailed, path: path, message: "cannot open: \(error.message)", cause: error)
        }
    }

    public static func == (lhs: CheckError, rhs: CheckError) -> Bool { lhs.code == rhs.code && lhs.path == rhs.path }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(path)
    }

    public var description: String {
        var text = "\(path): \(message)"
        if let offset { text += " (at offset \(offset))" }
        if let expected, let found { text += "; expected \(expected), found \(found)" }
        if let jetError { text += " [\(jetError)]" }
        return text
    }
}
