/// The choice between a database's primary header and its shadow, and the page size they
/// reveal. ESE: `ErrUtilReadSpecificShadowedHeader` (`fileu.cxx`).
///
/// For each candidate page size `c` — the larger of the sector size and 2 KiB, doubling up
/// to 32 KiB — the copy at offset 0 (primary) is good when its XOR checksum over `c` bytes
/// matches and its stored page size (0 meaning 4096) equals `c`; likewise the copy at
/// offset `c` (shadow). The last candidate that validates each copy wins. Neither good ⇒
/// −1018; both good but different ⇒ the primary is used and the shadow is bad; one good ⇒
/// that one is used.
public struct HeaderSelection: Hashable, Sendable {
    /// One copy of the header, as examined at the elected page size.
    public struct Copy: Hashable, Sendable {
        /// Byte offset of the copy in the file (0 or the page size).
        public var offset: Int
        /// Whether the copy was found good at some candidate size.
        public var isValid: Bool
        /// The stored checksum (first dword) at the elected size, if the bytes exist.
        public var storedChecksum: UInt32?
        /// The computed checksum at the elected size, if the bytes exist.
        public var computedChecksum: UInt32?
    }

    /// The page size the headers declare and validate at.
    public var pageSize: Int
    /// The primary header at offset 0.
    public var primary: Copy
    /// The shadow header at offset `pageSize`.
    public var shadow: Copy
    /// Whether both copies are good and byte-identical.
    public var copiesIdentical: Bool
    /// Whether the shadow was used because the primary is bad.
    public var usesShadow: Bool
    /// The parsed header of the copy in use.
    public var header: DatabaseHeader

    /// Why no header could be chosen.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// Neither copy validates at any page size. ESE: −1018.
        case noValidHeader(primaryChecksum: (stored: UInt32, computed: UInt32)?, fileSize: Int)
        /// A copy validates but is not a database header. ESE: −1209 or −1206.
        case notADatabase(FormatError)

        public static func == (lhs: Failure, rhs: Failure) -> Bool { lhs.description == rhs.description }
        public func hash(into hasher: inout Hasher) { hasher.combine(description) }

        /// The JET error ESE would return.
        public var jetError: JetError {
            switch self {
            case .noValidHeader: .readVerifyFailure
            case .notADatabase(let error): error.kind == .wrongStructure ? .invalidDatabaseVersion : .databaseCorrupted
            }
        }

        public var description: String {
            switch self {
            case .noValidHeader(let checksum, let fileSize):
                var text = "neither the primary header nor the shadow header is valid at any page size from 2 KiB to 32 KiB"
                if let checksum {
                    text += " (primary at 4 KiB: stored checksum 0x\(String(checksum.stored, radix: 16)), computed 0x\(String(checksum.computed, radix: 16)))"
                }
                if fileSize < 2 * 2048 { text += "; the file is only \(fileSize) bytes" }
                return text
            case .notADatabase(let error):
                return "the header checksum is valid but the page is not a database header: \(error)"
            }
        }
    }

    /// Chooses a header from the first bytes of a database file.
    ///
    /// - Parameters:
    ///   - prefix: the file's first bytes — 64 KiB, or the whole file when shorter.
    ///   - minimumPageSize: the smallest candidate (the volume's sector size, at least 2 KiB).
    /// - Throws: `Failure` when no copy validates or the valid copy is not a database header.
    public static func select(from prefix: RawSpan, minimumPageSize: Int = 2048) throws(Failure) -> HeaderSelection {
        let available = prefix.byteCount
        var primarySize = 0, shadowSize = 0
        var candidate = max(minimumPageSize, 2048)
        while candidate <= 32768 {
            if available >= candidate, copyIsGood(prefix.extracting(0..<candidate), size: candidate) {
                primarySize = candidate
            }
            if available >= 2 * candidate, copyIsGood(prefix.extracting(candidate..<2 * candidate), size: candidate) {
                shadowSize = candidate
            }
            candidate *= 2
        }
        guard primarySize != 0 || shadowSize != 0 else {
            var checksum: (stored: UInt32, computed: UInt32)?
            if available >= 4096 {
                let page = prefix.extracting(0..<4096)
                checksum = (LegacyChecksum.stored(page), LegacyChecksum.compute(page))
            }
            throw .noValidHeader(primaryChecksum: checksum, fileSize: available)
        }
        let pageSize = primarySize != 0 ? primarySize : shadowSize
        let usesShadow = primarySize == 0
        var identical = false
        if primarySize != 0, shadowSize != 0, primarySize == shadowSize {
            identical = bytesEqual(prefix.extracting(0..<pageSize), prefix.extracting(pageSize..<2 * pageSize))
        }
        func describe(_ offset: Int, valid: Bool) -> Copy {
            guard available >= offset + pageSize else {
                return Copy(offset: offset, isValid: valid, storedChecksum: nil, computedChecksum: nil)
            }
            let page = prefix.extracting(offset..<offset + pageSize)
            return Copy(offset: offset, isValid: valid, storedChecksum: LegacyChecksum.stored(page),
                        computedChecksum: LegacyChecksum.compute(page))
        }
        let chosenOffset = usesShadow ? pageSize : 0
        let header: DatabaseHeader
        do {
            header = try DatabaseHeader(parsing: prefix.extracting(chosenOffset..<chosenOffset + pageSize))
        } catch {
            throw .notADatabase(error)
        }
        return HeaderSelection(
            pageSize: pageSize,
            primary: describe(0, valid: primarySize == pageSize),
            shadow: describe(pageSize, valid: shadowSize == pageSize && (identical || usesShadow)),
            copiesIdentical: identical, usesShadow: usesShadow, header: header)
    }

    private static func copyIsGood(_ page: RawSpan, size: Int) -> Bool {
        guard page.byteCount >= 240, LegacyChecksum.isValid(page) else { return false }
        let stored = Int(page.uint32(at: 236))
        guard stored == 0 || PageLayout.validPageSizes.contains(stored) else { return false }
        return (stored == 0 ? 4096 : stored) == size
    }

    private static func bytesEqual(_ a: RawSpan, _ b: RawSpan) -> Bool {
        guard a.byteCount == b.byteCount else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
    }
}
