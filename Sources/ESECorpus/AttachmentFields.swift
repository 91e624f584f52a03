import ESEFormat

/// One database in the attach list a log header or checkpoint records. ESE: `ATTACHINFO`.
/// Recovery matches it against the database header (recovery.md S5): the positions and the
/// signature must be the database's own, or ESE defers the database and fails with −1216.
public struct AttachmentFields: Hashable, Sendable {
    /// Attachment slot, 1–6. ESE: `dbid`.
    public var id: UInt8
    /// The database path as the server knew it.
    public var path: String
    /// The database's signature. ESE: `signDb`.
    public var signature: Signature
    /// Where the database was attached: the database header's `le_lgposAttach`.
    public var attachPosition: LogPosition
    /// The database's consistent position when it was attached (zero for a new database).
    /// ESE: `lgposConsistent`.
    public var consistentPosition: LogPosition

    /// Creates an attach-list entry.
    public init(id: UInt8, path: String, signature: Signature, attachPosition: LogPosition, consistentPosition: LogPosition = .zero) {
        self.id = id
        self.path = path
        self.signature = signature
        self.attachPosition = attachPosition
        self.consistentPosition = consistentPosition
    }
}
