import ESEFormat

extension FlushMapCheck {
    /// `{"path", "status", "reason", "jetError", "clean", "mapPages", "mapPagesUnusable": […], "mapPagesDamaged": […],
    /// "pagesCompared", "zeroedPagesKnown", "beforeReplay", "mismatchCount", "mismatches": [{"page", "expected",
    /// "actual", "mapPage"}]}` (docs/json-schema.md).
    public var json: JSONValue {
        .object([
            "path": .string(path), "status": .string(status.rawValue), "reason": reason.map { .string($0) } ?? .null,
            "jetError": jetError?.json ?? .null, "clean": clean.map { .bool($0) } ?? .null,
            "mapPages": .number(mapPages), "mapPagesUnusable": .array(mapPagesUnusable.map { .number($0) }),
            "mapPagesDamaged": .array(mapPagesDamaged.map { .number($0) }),
            "pagesCompared": .number(pagesCompared), "zeroedPagesKnown": .number(zeroedPagesKnown), "beforeReplay": .bool(beforeReplay),
            "mismatchCount": .number(mismatchCount),
            "mismatches": .array(mismatches.map {
                .object(["page": .number($0.page), "expected": .number($0.expected), "actual": .number($0.actual),
                         "mapPage": .number($0.mapPage)])
            }),
        ])
    }

    /// The text report's lines: a summary, then one line per mismatch.
    public var textLines: [String] {
        let name = PathEncoding.displayed(path)
        switch status {
        case .ignored: return ["Flush map: \(name) ignored, as ESE would ignore it: \(reason ?? "")"]
        case .unreadable: return ["Flush map: \(name) unreadable: \(reason ?? "")"]
        case .compared: break
        }
        var lines = ["Flush map: \(name): \(pagesCompared) pages compared, "
                     + (mismatchCount == 0 ? "no lost flush" : "\(mismatchCount) lost flush\(mismatchCount == 1 ? "" : "es")")
                     + (mapPagesUnusable.isEmpty ? "" : "; map pages \(mapPagesUnusable.map(String.init).joined(separator: ", ")) unusable")
                     + (beforeReplay && mismatchCount > 0 ? " (before replay)" : "")]
        for mismatch in mismatches {
            let found = mismatch.actual == 0 ? "is all zero" : "has flush type \(mismatch.actual)"
            lines.append("\(beforeReplay ? "WARNING" : "ERROR"): page \(mismatch.page) \(found), "
                         + "the flush map records \(mismatch.expected): the page misses its last write [-1119]")
        }
        if mismatchCount > mismatches.count { lines.append("\(mismatchCount - mismatches.count) more lost flush(es) not listed") }
        return lines
    }
}
