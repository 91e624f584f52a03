import ESEFormat

extension ReplayPlan {
    /// Lines describing the replay: start and why, end, the checkpoint, strays, the failure.
    public var textLines: [String] {
        func hex(_ value: Int32) -> String { "\(value) (0x\(String(value, radix: 16)))" }
        var lines: [String] = []
        guard let start else {
            lines.append("Replay: nothing to replay" + (anchor.map { " (anchor \($0))" } ?? ""))
            if let failure { lines.append("  - \(failure.message) [\(failure.jetError)]") }
            return lines
        }
        let why: String = switch startReason {
        case .checkpoint?: "the checkpoint"
        case .lowestArchivedLog?: "the lowest archived log (no usable checkpoint)"
        case .currentLog?: "the current log (no usable checkpoint, no archived log)"
        case nil: "unknown"
        }
        lines.append("Replay: from generation \(hex(start)), chosen by \(why)" + (end.map { ", through \(hex($0))" } ?? "")
                     + (anchor.map { "; anchored on \($0)" } ?? ""))
        if case .ignored(let error, let message) = checkpoint {
            lines.append("  checkpoint ignored (\(error.code)): \(message)")
        }
        if !unreadLowLogs.isEmpty {
            lines.append("  not read (below the start): \(unreadLowLogs.count) log\(unreadLowLogs.count == 1 ? "" : "s"), "
                         + unreadLowLogs.prefix(4).joined(separator: ", ") + (unreadLowLogs.count > 4 ? ", …" : ""))
        }
        if !strayLogs.isEmpty { lines.append("  never opened (above the current log): " + strayLogs.joined(separator: ", ")) }
        if let failure { lines.append("  - recovery fails: \(failure.message) [\(failure.jetError)]") }
        if !approximations.isEmpty {
            lines.append("  decided from headers where ESE reads log records: " + approximations.joined(separator: ", "))
        }
        return lines
    }
}
