import ESEFormat

/// A fingerprint of the copy of each page that was checked, so that a page checked again is
/// compared with the copy the tally holds: the same bytes are a harmless repeat, other bytes
/// a conflict (which copy is right is not known), and a resubmitted copy can take back the
/// earlier one's result exactly.
///
/// A fingerprint is 32 bits: 29 of a hash of the stored and computed checksums, 3 of the
/// outcome. The table is direct-mapped by page number with at most `capacity` entries (32 MiB)
/// and allocated in chunks as pages arrive, so it costs 8 bytes per page seen up to 4 Mi
/// pages (16 GiB of 4 KiB pages, 128 GiB of 32 KiB pages) and no more beyond. Larger
/// databases share entries between pages `capacity` apart: a page whose entry was taken by
/// another is reported as not comparable, never as matching.
struct PageDigests: Sendable {
    /// The outcome a fingerprint records, in 3 bits: a data page's outcome kind (1–6) or a
    /// trailer page (7); 0 is an empty entry.
    struct Kind: Hashable, Sendable {
        let rawValue: UInt8
        static let trailer = Kind(unchecked: 7)

        private init(unchecked rawValue: UInt8) { self.rawValue = rawValue }

        init?(rawValue: UInt8) {
            guard rawValue >= 1, rawValue <= 7 else { return nil }
            self.rawValue = rawValue
        }

        /// A data page's outcome (PageDigestsTests checks that every kind fits below 7).
        init(_ outcome: PageOutcome) {
            // Per page: a search of a table built once, never the array `allCases` builds per call.
            var index = 0
            while Self.outcomeKinds[index] != outcome.kind { index += 1 }
            rawValue = UInt8(index + 1)
        }

        /// The outcome kinds in the order of their raw values 1–6.
        private static let outcomeKinds = PageOutcome.Kind.allCases

        /// The outcome's kind, nil for a trailer page.
        var outcomeKind: PageOutcome.Kind? {
            self == .trailer ? nil : Self.outcomeKinds[Int(rawValue) - 1]
        }
    }

    /// A page's fingerprint.
    struct Digest: Hashable, Sendable {
        var hash: UInt32
        var kind: Kind

        /// The fingerprint of a data page's check.
        init(_ check: PageCheck) {
            kind = Kind(check.outcome)
            var state = Self.mix(Self.seed, check.stored.block0)
            state = Self.mix(Self.mix(Self.mix(state, check.stored.block1), check.stored.block2), check.stored.block3)
            state = Self.mix(Self.mix(state, check.computed.block0), check.computed.block1)
            state = Self.mix(Self.mix(state, check.computed.block2), check.computed.block3)
            hash = Self.finish(Self.mix(state, UInt64(check.pageNumber)))
        }

        /// The fingerprint of a header-type (trailer) page's check.
        init(trailer check: HeaderPageCheck) {
            kind = .trailer
            hash = Self.finish(Self.mix(Self.mix(Self.mix(Self.seed, UInt64(check.stored)), UInt64(check.computed)), 0x7472_6169_6C65_72))
        }

        init(hash: UInt32, kind: Kind) {
            self.hash = hash & ~7
            self.kind = kind
        }

        // A multiply–xorshift hash of the values, folded to 29 bits; one step per value, so a
        // fingerprint (computed for every page) allocates nothing.
        private static let seed: UInt64 = 0xCBF2_9CE4_8422_2325

        @inline(__always)
        private static func mix(_ state: UInt64, _ value: UInt64) -> UInt64 {
            let mixed = (state ^ value) &* 0x9E37_79B9_7F4A_7C15
            return mixed ^ (mixed >> 29)
        }

        @inline(__always)
        private static func finish(_ state: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: state ^ (state >> 32)) & ~7 }
    }

    /// What the table knows about a page.
    enum Lookup: Equatable {
        /// The page's fingerprint.
        case known(Digest)
        /// Nothing recorded for it (never checked, a hole of a sparse file, or its entry was
        /// taken by a page `capacity` away).
        case unknown
    }

    /// The most entries kept (direct-mapped).
    static let capacity = 1 << 22
    static let chunkEntries = 1 << 16

    /// Entries in use: the pages of the database, at most `capacity`.
    let slots: Int
    private var chunks: [Int: [UInt64]] = [:]

    /// A table for a database of `pageCount` pages.
    init(pageCount: Int) { slots = max(1, min(pageCount, Self.capacity)) }

    /// Records the fingerprint of page `pageNumber` (1-based), replacing what was there.
    mutating func record(_ digest: Digest, page pageNumber: Int) {
        guard pageNumber > 0 else { return }
        let slot = (pageNumber - 1) % slots
        let entry = UInt64(UInt32(truncatingIfNeeded: pageNumber)) << 32 | UInt64(digest.hash | UInt32(digest.kind.rawValue))
        chunks[slot / Self.chunkEntries, default: [UInt64](repeating: 0, count: min(Self.chunkEntries, slots))][slot % Self.chunkEntries] = entry
    }

    /// Records the fingerprints of consecutive pages from `firstPage` on, one table chunk at a
    /// time (the common case of a batch).
    mutating func record(_ digests: [Digest], from firstPage: Int) {
        guard firstPage > 0 else { return }
        var index = 0
        while index < digests.count {
            let slot = (firstPage + index - 1) % slots
            let chunk = slot / Self.chunkEntries, offset = slot % Self.chunkEntries
            let count = min(digests.count - index, min(Self.chunkEntries, slots) - offset, slots - slot)
            let pageBase = firstPage + index
            chunks[chunk, default: [UInt64](repeating: 0, count: min(Self.chunkEntries, slots))].withUnsafeMutableBufferPointer { entries in
                for step in 0..<count {
                    let digest = digests[index + step]
                    entries[offset + step] = UInt64(UInt32(truncatingIfNeeded: pageBase + step)) << 32
                        | UInt64(digest.hash | UInt32(digest.kind.rawValue))
                }
            }
            index += count
        }
    }

    /// The fingerprint of page `pageNumber`, when the table still holds it.
    func lookup(page pageNumber: Int) -> Lookup {
        guard pageNumber > 0 else { return .unknown }
        let slot = (pageNumber - 1) % slots
        guard let chunk = chunks[slot / Self.chunkEntries] else { return .unknown }
        let entry = chunk[slot % Self.chunkEntries]
        guard entry >> 32 == UInt64(UInt32(truncatingIfNeeded: pageNumber)), let kind = Kind(rawValue: UInt8(entry & 7)) else {
            return .unknown
        }
        return .known(Digest(hash: UInt32(truncatingIfNeeded: entry), kind: kind))
    }
}
