import ESEFormat

extension DatabaseReport {
    /// Records bytes that could not be read because the file shrank while it was checked:
    /// one `fileChanged` error per kind (short reads; mapped windows that faulted), naming
    /// the lowest offset and how many ranges, so the verdict is `incomplete` — never
    /// `unreadable`, never certified.
    mutating func noteShrink(_ failure: ReadFailure, file: ReadOnlyFile) {
        let expected = failure.shrankWhileMapped
            ? "mapped windows within the file (\(file.size) bytes when opened)"
            : "\(file.size) bytes, as when opened"
        let now = failure.sizeNow.map { "now \($0) bytes" } ?? "size now unknown"
        let index = errors.firstIndex { $0.code == .fileChanged && $0.expected == expected }
        let earlier = index.map { errors[$0] }
        let first = min(failure.offset, earlier?.offset ?? .max)
        let ranges = (earlier.flatMap { Int($0.found?.prefix { $0.isNumber } ?? "") } ?? 0) + 1
        let message = failure.shrankWhileMapped
            ? "the file shrank while it was mapped: \(ranges) window(s) from byte \(first) on read as zeros (\(now)); the pages checked there are not trusted"
            : "the file shrank while it was checked: \(ranges) range(s) from byte \(first) on could not be read (\(now))"
        let error = CheckError(.fileChanged, path: path, offset: first, expected: expected,
                               found: "\(ranges) range(s) from byte \(first), \(now)", message: message)
        if let index { errors[index] = error } else { errors.append(error) }
    }

    /// Takes back what a batch of pages added to the tally, when the bytes they were checked
    /// from cannot be trusted (a mapped window of a file that shrank meanwhile): their counts
    /// and findings. The pages stay marked as seen; the `fileChanged` error `noteShrink`
    /// records names them instead.
    mutating func retract(_ pages: [PageCheck]) {
        for page in pages { tally.remove(page: page.pageNumber, kind: page.outcome.kind) }
    }
}

extension DatabaseReport {
    /// Records a `fileChanged` error when the file is not the one opened any more: its
    /// identity (device, inode, size, modification and change times) differs now, by `fstat`
    /// of the open descriptor or `stat` of its path, or a read came up short (it shrank and
    /// perhaps grew back). Called once every page has been read.
    mutating func noteChange(_ file: ReadOnlyFile) {
        var changes = file.changes()
        if readFailures.contains(where: { $0.cause == nil }), changes.isEmpty {
            changes.append("a read ended early: the file was shorter for a while")
        }
        guard !changes.isEmpty else { return }
        let now = try? file.currentSize()
        errors.append(CheckError(.fileChanged, path: path,
                                 expected: "the file as opened (\(file.size) bytes, modified \(file.identity.modification))",
                                 found: changes.joined(separator: "; ") + (now.map { " (now \($0) bytes)" } ?? ""),
                                 message: "the file changed while it was being checked: " + changes.joined(separator: "; ")))
    }
}
