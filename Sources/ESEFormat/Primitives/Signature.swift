/// The identity of a database or of a log sequence. ESE: `SIGNATURE` (28 bytes).
///
/// Signatures are compared as 28-byte blobs: two logs belong to one sequence when their
/// log signatures are equal, and a database belongs to a log set when its `signLog`
/// equals the set's.
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    /// Size on disk in bytes.
    public static let size = 28

    /// All 28 stored bytes.
    public let bytes: [UInt8]

    /// Parses the signature stored at `offset` of `span`.
    public init(_ span: RawSpan, at offset: Int) {
        bytes = span.bytes(at: offset, count: Signature.size)
    }

    /// Creates a signature from its parts (used by the corpus writer and tests).
    public init(random: UInt32, creationTime: LogTime, computerName: String = "") {
        var raw = [UInt8](repeating: 0, count: Signature.size)
        for index in 0..<4 { raw[index] = UInt8((random >> (8 * UInt32(index))) & 0xFF) }
        for index in 0..<8 { raw[4 + index] = UInt8((creationTime.rawValue >> (8 * UInt64(index))) & 0xFF) }
        for (index, byte) in computerName.utf8.prefix(15).enumerated() { raw[12 + index] = byte }
        bytes = raw
    }

    /// The random part. ESE: `ulRandom`.
    public var random: UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[$1]) << (8 * UInt32($1)) }
    }

    /// When the signature was created. ESE: `logtimeCreate`.
    public var creationTime: LogTime {
        LogTime(rawValue: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[4 + $1]) << (8 * UInt64($1)) })
    }

    /// The computer name (empty on current ESE). ESE: `szComputerName`.
    public var computerName: String {
        String(decoding: bytes[12..<28].prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Whether all 28 bytes are zero.
    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    /// eseutil's rendering: `Create time:… Rand:… Computer:…`.
    public var description: String {
        "Create time:\(creationTime) Rand:\(random) Computer:\(computerName)"
    }
}
