/// Whether a copy is the one a manifest recorded: every file compared by name, size and
/// whole-file hash (`XXH3Tree`) before any page work (pg_verifybackup's order). Identity (device,
/// inode, times) is not compared: a restored copy has new ones.
public struct ManifestComparison: Hashable, Sendable {
    /// What differs for one file.
    public enum Difference: String, Hashable, Sendable {
        /// In the manifest, not in the copy.
        case missing
        /// In the copy, not in the manifest.
        case extra
        /// Another size than recorded.
        case resized
        /// The same size, another whole-file hash (a page replaced by an older valid one, a log
        /// swapped for another of the same generation).
        case changed
        /// The whole-file hash could not be computed on one side (a read failed), so the file is not
        /// proven to be the recorded one.
        case unverified
    }

    /// One file that differs.
    public struct Finding: Hashable, Sendable {
        /// The file's name relative to the directory.
        public var name: String
        /// What differs.
        public var difference: Difference
        /// Recorded and found values, for the report.
        public var detail: String
        /// The size the manifest recorded (nil for an extra file).
        public var recordedSize: UInt64?
        /// The size found in the copy (nil for a missing file).
        public var foundSize: UInt64?
        /// The whole-file hash the manifest recorded, as written there (nil when absent or
        /// not compared); an opaque value of the manifest's hash algorithm.
        public var recordedHash: String?
        /// The whole-file hash of the copy (nil when it could not be computed or was not compared).
        public var foundHash: String?
    }

    /// The files that differ, by name.
    public var findings: [Finding]
    /// Files compared and found the same.
    public var matched: Int

    /// Whether the copy is exactly the one the manifest recorded.
    public var matches: Bool { findings.isEmpty }

    /// Compares what the copy holds (`found`, by name) with what the manifest recorded; with
    /// `comparingHashes` false only presence and sizes (the listing before page work).
    public static func compare(_ manifest: BackupManifest, found: [BackupManifest.Entry], comparingHashes: Bool = true) -> ManifestComparison {
        // Keyed by the names' bytes: `String` equality is canonical equivalence, and two names
        // differing only in Unicode normalisation are two files (PathEncoding: names are bytes).
        var byName: [[UInt8]: BackupManifest.Entry] = [:]
        for entry in found { byName[PathEncoding.bytes(of: entry.name)] = entry }
        var findings: [Finding] = [], matched = 0
        for recorded in manifest.entries {
            guard let entry = byName.removeValue(forKey: PathEncoding.bytes(of: recorded.name)) else {
                findings.append(Finding(name: recorded.name, difference: .missing, detail: "recorded with \(recorded.size) bytes",
                                        recordedSize: recorded.size))
                continue
            }
            if entry.size != recorded.size {
                findings.append(Finding(name: recorded.name, difference: .resized, detail: "recorded \(recorded.size) bytes, found \(entry.size)",
                                        recordedSize: recorded.size, foundSize: entry.size))
            } else if !comparingHashes {
                matched += 1
            } else if let was = recorded.hash, let now = entry.hash {
                if was == now { matched += 1 } else {
                    findings.append(Finding(name: recorded.name, difference: .changed,
                                            detail: "recorded hash \(BackupManifest.hex(was)), found \(BackupManifest.hex(now))",
                                            recordedSize: recorded.size, foundSize: entry.size,
                                            recordedHash: BackupManifest.hex(was), foundHash: BackupManifest.hex(now)))
                }
            } else {
                findings.append(Finding(name: recorded.name, difference: .unverified,
                                        detail: recorded.hash == nil ? "the manifest has no hash for it" : "it could not be read whole",
                                        recordedSize: recorded.size, foundSize: entry.size,
                                        recordedHash: recorded.hash.map(BackupManifest.hex), foundHash: entry.hash.map(BackupManifest.hex)))
            }
        }
        for entry in byName.values {
            findings.append(Finding(name: entry.name, difference: .extra, detail: "\(entry.size) bytes, not in the manifest", foundSize: entry.size))
        }
        findings.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return ManifestComparison(findings: findings, matched: matched)
    }

    /// The storage-group verdict of a copy checked against its manifest: the check's own
    /// verdict when the copy matches; otherwise never a restorable one — a restorable verdict
    /// becomes `incomplete` (the copy is sound but not proven to be the one verified), a
    /// worse one stays what it is.
    public static func verdict(storageGroup: Verdict, comparison: ManifestComparison) -> Verdict {
        guard !comparison.matches, storageGroup.isRestorable else { return storageGroup }
        return .incomplete
    }
}
