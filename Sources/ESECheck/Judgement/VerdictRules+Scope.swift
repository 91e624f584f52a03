import ESEFormat

extension VerdictRules {
    /// Pages that read differently on re-reading (`unstable`: the copy of a live file, not
    /// proven corrupt, −1021 as for conflicting copies), and a partial scope (`incomplete`:
    /// what was not verified cannot be called consistent).
    /// The scope entry of a backup that holds logs only: its pages are not read.
    static func logOnlyPages(_ type: BackupType) -> CheckScope.Skipped {
        CheckScope.Skipped(what: .pages, reason: "an \(type.rawValue) backup holds the logs written since the last backup: "
                           + "the database's pages are not part of it and were not read", isWarning: true)
    }

    static func judgeScope(_ report: DatabaseReport, add: (Verdict, VerdictReason) -> Void) {
        let unstable = report.unstablePages
        if !unstable.isEmpty {
            let list = unstable.prefix(10).map { "\($0.pageNumber)" }.joined(separator: ", ") + (unstable.count > 10 ? ", …" : "")
            add(.unstable, VerdictReason(.unstablePages,
                "\(unstable.count) page(s) failed their checksum and read differently when read again (\(list)): the file was "
                + "being written while it was read, as when a live database is copied. Copy it again from a snapshot (VSS, LVM, "
                + "a storage snapshot) or from a dismounted database, then check the copy",
                jetError: .diskReadVerificationFailure))
        }
        for entry in report.scope.skipped where !entry.isWarning {
            add(.incomplete, VerdictReason(.partialScope, "not verified (\(entry.what)): \(entry.reason)", jetError: .taskDropped))
        }
    }
}
