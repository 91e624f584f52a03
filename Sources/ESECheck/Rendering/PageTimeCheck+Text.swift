import ESEFormat

extension PageTimeCheck {
    /// One line for the text report: what was compared and how many pages failed.
    public var text: String {
        if let notChecked { return "Page times (redo's dbtime check): not checked: \(notChecked)" }
        return "Page times (redo's dbtime check): \(pagesCompared) of \(pagesReferenced) pages the replayed logs change compared, "
            + (mismatchCount == 0 ? "all as the logs expect" : "\(mismatchCount) not as the logs expect")
    }
}
