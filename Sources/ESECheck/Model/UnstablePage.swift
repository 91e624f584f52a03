/// A page whose bytes differed between successive reads of the same file (`--retries`):
/// the file was being written while it was read — typically the copy of a live database.
/// It is neither proven bad nor verified: the verdict is `unstable`, not `corrupt`.
public struct UnstablePage: Hashable, Sendable {
    /// The logical page number. ESE: `pgno`.
    public var pageNumber: UInt32
    /// Where the page starts in the file.
    public var fileOffset: UInt64
    /// Times the page was read in all (the first read and the re-reads).
    public var reads: Int
    /// Whether the last read passed its checksum (the report holds that read).
    public var settled: Bool

    /// Creates a record of an unstable page.
    public init(pageNumber: UInt32, fileOffset: UInt64, reads: Int, settled: Bool) {
        self.pageNumber = pageNumber
        self.fileOffset = fileOffset
        self.reads = reads
        self.settled = settled
    }
}
