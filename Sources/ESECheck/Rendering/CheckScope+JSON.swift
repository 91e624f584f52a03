extension CheckScope {
    /// `{"complete":…, "skipped":[{"what","reason"}], "pages":{"selection","ranges":[{"first","last"}]}|null}`.
    public var json: JSONValue {
        .object([
            "complete": .bool(isComplete),
            "skipped": .array(skipped.map { .object(["what": .string($0.what.rawValue), "reason": .string($0.reason), "warning": .bool($0.isWarning)]) }),
            "pages": pages.map { selection in
                .object(["selection": .string(selection.origin.rawValue),
                         "ranges": .array(selection.ranges.map { .object(["first": .number($0.lowerBound), "last": .number($0.upperBound)]) })])
            } ?? .null,
            "stopped": stop.map { stop in
                .object(["decidingPage": stop.decidingPage.map { .number($0) } ?? .null, "pagesNotRead": .number(stop.pagesNotRead),
                         "firstPageNotRead": stop.firstPageNotRead.map { .number($0) } ?? .null])
            } ?? .null,
        ])
    }

    /// The text report's scope line: `Scope: complete`, or what was not verified.
    public var textLine: String {
        isComplete ? "Scope: complete" : "Scope: PARTIAL, not verified: " + skipped.map { "\($0.what) (\($0.reason))" }.joined(separator: "; ")
            + (stop.map { "; " + $0.textLine } ?? "")
    }
}

extension FailFastStop {
    /// Where reading stopped, in a sentence: `stopped at page N's finding; M pages from page P not read`.
    public var textLine: String {
        (decidingPage.map { "stopped at the finding on page \($0)" } ?? "stopped by a finding elsewhere")
            + "; \(pagesNotRead) pages not read" + (firstPageNotRead.map { " (from page \($0))" } ?? "")
    }
}

extension ResumedProgress {
    /// `Resumed: N pages from the state file PATH (not read again)`.
    public var textLine: String {
        "Resumed: \(pages) pages taken from the state file \(statePath) (not read again)"
    }
}

extension UnstablePage {
    /// `{"page":…, "fileOffset":…, "reads":…, "settled":…}`.
    public var json: JSONValue {
        .object(["page": .number(pageNumber), "fileOffset": .number(fileOffset), "reads": .number(reads), "settled": .bool(settled)])
    }
}
