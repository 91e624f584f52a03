/// One copy of a checkpoint file. ESE: `CHECKPOINT` (`CHECKPOINT_FIXED`, 4096 bytes; the
/// file holds two identical copies at offsets 0 and 4096).
public struct CheckpointHeader: Hashable, Sendable {
    /// Size of one copy in bytes.
    public static let size = 4096

    /// Stored checksum (old-format XOR over the copy). ESE: `le_ulChecksum`.
    public var checksum: UInt32
    /// Checkpoint of the last full backup. ESE: `le_lgposLastFullBackupCheckpoint`.
    public var lastFullBackupCheckpoint: LogPosition
    /// Where redo starts: the oldest log still needed. ESE: `le_lgposCheckpoint`.
    public var checkpoint: LogPosition
    /// The log sequence's signature. ESE: `signLog`.
    public var logSignature: Signature
    /// Engine parameters. ESE: `dbms_param`.
    public var parameters: DBMSParameters
    /// Position of the last full backup. ESE: `le_lgposFullBackup`.
    public var fullBackupPosition: LogPosition
    /// Time of the last full backup. ESE: `logtimeFullBackup`.
    public var fullBackupTime: LogTime
    /// Position of the last incremental backup. ESE: `le_lgposIncBackup`.
    public var incrementalBackupPosition: LogPosition
    /// Time of the last incremental backup. ESE: `logtimeIncBackup`.
    public var incrementalBackupTime: LogTime
    /// Version flags: 0x01 attachment list present. ESE: `fVersion`.
    public var versionFlags: UInt8
    /// Database consistency position. ESE: `le_lgposDbConsistency`.
    public var databaseConsistency: LogPosition
    /// File type (4 for a checkpoint). ESE: `le_filetype`.
    public var fileTypeValue: UInt32
    /// Attached databases, when the list is present.
    public var attachments: [AttachInfo]

    /// Parses one copy from the first 4096 bytes of `bytes` (checksum not checked).
    /// - Throws: `FormatError.truncated` when fewer than 4096 bytes are given.
    public init(parsing bytes: RawSpan) throws(FormatError) {
        guard bytes.byteCount >= Self.size else {
            throw FormatError(.truncated, structure: "CHECKPOINT", expected: "\(Self.size) bytes", found: "\(bytes.byteCount) bytes")
        }
        let s = bytes
        checksum = s.uint32(at: 0)
        lastFullBackupCheckpoint = LogPosition(s, at: 4)
        checkpoint = LogPosition(s, at: 12)
        logSignature = Signature(s, at: 20)
        parameters = DBMSParameters(s, at: 48)
        fullBackupPosition = LogPosition(s, at: 615)
        fullBackupTime = LogTime(s, at: 623)
        incrementalBackupPosition = LogPosition(s, at: 631)
        incrementalBackupTime = LogTime(s, at: 639)
        versionFlags = s.uint8(at: 647)
        databaseConsistency = LogPosition(s, at: 648)
        fileTypeValue = s.uint32(at: FileType.headerOffset)
        attachments = versionFlags & 0x01 != 0 ? AttachInfo.parseList(s, at: 679, limit: 2048).entries : []
    }
}

/// The choice between a checkpoint file's two copies, read like a shadowed header at the
/// fixed size 4096. ESE: `ErrLGReadCheckpoint` (both bad ⇒ −533).
public struct CheckpointSelection: Hashable, Sendable {
    /// Whether the first copy's checksum is valid.
    public var primaryValid: Bool
    /// Whether the second copy's checksum is valid.
    public var shadowValid: Bool
    /// Whether both copies are valid and byte-identical.
    public var copiesIdentical: Bool
    /// The copy in use.
    public var header: CheckpointHeader

    /// Chooses a copy from a checkpoint file's bytes; nil when neither copy is valid.
    public static func select(from file: RawSpan) -> CheckpointSelection? {
        let size = CheckpointHeader.size
        let primary = file.byteCount >= size ? file.extracting(0..<size) : nil
        let shadow = file.byteCount >= 2 * size ? file.extracting(size..<2 * size) : nil
        func valid(_ copy: RawSpan?) -> Bool {
            guard let copy else { return false }
            let type = copy.uint32(at: FileType.headerOffset)
            return LegacyChecksum.isValid(copy) && (type == FileType.checkpoint.rawValue || type == 0)
        }
        let primaryValid = valid(primary), shadowValid = valid(shadow)
        guard primaryValid || shadowValid else { return nil }
        var identical = false
        if primaryValid, shadowValid, let primary, let shadow {
            identical = primary.withUnsafeBytes { a in shadow.withUnsafeBytes { b in a.elementsEqual(b) } }
        }
        let chosen = primaryValid ? primary! : shadow!
        guard let header = try? CheckpointHeader(parsing: chosen) else { return nil }
        return CheckpointSelection(primaryValid: primaryValid, shadowValid: shadowValid, copiesIdentical: identical, header: header)
    }
}
