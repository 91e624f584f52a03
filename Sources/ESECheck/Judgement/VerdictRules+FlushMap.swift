import ESEFormat

extension VerdictRules {
    /// The flush map: pages that miss a write the map records make the database `corrupt` with
    /// −1119 — Exchange's ESE fails the read (the default there is `JET_bitPersistedLostFlushDetectionEnabled`,
    /// jetapi.cxx:7482-7488; Windows' ESENT only logs the event, but the page lacks the write
    /// either way). In a database that needs replay the mismatches are a warning: recovery takes
    /// the flush state of the pages it replays from the pages (bf.cxx:19196-19235). A map that
    /// cannot be read is a warning; a map ESE would ignore is only noted in `flushMap`.
    static func judgeFlushMap(_ report: DatabaseReport, add: (Verdict, VerdictReason) -> Void,
                              warn: (VerdictReason.Code, String) -> Void) {
        guard let map = report.flushMap else { return }
        if map.status == .unreadable {
            warn(.flushMapUnreadable, "the flush map \(map.path) could not be used, so lost flushes were not looked for: \(map.reason ?? "")")
            return
        }
        if !map.mapPagesDamaged.isEmpty, map.status == .compared {
            warn(.flushMapUnreadable, "flush map pages \(map.mapPagesDamaged.map(String.init).joined(separator: ", ")) fail their checksum "
                 + "(ESE re-initializes them): the pages they describe were not compared")
        }
        guard map.hasLostFlushes else { return }
        let list = map.mismatches.prefix(4).map {
            "page \($0.page) (\($0.actual == 0 ? "all zero" : "type \($0.actual)"), the map records \($0.expected))"
        }
        let message = "\(map.mismatchCount) page\(map.mismatchCount == 1 ? " misses" : "s miss") a write the flush map records (lost flush): "
            + list.joined(separator: ", ") + (map.mismatchCount > 4 ? ", …" : "")
        if map.beforeReplay {
            warn(.lostFlushBeforeReplay, message + " (before recovery replays the logs, which resets the flush state of the pages it replays)")
        } else {
            add(.corrupt, VerdictReason(.lostFlush, message, jetError: .readLostFlushVerifyFailure))
        }
    }
}
