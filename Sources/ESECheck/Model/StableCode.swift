/// A stable machine name from an open set (`badPages`, `tornWrite`, `deleteCheckpoint`, …):
/// compared by value, carried in JSON as its raw value; a string literal converts, so
/// `code == "x"` reads naturally. The reason, log-problem and remedy codes share it.
public protocol StableCode: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String {
    /// Creates a code from its machine name.
    init(rawValue: String)
}

extension StableCode {
    /// Creates a code from a literal machine name.
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    /// The machine name.
    public var description: String { rawValue }
}
