import ESECheck
import ESEFormat

/// The `--base` rules of `check` and `logs`, checked before anything is read: a base name
/// has 3 characters, must name a log set present in the directory, and is required when the
/// directory holds several sets. Each broken rule is a usage error (exit status 2); its
/// message quotes names as they are and is escaped where it is printed.
enum BaseNameCheck {
    /// The `--base` value, when it is a well-formed base name.
    static func parse(_ value: String?) throws(Arguments.UsageError) -> String? {
        guard let value else { return nil }
        guard value.count == LogFileName.baseNameLength, !value.contains("/"), !value.contains(".") else {
            throw Arguments.UsageError(message: "--base needs a 3-character log base name (E00, edb, SRU), got '\(value)'")
        }
        return value
    }

    /// Checks `base` against the log sets named by `entries` of `directory`.
    static func validate(_ base: String?, entries: [String], directory: String) throws(Arguments.UsageError) {
        let sets = LogDirectory.baseNames(in: entries)
        let shown = sets.joined(separator: ", ")
        if let base {
            guard entries.contains(where: { LogFileName($0)?.baseName.lowercased() == base.lowercased() }) else {
                throw Arguments.UsageError(message: "--base \(base) matches no log file in \(directory)"
                                           + (sets.isEmpty ? " (it holds no log set)" : " (log sets there: \(shown))"))
            }
        } else if sets.count > 1 {
            throw Arguments.UsageError(message: "\(directory) holds several log sets (\(shown)); choose one with --base")
        }
    }
}
