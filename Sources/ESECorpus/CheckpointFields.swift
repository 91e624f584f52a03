import ESEFormat

/// Checkpoint file fields. Produces the 8192-byte file: two identical checksummed copies.
public struct CheckpointFields: Hashable, Sendable {
    /// Where redo starts.
    public var checkpoint: LogPosition
    /// The sequence's signature.
    public var signature: Signature
    /// Circular logging configured.
    public var circularLogging: Bool
    /// Last full backup position and time.
    public var fullBackup: (LogPosition, LogTime)?
    /// Last incremental backup position and time.
    public var incrementalBackup: (LogPosition, LogTime)?
    /// Attached databases.
    public var attachments: [AttachmentFields]

    /// Creates fields.
    public init(checkpoint: LogPosition, signature: Signature, circularLogging: Bool = false,
                attachments: [AttachmentFields] = []) {
        self.checkpoint = checkpoint
        self.signature = signature
        self.circularLogging = circularLogging
        self.attachments = attachments
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.image() == rhs.image() }
    public func hash(into hasher: inout Hasher) { hasher.combine(image()) }

    /// The whole file: two copies of the 4096-byte header.
    public func image() -> [UInt8] {
        var copy = ByteImage(count: CheckpointHeader.size)
        if let fullBackup { copy.set(fullBackup.0, at: 4) }
        copy.set(checkpoint, at: 12)
        copy.set(signature, at: 20)
        LogHeaderFields.writeParameterPaths(&copy, at: 48, circularLogging: circularLogging)
        if let fullBackup {
            copy.set(fullBackup.0, at: 615)
            copy.set(fullBackup.1, at: 623)
        }
        if let incrementalBackup {
            copy.set(incrementalBackup.0, at: 631)
            copy.set(incrementalBackup.1, at: 639)
        }
        copy.set(UInt8(attachments.isEmpty ? 0 : 1), at: 647)
        copy.set(FileType.checkpoint.rawValue, at: FileType.headerOffset)
        LogHeaderFields.writeAttachments(&copy, attachments, at: 679)
        copy.sealHeader()
        return copy.bytes + copy.bytes
    }
}
