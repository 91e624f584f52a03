import ESEFormat

extension ResumeTracker {
    /// What a state file allows a run.
    enum Start {
        /// Track and save; `restored` pages were taken from the file (none for a new file).
        case tracking(ResumeTracker)
        /// The file cannot be resumed from: the run reads no page and says why.
        case refused(CheckError)
    }

    /// The options that change what a run reports, in a canonical form: a state saved with
    /// others is refused. The rate, threads, read method, `--fail-fast` and progress do not
    /// change results and may differ between the runs.
    static func optionsKey(_ options: CheckOptions, backupType: BackupType) -> String {
        var parts = ["structure=\(options.verifyStructure)", "retries=\(options.retries)", "maxFindings=\(options.maxFindings)",
                     "pageTimes=\(options.comparePageTimes)", "records=\(options.walkLogRecords)", "backup=\(backupType.rawValue)"]
        if let selection = options.pageSelection {
            let ranges = { (list: [ClosedRange<UInt32>]) in list.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",") }
            parts.append("selection=\(selection.origin.rawValue):\(ranges(selection.ranges))")
            for path in selection.byPath.keys.sorted() { parts.append("recheck[\(path)]=\(ranges(selection.byPath[path]!))") }
        }
        return parts.joined(separator: ";")
    }

    /// Opens the state file of `options` for the session's `slots` (after their headers):
    /// nil without one (or with `hashFiles`); a new tracker when the file does not exist yet;
    /// a tracker with the saved progress restored into the slots when it matches; refused
    /// otherwise.
    static func start(options: CheckOptions, backupType: BackupType, slots: [DatabaseSlot], gate: FailFastGate?) -> Start? {
        guard let path = options.stateFile, !options.hashFiles else { return nil }
        let key = optionsKey(options, backupType: backupType)
        var interruption: (gate: FailFastGate, windows: Int)?
        if let gate, let windows = options.stateInterruptAfterWindows { interruption = (gate, windows) }
        let empty = [[ClosedRange<UInt32>]](repeating: [], count: slots.count)
        let bytes: [UInt8]
        do throws(CheckError) {
            let file = try ReadOnlyFile(path: path)
            do throws(SystemError) {
                bytes = try file.readBytes(at: 0, count: Int(file.identity.size))
            } catch {
                return .refused(refusal(path, "it cannot be read: \(error)"))
            }
        } catch {
            guard error.code == .notFound else { return .refused(refusal(path, "it cannot be opened: \(error.message)")) }
            return .tracking(ResumeTracker(path: path, optionsKey: key, slots: slots, restored: empty,
                                           tallies: slots.map { _ in Tally() }, interruption: interruption))
        }
        if let version = ResumeState.version(of: bytes), version != ResumeState.version {
            return .refused(refusal(path, "it is of format version \(version); this build reads version \(ResumeState.version)"))
        }
        guard let state = ResumeState(decoding: bytes) else {
            return .refused(refusal(path, "it is not a whole state file (a wrong magic or checksum, or cut short)"))
        }
        if let problem = mismatch(state, key: key, slots: slots) { return .refused(refusal(path, problem)) }
        var restored = empty, tallies: [Tally] = []
        for (slot, file) in zip(slots, state.files) {
            // The state holds no flush types: a database compared with its flush map (−1119)
            // is read again whole, never judged against a map on pages it did not read.
            guard !slot.gathersFlushTypes else {
                tallies.append(Tally())
                continue
            }
            restored[slot.index] = file.done
            tallies.append(restore(file, into: slot, statePath: path))
        }
        return .tracking(ResumeTracker(path: path, optionsKey: key, slots: slots, restored: restored, tallies: tallies,
                                       interruption: interruption))
    }

    private static func refusal(_ path: String, _ why: String) -> CheckError {
        CheckError(.stateRefused, path: path, message: "the state file \(path) cannot be resumed from: \(why). "
                   + "Delete it (or name another) to check from the start.")
    }

    /// Why `state` does not belong to this run, or nil when it does.
    static func mismatch(_ state: ResumeState, key: String, slots: [DatabaseSlot]) -> String? {
        guard state.optionsKey == key else {
            return "it was saved with other options (\(state.optionsKey); this run: \(key))"
        }
        let saved = state.files.map(\.path), now = slots.map(\.source.name)
        guard saved == now else {
            return "it was saved for another set of files (\(saved.joined(separator: ", ")); this run: \(now.joined(separator: ", ")))"
        }
        for (slot, file) in zip(slots, state.files) {
            if file.identity != slot.identity {
                let differences = switch (slot.identity, file.identity) {
                case (let now?, let then?): now.differences(from: then).joined(separator: "; ")
                default: "its header was \(file.identity == nil ? "unreadable" : "readable") then and is \(slot.identity == nil ? "unreadable" : "readable") now"
                }
                return "\(file.path) changed since the state was saved (\(differences))"
            }
            let pageSize = UInt32(slot.layout?.pageSize ?? 0)
            let fits = file.done.last.map { Int($0.upperBound) <= slot.dataPages } ?? true
            let words = file.done.isEmpty || (file.words != nil) == slot.gathersStructure
            guard file.pageSize == pageSize, fits, words else {
                return "its entry for \(file.path) does not fit the file (page size \(file.pageSize), pages to \(file.done.last?.upperBound ?? 0))"
            }
        }
        return nil
    }

    /// Puts a file's saved progress into its slot as if its pages had been read: coverage,
    /// counts, highest database time and link, bytes, structure words; returns the tally the
    /// next save starts from.
    private static func restore(_ file: ResumeState.FileProgress, into slot: DatabaseSlot, statePath: String) -> Tally {
        guard !file.done.isEmpty else { return Tally() }
        slot.progress.withLock { state in
            for range in file.done { state.coverage.markSeen(range: Int(range.lowerBound)...Int(range.upperBound)) }
            state.report.tally.counts.ok += Int(file.ok)
            state.report.tally.counts.uninitialized += Int(file.uninitialized)
            if file.highestTimePage != 0, file.highestTime > (state.report.tally.highestDatabaseTime?.value ?? 0) {
                state.report.tally.highestDatabaseTime = HighestDatabaseTime(value: file.highestTime, pageNumber: file.highestTimePage)
            }
            state.report.highestLinkedPage = max(state.report.highestLinkedPage, file.highestLinkedPage)
            state.report.bytesRead += file.bytesRead
            if let words = file.words, state.structure != nil {
                var index = 0
                for range in file.done {
                    for pgno in range {
                        state.structure!.words[Int(pgno) - 1] = words[index]
                        index += 1
                    }
                }
            }
            state.report.resumed = ResumedProgress(statePath: statePath, pages: file.donePages)
        }
        return Tally(done: file.done.map { Int($0.lowerBound) + 1..<Int($0.upperBound) + 2 }, ok: file.ok,
                     uninitialized: file.uninitialized, bytes: file.bytesRead)
    }

    /// Records a refusal in every database's report (the run then reads no page).
    static func refuse(_ error: CheckError, slots: [DatabaseSlot]) {
        for slot in slots { slot.progress.withLock { $0.report.errors.append(error) } }
    }
}
