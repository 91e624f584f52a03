/// One entry point per parser, fed arbitrary bytes by the libFuzzer targets
/// (`Tests/Fuzz/run-fuzzers.sh`) and by the regression tests that replay what they found.
/// Each must return for every input: no trap, no hang, no out-of-bounds access.
package enum FuzzEntryPoints {
    /// The targets, by name.
    package static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "database-header": { databaseHeader($0) },
        "page": { page($0) },
        "tree-page": { treePage($0) },
        "log-header": { logHeader($0) },
        "v8-body": { v8Body($0) },
        "v7-body": { v7Body($0) },
        "records": { records($0) },
        "checkpoint": { checkpoint($0) },
        "file-name": { fileName($0) },
    ]

    /// Header and shadow selection, every field, the invariants.
    package static func databaseHeader(_ bytes: [UInt8]) {
        guard let selection = try? HeaderSelection.select(from: bytes.span.bytes) else { return }
        let header = selection.header
        _ = header.invariantViolations
        _ = header.requiredGenerations
        _ = header.state.eseutilName
        _ = "\(header.databaseSignature) \(header.logSignature) \(header.consistentPosition) \(header.attachTime)"
        _ = PageLayout(pageSize: header.pageSize)
    }

    /// One page at a size and page number chosen by the first five bytes.
    package static func page(_ bytes: [UInt8]) {
        guard bytes.count >= 5 else { return }
        let sizes = [4096, 8192, 16384, 32768, 2048]
        let layout = PageLayout(pageSize: sizes[Int(bytes[0]) % sizes.count])!
        let pageNumber = UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24
        var page = Array(bytes.dropFirst(5).prefix(layout.pageSize))
        page += [UInt8](repeating: 0, count: layout.pageSize - page.count)
        _ = try? PageVerifier.check(page.span.bytes, pageNumber: pageNumber, layout: layout)
        _ = try? PageHeader(parsing: page.span.bytes, layout: layout)
        _ = PageVerifier.looksLikeHeaderPage(page.span.bytes)
        _ = PageVerifier.checkHeaderPage(page.span.bytes)
        _ = DatabaseSpace.lastOwnedPage(root: page.span.bytes, ownExtentRoot: page.span.bytes, layout: layout)
        let count = PageNodes.count(page.span.bytes, layout: layout) ?? 0
        for index in 0..<min(count + 1, 64) { _ = PageNodes.keyAndData(page.span.bytes, layout: layout, index: index) }
    }

    /// One page read as the structure walk reads it (nodes, children, space header, extents,
    /// catalog records), at a size chosen by the first byte; the flags the walk branches on are
    /// taken from the input as they are.
    package static func treePage(_ bytes: [UInt8]) {
        guard bytes.count >= 1 else { return }
        let sizes = [4096, 8192, 16384, 32768]
        let layout = PageLayout(pageSize: sizes[Int(bytes[0]) % sizes.count])!
        var page = Array(bytes.dropFirst().prefix(layout.pageSize))
        page += [UInt8](repeating: 0, count: layout.pageSize - page.count)
        let tree = TreePage(parsing: page.span.bytes, layout: layout)
        _ = tree.children.count + tree.extents.count + tree.catalogEntries.count
        let count = PageNodes.count(page.span.bytes, layout: layout) ?? 0
        for index in 0..<min(count + 1, 64) {
            if case .success(let node) = TreeNode.read(page.span.bytes, layout: layout, index: index) {
                _ = node.key(in: page.span.bytes, layout: layout)
                _ = SpaceExtent(node: node, page: page.span.bytes, layout: layout)
                _ = CatalogEntry(node: node, page: page.span.bytes)
            }
        }
    }

    /// The log header, its field checks and attachment list.
    package static func logHeader(_ bytes: [UInt8]) {
        guard let header = try? LogFileHeader(parsing: bytes.span.bytes) else { return }
        _ = header.fieldProblems
        _ = header.declaredFileSize
        _ = header.versionText
        for attachment in header.attachments { _ = attachment.path.count }
        _ = LegacyChecksum.isValid(bytes.span.bytes)
    }

    /// A v8 body scan with whatever header the first 4096 bytes hold.
    package static func v8Body(_ bytes: [UInt8]) {
        guard let header = try? LogFileHeader(parsing: bytes.span.bytes) else { return }
        _ = SegmentScanner.scan(bytes.span.bytes, header: header)
    }

    /// A v7 body scan with whatever header the first 4096 bytes hold.
    package static func v7Body(_ bytes: [UInt8]) {
        guard let header = try? LogFileHeader(parsing: bytes.span.bytes) else { return }
        _ = LegacyLogScanner.scan(bytes.span.bytes, header: header)
    }

    /// The record walker: after the real body scan, and again with the body taken as valid
    /// whatever its checksums (the header's checksum field choosing a torn segment, a
    /// corrected bit and where the data ends), so that arbitrary bytes reach every record rule.
    package static func records(_ bytes: [UInt8]) {
        guard let header = try? LogFileHeader(parsing: bytes.span.bytes) else { return }
        let span = bytes.span.bytes
        let scan = header.scanBody(span)
        _ = LogRecordWalker.walk(span, header: header, scan: scan)
        let knobs = Int(header.checksum)
        var loose = LogBodyScan(format: header.bodyFormat, generation: header.generation)
        switch header.bodyFormat {
        case .v8:
            let segments = bytes.count / SegmentScanner.segmentSize
            loose.lastGoodSector = segments - 1 - (knobs & 1)
            if knobs & 2 != 0 { loose.tornWriteSector = (knobs >> 8) % max(1, segments) }
            if knobs & 4 != 0 { loose.corrections = [SectorCorrection(sector: (knobs >> 16) % max(1, segments), bit: (knobs >> 3) & 0x7FFF)] }
        case .v7:
            let sectorSize = max(512, Int(header.sectorSize))
            let end = max(0, bytes.count - (knobs & 0x3FF))
            loose.endOfData = LogPosition(generation: header.generation, sector: UInt16(truncatingIfNeeded: end / sectorSize),
                                          byteOffset: UInt16(truncatingIfNeeded: end % sectorSize))
            if knobs & 0x400 != 0 { loose.damage = LogDamage(reason: .segmentCorrupt, sector: 0, fileOffset: 0) }
        }
        let walk = LogRecordWalker.walk(span, header: header, scan: loose)
        _ = walk.countsByType
        _ = "\(String(describing: walk.firstInvalid)) \(walk.databaseRecords.map { $0.path ?? "" })"
    }

    /// Checkpoint copy selection and every field.
    package static func checkpoint(_ bytes: [UInt8]) {
        guard let selection = CheckpointSelection.select(from: bytes.span.bytes) else { return }
        _ = "\(selection.header.checkpoint) \(selection.header.logSignature) \(selection.header.attachments.count)"
    }

    /// Log-directory file names.
    package static func fileName(_ bytes: [UInt8]) {
        let name = String(decoding: bytes.prefix(256), as: UTF8.self)
        guard let parsed = LogFileName(name) else { return }
        _ = parsed.belongs(to: "E00")
        if let generation = parsed.generation {
            _ = LogFileName.name(baseName: parsed.baseName, generation: generation)
        }
    }
}
