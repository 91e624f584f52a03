// A session's comparison with a manifest as the C result calls read it, built once when a
// manifest run ends.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ESECheck

/// `esecheck_manifest_result`.
struct ManifestResultLayout: CLayout {
    static let cSize = 64
    var compared: Int32
    var isRecordedCopy: Int32
    var fileCount: UInt32
    var matched: UInt32
    var findingCount: UInt32
    var missingCount: UInt32
    var extraCount: UInt32
    var resizedCount: UInt32
    var changedCount: UInt32
    var unverifiedCount: UInt32
}

/// `esecheck_manifest_finding`.
struct ManifestFindingLayout: CLayout {
    static let cSize = 56
    var name: UnsafePointer<CChar>?
    var detail: UnsafePointer<CChar>?
    var recordedHash: UnsafePointer<CChar>?
    var foundHash: UnsafePointer<CChar>?
    var difference: Int32
    var reserved: UInt32 = 0
    var recordedSize: UInt64
    var foundSize: UInt64
}

extension ManifestComparison.Difference {
    /// The `esecheck_manifest_difference` value (esecheck.h): one per case, never renumbered.
    var cValue: Int32 {
        switch self {
        case .missing: 0
        case .extra: 1
        case .resized: 2
        case .changed: 3
        case .unverified: 4
        }
    }
}

/// The comparison of a finished manifest run in the shapes esecheck.h hands out. Immutable
/// once built; it owns the C strings of the findings, freed with the session.
final class CManifestResults: @unchecked Sendable {
    let result: ManifestResultLayout
    let findings: [ManifestFindingLayout]
    private let strings: [UnsafeMutablePointer<CChar>]

    /// The comparison of `verification`; nil gives the zeroed result of a run without a manifest.
    init(_ verification: ManifestVerification?) {
        var strings: [UnsafeMutablePointer<CChar>] = []
        func owned(_ text: String?) -> UnsafePointer<CChar>? {
            guard let text, let copy = strdup(text) else { return nil }
            strings.append(copy)
            return UnsafePointer(copy)
        }
        guard let verification else {
            result = ManifestResultLayout(compared: 0, isRecordedCopy: 0, fileCount: 0, matched: 0, findingCount: 0, missingCount: 0,
                                          extraCount: 0, resizedCount: 0, changedCount: 0, unverifiedCount: 0)
            findings = []
            self.strings = []
            return
        }
        let comparison = verification.comparison
        func count(_ difference: ManifestComparison.Difference) -> UInt32 {
            UInt32(clamping: comparison.findings(difference).count)
        }
        result = ManifestResultLayout(compared: 1, isRecordedCopy: comparison.matches ? 1 : 0,
                                      fileCount: UInt32(clamping: verification.manifest.entries.count),
                                      matched: UInt32(clamping: comparison.matched), findingCount: UInt32(clamping: comparison.findings.count),
                                      missingCount: count(.missing), extraCount: count(.extra), resizedCount: count(.resized),
                                      changedCount: count(.changed), unverifiedCount: count(.unverified))
        findings = comparison.findings.map { finding in
            ManifestFindingLayout(name: owned(finding.name), detail: owned(finding.detail), recordedHash: owned(finding.recordedHash),
                                  foundHash: owned(finding.foundHash), difference: finding.difference.cValue,
                                  recordedSize: finding.recordedSize ?? 0, foundSize: finding.foundSize ?? 0)
        }
        self.strings = strings
    }

    deinit {
        for string in strings { free(string) }
    }
}
