import ESEFormat

/// The log header fields the corpus writer sets. Produces the 4096-byte LGFILEHDR with its checksum.
public struct LogHeaderFields: Hashable, Sendable {
    /// The generation.
    public var generation: Int32
    /// v7 or v8.
    public var format: LogBodyFormat
    /// Sector size (4096 for v8; 512 is typical for v7).
    public var sectorSize: Int
    /// File size in sectors.
    public var fileSectors: Int
    /// Database page size.
    public var pageSize: Int
    /// Creation time of this file.
    public var createTime: LogTime
    /// Creation time of the previous generation (`tmPrevGen`).
    public var previousGenerationTime: LogTime
    /// The sequence's signature.
    public var signature: Signature
    /// Flags (0x02 circular logging now, 0x04 ever).
    public var flags: UInt8
    /// Checkpoint when this file was created.
    public var checkpoint: LogPosition
    /// v8: accumulated segment checksum of the previous generation.
    public var previousAccumulatedChecksum: UInt64
    /// Databases attached: (slot, path, signature).
    public var attachments: [AttachmentFields]

    /// Creates fields.
    public init(generation: Int32, format: LogBodyFormat, sectorSize: Int, fileSectors: Int, pageSize: Int,
                createTime: LogTime, previousGenerationTime: LogTime, signature: Signature, flags: UInt8 = 0,
                checkpoint: LogPosition, previousAccumulatedChecksum: UInt64 = 0,
                attachments: [AttachmentFields] = []) {
        self.generation = generation
        self.format = format
        self.sectorSize = sectorSize
        self.fileSectors = fileSectors
        self.pageSize = pageSize
        self.createTime = createTime
        self.previousGenerationTime = previousGenerationTime
        self.signature = signature
        self.flags = flags
        self.checkpoint = checkpoint
        self.previousAccumulatedChecksum = previousAccumulatedChecksum
        self.attachments = attachments
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.image() == rhs.image() }
    public func hash(into hasher: inout Hasher) { hasher.combine(image()) }

    /// The 4096-byte header with its checksum.
    public func image() -> [UInt8] {
        var header = ByteImage(count: LogFileHeader.size)
        header.set(generation, at: 4)
        header.set(UInt16(sectorSize), at: 8)
        header.set(UInt16(LogFileHeader.size / sectorSize), at: 10)
        header.set(UInt16(fileSectors), at: 12)
        header.set(UInt16(truncatingIfNeeded: pageSize == 4096 ? 0 : pageSize), at: 14)
        header.set(createTime, at: 16)
        header.set(previousGenerationTime, at: 24)
        let (major, minor, updateMajor, updateMinor): (UInt32, UInt32, UInt32, UInt32) =
            format == .v8 ? (8, 4000, 5, 13) : (7, 3704, 15, 0)
        header.set(major, at: 32)
        header.set(minor, at: 36)
        header.set(updateMajor, at: 40)
        header.set(signature, at: 44)
        writeParameters(&header, at: 72)
        header.set(flags, at: 639)
        header.set(checkpoint, at: 640)
        header.set(updateMinor, at: 648)
        header.set(UInt8(1), at: 652)
        if format == .v8 { header.set(previousAccumulatedChecksum, at: 653) }
        header.set(UInt32(format == .v8 ? 0x1000 : 0), at: 661)
        header.set(FileType.log.rawValue, at: FileType.headerOffset)
        Self.writeAttachments(&header, attachments, at: 671)
        header.sealHeader()
        return header.bytes
    }

    func writeParameters(_ header: inout ByteImage, at offset: Int) {
        Self.writeParameterPaths(&header, at: offset, circularLogging: flags & 0x02 != 0)
        for (index, value) in [UInt32(1000), 2048, 4096, 8192, 512, UInt32(fileSectors), 65536].enumerated() {
            header.set(value, at: offset + 523 + 4 * index)
        }
    }

    /// Writes the start of a DBMS_PARAM block at `offset`: system and log paths and the
    /// circular-logging flag (log headers add the numeric limits after them).
    static func writeParameterPaths(_ image: inout ByteImage, at offset: Int, circularLogging: Bool) {
        image.set("C:\\ESE\\", at: offset, fieldSize: 261)
        image.set("C:\\ESE\\Logs\\", at: offset + 261, fieldSize: 261)
        image.set(UInt8(circularLogging ? 1 : 0), at: offset + 522)
    }

    /// Writes an ATTACHINFO list (ANSI names) at `offset`.
    static func writeAttachments(_ image: inout ByteImage, _ attachments: [AttachmentFields], at offset: Int) {
        var position = offset
        for attachment in attachments {
            let name = Array(attachment.path.utf8) + [0]
            guard position + 64 + name.count < offset + 2048 else { break }
            image.set(attachment.id, at: position)
            image.set(UInt8(0), at: position + 1)
            image.set(UInt16(name.count), at: position + 2)
            image.set(UInt64(0x1000), at: position + 4)
            image.set(UInt32(100), at: position + 12)
            image.set(attachment.attachPosition, at: position + 20)
            image.set(attachment.consistentPosition, at: position + 28)
            image.set(attachment.signature, at: position + 36)
            image.set(name, at: position + 64)
            position += 64 + name.count
        }
    }
}
