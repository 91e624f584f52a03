import ESEFormat

/// Reads pages again that failed their checksum (`--retries`), as pgBackRest and
/// pg_probackup do before condemning a page: a page whose bytes are the same on every read
/// is bad on disk (`corrupt`); one whose bytes change between reads was being written while
/// it was read — the copy of a live file — and is recorded as unstable (`UnstablePage`,
/// verdict `unstable`). The last read replaces the first in the report (`resubmitPages`).
struct PageRereader {
    /// Re-reads per failing page.
    let retries: Int

    /// A page that failed its checksum, as first read.
    struct Suspect {
        let pageNumber: UInt32
        let fileOffset: UInt64
        let bytes: [UInt8]
    }

    /// Copies of the pages of a batch that failed (taken while the batch's bytes are in
    /// view); none when re-reading is off.
    static func suspects(_ checks: [PageCheck], in bytes: RawSpan, at offset: UInt64, pageSize: Int, retries: Int) -> [Suspect] {
        guard retries > 0 else { return [] }
        let firstPhysical = Int(offset / UInt64(pageSize))
        return checks.compactMap { check -> Suspect? in
            guard check.outcome.isBad else { return nil }
            let index = Int(check.pageNumber) + 1 - firstPhysical
            guard index >= 0, (index + 1) * pageSize <= bytes.byteCount else { return nil }
            let page = bytes.extracting(index * pageSize..<(index + 1) * pageSize)
            return Suspect(pageNumber: check.pageNumber, fileOffset: offset + UInt64(index * pageSize),
                           bytes: page.withUnsafeBytes { Array($0) })
        }
    }

    /// Reads each suspect again up to `retries` times, stopping early once it has read
    /// differently and passed; a page that read differently is resubmitted with its last
    /// read and recorded as unstable.
    func settle(_ suspects: [Suspect], chunk: PageChunk, file: ReadOnlyFile, session: CheckSession, reader: inout WindowReader) {
        let layout = chunk.layout
        for suspect in suspects {
            var reads = 1, last = suspect.bytes, differed = false
            while reads <= retries {
                session.options.throttle?.acquire(bytes: layout.pageSize)
                guard let again = try? reader.withBytes(of: file, at: suspect.fileOffset, count: layout.pageSize, { span in
                    span.withUnsafeBytes { Array($0) }
                }) else { break }
                reads += 1
                if again != suspect.bytes { differed = true }
                last = again
                if differed, let check = try? PageVerifier.check(again.span.bytes, pageNumber: suspect.pageNumber, layout: layout),
                   !check.outcome.isBad { break }
            }
            guard differed else { continue }
            let result = try? session.resubmitPages(database: chunk.slot.index, fileOffset: suspect.fileOffset, bytes: last.span.bytes)
            let settled = result?.pages.first.map { !$0.outcome.isBad } ?? false
            chunk.slot.progress.withLock { state in
                state.report.unstablePages.append(UnstablePage(pageNumber: suspect.pageNumber, fileOffset: suspect.fileOffset,
                                                               reads: reads, settled: settled))
                state.report.unstablePages.sort { $0.pageNumber < $1.pageNumber }
            }
        }
    }
}
