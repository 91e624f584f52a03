import ESETestSupport
import ESECheck
import ESECorpus
import ESEFormat
import Foundation
import Testing

/// The mutation sweep over directory layouts: files deleted, renamed, duplicated under other
/// spellings, swapped, cut short or replaced by what is not a file. Each mutation has the answer
/// ESE's recovery gives (recovery.md §2), and none may crash or pass silently.
///
/// The group: a dirty database needing generations 4-5, archives 1-5, the current log at 6,
/// the checkpoint at 4 (StorageGroupSpec with six generations).
@Suite struct DirectoryMutationTests {
    let directory = TemporaryDirectory()

    enum Expect: CustomStringConvertible, Sendable {
        /// Still restorable (the mutation touches nothing recovery reads).
        case restorable
        /// Not restorable, with this verdict.
        case notRestorable(Verdict?)
        var description: String {
            switch self {
            case .restorable: "restorable"
            case .notRestorable(let verdict): "not restorable (\(verdict?.rawValue ?? "any"))"
            }
        }
    }

    struct Mutation: CustomStringConvertible, Sendable {
        let name: String
        let apply: @Sendable (_ group: String, _ files: StorageGroupFiles) throws -> Void
        var description: String { name }
    }

    static func name(_ generation: Int32) -> String { LogFileName.name(baseName: "E00", generation: generation) }

    static let mutations: [(Mutation, Expect)] = [
        (Mutation(name: "delete a log below the checkpoint") { group, _ in
            try FileManager.default.removeItem(atPath: group + "/" + name(2)) }, .restorable),
        (Mutation(name: "delete the checkpoint") { group, _ in
            try FileManager.default.removeItem(atPath: group + "/E00.chk") }, .restorable),
        (Mutation(name: "delete a log the database needs") { group, _ in
            try FileManager.default.removeItem(atPath: group + "/" + name(5)) }, .notRestorable(.missingLogs)),
        (Mutation(name: "delete the checkpoint's own log") { group, _ in
            try FileManager.default.removeItem(atPath: group + "/" + name(4)) }, .notRestorable(.missingLogs)),
        (Mutation(name: "delete the current and the temporary log") { group, _ in
            try FileManager.default.removeItem(atPath: group + "/E00.log")
            try FileManager.default.removeItem(atPath: group + "/E00tmp.log") }, .notRestorable(nil)),
        (Mutation(name: "delete the current log, keep the temporary log") { group, _ in
            try FileManager.default.removeItem(atPath: group + "/E00.log") }, .restorable),
        (Mutation(name: "rename a low log above the current log (stray)") { group, _ in
            try FileManager.default.moveItem(atPath: group + "/" + name(1), toPath: group + "/" + name(9)) }, .restorable),
        (Mutation(name: "a case-variant copy of a needed log") { group, _ in
            try FileManager.default.copyItem(atPath: group + "/" + name(5), toPath: group + "/" + name(5).uppercased()) }, .restorable),
        (Mutation(name: "an 8-digit spelling of a needed log beside it") { group, _ in
            try FileManager.default.copyItem(atPath: group + "/" + name(5),
                                             toPath: group + "/" + LogFileName.name(baseName: "E00", generation: 5, digits: 8)) }, .restorable),
        (Mutation(name: "swap two logs the replay reads") { group, _ in
            let a = group + "/" + name(4), b = group + "/" + name(5), t = group + "/swap"
            try FileManager.default.moveItem(atPath: a, toPath: t)
            try FileManager.default.moveItem(atPath: b, toPath: a)
            try FileManager.default.moveItem(atPath: t, toPath: b) }, .notRestorable(nil)),
        (Mutation(name: "cut a needed log in half") { group, _ in
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: group + "/" + name(5)))
            try handle.truncate(atOffset: 8 * 4096)
            try handle.close() }, .notRestorable(nil)),
        (Mutation(name: "cut the database on a page boundary") { _, files in
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: files.databases[0]))
            try handle.truncate(atOffset: 50 * 8192)
            try handle.close() }, .notRestorable(.truncated)),
        (Mutation(name: "replace the database by a FIFO") { _, files in
            try FileManager.default.removeItem(atPath: files.databases[0])
            guard mkfifo(files.databases[0], 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) } }, .notRestorable(.unreadable)),
        (Mutation(name: "replace the database by a dangling link") { _, files in
            try FileManager.default.removeItem(atPath: files.databases[0])
            try FileManager.default.createSymbolicLink(atPath: files.databases[0], withDestinationPath: "/nonexistent/db") },
         .notRestorable(.unreadable)),
        (Mutation(name: "a foreign log in place of a needed one") { group, _ in
            var other = StorageGroupSpec(databases: [])
            other.generations = 6
            other.logFileSectors = 16
            other.seed = 99
            let foreign = try StorageGroupWriter.write(other, to: group + "-foreign")
            try FileManager.default.removeItem(atPath: group + "/" + name(5))
            try FileManager.default.copyItem(atPath: foreign.log(5)!, toPath: group + "/" + name(5)) }, .notRestorable(.signatureMismatch)),
    ]

    @Test(arguments: 0..<mutations.count)
    func mutatedLayoutGetsESEsAnswer(index: Int) throws {
        let (mutation, expect) = Self.mutations[index]
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox01.edb", pageSize: 8192, pageCount: 80)])
        spec.dirty = true
        spec.generations = 6
        spec.logFileSectors = 16
        let group = directory.file("m\(index)")
        let files = try StorageGroupWriter.write(spec, to: group)
        #expect(StorageGroupChecker().check(directory: group).verdict == .recoverable, "the group before \(mutation)")
        try mutation.apply(group, files)
        let report = StorageGroupChecker().check(directory: group)
        switch expect {
        case .restorable:
            #expect(report.isRestorable, "\(mutation): \(report.verdict) \(report.databases.first?.reasons.map(\.message) ?? [])")
        case .notRestorable(let verdict):
            #expect(!report.isRestorable && report.jetError != .success, "\(mutation) passed")
            if let verdict {
                #expect(report.verdict == verdict, "\(mutation): \(report.verdict) \(report.databases.first?.reasons.map(\.message) ?? [])")
            }
        }
    }
}
