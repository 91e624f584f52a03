/// The outcome of checking a copy against its manifest (`ManifestBuilder.verify`).
public struct ManifestVerification: Sendable {
    /// The manifest the copy was checked against.
    public var manifest: BackupManifest
    /// Missing, extra and resized files, found from the directory listing before any page
    /// was read (sizes only; hashes are not compared here).
    public var listing: ManifestComparison
    /// Every file compared by size and whole-file hash after the single read of the check.
    public var comparison: ManifestComparison
    /// The storage-group report, its verdict combined with the comparison
    /// (`ManifestComparison.verdict`: a copy that differs is never restorable).
    public var report: StorageGroupReport
}
