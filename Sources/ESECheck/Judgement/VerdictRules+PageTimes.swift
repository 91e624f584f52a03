import ESEFormat

extension VerdictRules {
    /// Adds redo's database-time check to the verdicts. A mismatch fails recovery with its error
    /// (−566, −567, −625, −1019): the database holding the page is `notRecoverable` from these
    /// logs, and — ESE's recovery being all or nothing — so is every other database the set
    /// replays; a clean database keeps its verdict with a warning. A check that could not be
    /// made is a warning.
    static func applyPageTimes(_ verdicts: inout [DatabaseVerdict], _ results: [PageTimeCheck?]) {
        for index in verdicts.indices {
            guard let result = results[safe: index] ?? nil else { continue }
            verdicts[index].pageTimes = result
            if let why = result.notChecked {
                verdicts[index].reasons.append(VerdictReason(.pageTimesNotChecked,
                    "redo's database-time check of the pages was not made: " + why, isWarning: true))
            }
        }
        let failing = verdicts.indices.compactMap { index in verdicts[index].pageTimes?.first.map { (index, $0) } }
        guard let (culprit, first) = failing.first else { return }
        for (index, mismatch) in failing {
            let result = verdicts[index].pageTimes!
            let more = result.mismatchCount > 1 ? " (\(result.mismatchCount) pages in all; see pageTimes)" : ""
            let message = "soft recovery fails with \(mismatch.jetError.code): "
                + (mismatch.jetError == .pageNotInitialized ? "a page the replayed logs change is all zero: "
                    : "the database is \(mismatch.jetError == .dbTimeTooOld ? "older" : "other") than the replayed logs expect: ")
                + mismatch.text + (mismatch.deferred ? ", raised when replay leaves the required range" : "") + more
            fail(&verdicts[index], VerdictReason(mismatch.code, message, jetError: mismatch.jetError))
        }
        let path = verdicts[culprit].report.path
        for index in verdicts.indices where verdicts[index].pageTimes?.first == nil {
            guard let header = verdicts[index].report.header else { continue }
            let message = "recovery of the log set fails: \(path): " + first.text
            if header.state.needsLogReplay, verdicts[index].verdict.isRestorable {
                fail(&verdicts[index], VerdictReason(.setNotRecoverable, message, jetError: first.jetError))
            } else if !header.state.needsLogReplay {
                verdicts[index].reasons.append(VerdictReason(.setNotRecoverable, message + "; the database is clean and needs no log",
                                                             jetError: first.jetError, isWarning: true))
            }
        }
    }

    /// Adds a failing reason: the verdict becomes at least `notRecoverable`, the JET error the
    /// first failing reason's.
    private static func fail(_ verdict: inout DatabaseVerdict, _ reason: VerdictReason) {
        var result = finished(verdict.report, coverage: verdict.coverage, verdict: Verdict.worst(verdict.verdict, .notRecoverable),
                              reasons: verdict.reasons + [reason])
        result.recovery = verdict.recovery
        result.pageTimes = verdict.pageTimes
        verdict = result
    }
}
