/// Why bytes could not be parsed as an ESE structure.
///
/// Format errors describe *unparseable* input — too short, wrong magic, impossible
/// sizes. Checksum mismatches are not errors: they are verdicts in reports.
public struct FormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem.
    public enum Kind: String, Hashable, Sendable {
        /// Fewer bytes than the structure needs.
        case truncated
        /// A field holds a value the format does not allow.
        case invalidField
        /// The bytes are not the structure asked for (wrong magic or file type).
        case wrongStructure
    }

    /// The kind of problem.
    public var kind: Kind
    /// The structure being parsed, with its ESE name (for example "DBFILEHDR").
    public var structure: String
    /// Byte offset of the offending field inside the structure, when known.
    public var offset: Int?
    /// What the format requires.
    public var expected: String
    /// What the bytes hold.
    public var found: String

    /// Creates a format error.
    public init(_ kind: Kind, structure: String, offset: Int? = nil, expected: String, found: String) {
        self.kind = kind
        self.structure = structure
        self.offset = offset
        self.expected = expected
        self.found = found
    }

    public var description: String {
        let at = offset.map { " at offset \($0)" } ?? ""
        return "\(structure)\(at): expected \(expected), found \(found)"
    }
}
