import ESETestSupport
import ESECheck
import ESECorpus
import Foundation
import Testing

/// Issue 13, point 1: nothing in a checked directory is skipped silently. A database by
/// name that cannot be opened is reported `unreadable` (exit 3); every other entry is in
/// `skippedFiles`, odd ones with a warning saying what they are. Runs as root too: nothing
/// here relies on permissions.
@Suite struct DirectoryDiscoveryTests {
    let directory = TemporaryDirectory()

    /// A clean storage group (one database, logs) in `name`.
    func cleanGroup(_ name: String = "g") throws -> StorageGroupFiles {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox.edb", pageSize: 8192, pageCount: 60, usedFraction: 1)])
        spec.generations = 3
        return try StorageGroupWriter.write(spec, to: directory.file(name))
    }

    /// Adds every kind of entry that cannot be opened, once named like a database and once not.
    func addUnopenableEntries(to group: String) throws {
        #expect(mkfifo(group + "/pipe.edb", 0o644) == 0)
        #expect(mkfifo(group + "/pipe", 0o644) == 0)
        try SocketFile.make(at: group + "/sock.db")
        try SocketFile.make(at: group + "/sock")
        #expect(symlink(group + "/nowhere", group + "/dangling.mdb") == 0)
        #expect(symlink(group + "/nowhere", group + "/dangling") == 0)
        #expect(symlink(group + "/loop.dat", group + "/loop.dat") == 0)
        #expect(symlink(group + "/loop", group + "/loop") == 0)
        try FileManager.default.createDirectory(atPath: group + "/folder.edb", withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: group + "/folder", withIntermediateDirectories: false)
        _ = FileManager.default.createFile(atPath: group + "/notes.txt", contents: Data("hello".utf8))
    }

    /// Directory mode reads each header once: the check reuses the bytes discovery read, but
    /// only while the file is the one discovery read. A database replaced in between (a new
    /// file under the same name, same size) is examined afresh, never judged on old bytes.
    @Test func headerBytesFromDiscoveryAreUsedOnlyForTheSameFile() throws {
        let files = try cleanGroup("probe")
        let database = files.databases[0]
        let discovery = try DirectoryDiscovery.scan(files.directory)
        #expect(StorageGroupChecker().check(discovery).verdict == .consistent)
        // Replace the database by a copy whose primary and shadow headers are damaged.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: database)))
        for offset in [100, 8192 + 100] { bytes[offset] ^= 0xFF }
        try FileManager.default.removeItem(atPath: database)
        try Data(bytes).write(to: URL(fileURLWithPath: database))
        let report = StorageGroupChecker().check(discovery)
        #expect(report.databases[0].report.headers == nil, "the stale header bytes of discovery were used")
        #expect(report.verdict != .consistent)
    }

    @Test func unopenableDatabasesAreUnreadableAndEveryOtherEntryIsListed() throws {
        let files = try cleanGroup()
        try addUnopenableEntries(to: files.directory)
        let report = StorageGroupChecker().check(directory: files.directory)
        let verdicts = Dictionary(uniqueKeysWithValues: report.databases.map {
            (URL(fileURLWithPath: $0.report.path).lastPathComponent, $0)
        })
        #expect(verdicts["mailbox.edb"]?.verdict == .consistent)
        for name in ["pipe.edb", "sock.db", "dangling.mdb", "loop.dat", "folder.edb"] {
            let database = try #require(verdicts[name], "\(name) is not reported")
            #expect(database.verdict == .unreadable, "\(name): \(database.verdict)")
            #expect(database.report.header == nil && !database.report.errors.isEmpty, "\(name)")
        }
        #expect(report.verdict == .unreadable)
        let skipped = Set(report.skippedFiles.map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(skipped == ["pipe", "sock", "dangling", "loop", "folder", "notes.txt"], "\(skipped)")
        let warnings = report.problems.filter { $0.code == "skippedEntry" && $0.isWarning }.map(\.message)
        for (name, kind) in [("pipe", "FIFO"), ("sock", "socket"), ("dangling", "dangling symbolic link"), ("loop", "looping symbolic link")] {
            #expect(warnings.contains { $0.contains("/\(name) was not checked") && $0.contains(kind) }, "\(name): \(warnings)")
        }
        // A plain non-database file and a subdirectory are listed, not warned about.
        #expect(!warnings.contains { $0.contains("notes.txt") || $0.contains("/folder ") })
    }

    @Test func discoveryGivesAReasonForEverySkippedEntry() throws {
        let files = try cleanGroup()
        try addUnopenableEntries(to: files.directory)
        let discovery = try DirectoryDiscovery.scan(files.directory)
        #expect(discovery.databases.map { URL(fileURLWithPath: $0).lastPathComponent }
                == ["dangling.mdb", "folder.edb", "loop.dat", "mailbox.edb", "pipe.edb", "sock.db"])
        #expect(discovery.logBaseNames == ["E00"])
        let reasons = Dictionary(uniqueKeysWithValues: discovery.skipped.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0) })
        #expect(reasons["folder"]?.reason.contains("directory") == true && reasons["folder"]?.isNotable == false)
        #expect(reasons["notes.txt"]?.reason == "not a database or log-set file")
        #expect(reasons["pipe"]?.isNotable == true && reasons["sock"]?.isNotable == true)
        #expect(throws: CheckError(.notFound, path: directory.file("absent"), message: "")) { try DirectoryDiscovery.scan(directory.file("absent")) }
        #expect(throws: CheckError(.notARegularFile, path: files.databases[0], message: "")) { try DirectoryDiscovery.scan(files.databases[0]) }
    }

    @Test func theCLIExitsThreeAndReportsEachUnopenableDatabase() throws {
        let files = try cleanGroup()
        try addUnopenableEntries(to: files.directory)
        let result = try CommandRunner.run(["check", "--json", files.directory])
        #expect(result.status == 3, "\(result.stderr)")
        let databases = try #require(result.json["databases"] as? [[String: Any]])
        let unreadable = databases.filter { $0["verdict"] as? String == "unreadable" }.compactMap { $0["path"] as? String }
        #expect(unreadable.count == 5, "\(unreadable)")
        let text = try CommandRunner.run(["check", files.directory])
        #expect(text.status == 3)
        #expect(text.stdout.contains("pipe.edb") && text.stdout.contains("Verdict: unreadable"))
        #expect(text.stdout.contains("Skipped (not a database or log-set file): \(files.directory)/pipe"))
    }

    @Test func entriesWithoutPermissionAreReportedNotDropped() throws {
        let files = try cleanGroup("perm")
        let locked = try SampleDatabase.write(to: files.directory + "/locked.edb", pages: 20)
        let other = files.directory + "/locked.bin"
        _ = FileManager.default.createFile(atPath: other, contents: Data(repeating: 1, count: 100))
        for path in [locked, other] { try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path) }
        for path in [directory.path, files.directory] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        for path in [files.databases[0]] + files.logs.values + [files.checkpoint] + files.auxiliary {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        // Root reads anything: run the CLI as "nobody" then.
        let user: Int? = getuid() == 0 ? 65534 : nil
        let result = try CommandRunner.run(["check", "--json", files.directory], asUser: user)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        let databases = try #require(result.json["databases"] as? [[String: Any]])
        let lockedReport = try #require(databases.first { $0["path"] as? String == locked })
        #expect(lockedReport["verdict"] as? String == "unreadable")
        #expect((lockedReport["reasons"] as? [[String: Any]])?.first?["code"] as? String == "permissionDenied")
        #expect((result.json["skippedFiles"] as? [String])?.contains(other) == true)
        let problems = result.json["problems"] as? [[String: Any]] ?? []
        #expect(problems.contains { ($0["message"] as? String) == "\(other) was not checked: cannot be opened: permission denied" }, "\(problems)")
    }

    @Test func aLoneUnopenableDatabaseExitsThree() throws {
        let group = directory.file("fifo-only")
        try FileManager.default.createDirectory(atPath: group, withIntermediateDirectories: true)
        #expect(mkfifo(group + "/only.edb", 0o644) == 0)
        let result = try CommandRunner.run(["check", group])
        #expect(result.status == 3)
        #expect(result.stdout.contains("only.edb") && result.stdout.contains("unreadable"))
    }

    @Test func aDirectoryWithNoDatabaseIsAnError() throws {
        let empty = directory.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let result = try CommandRunner.run(["check", empty])
        #expect(result.status == 3)
        #expect(result.stderr.contains("no database found in \(empty)"), "\(result.stderr)")
        _ = FileManager.default.createFile(atPath: empty + "/readme.txt", contents: Data("not a database".utf8))
        #expect(mkfifo(empty + "/pipe", 0o644) == 0)
        let others = try CommandRunner.run(["check", "--json", empty])
        #expect(others.status == 3 && others.stderr.contains("no database found in \(empty)"))
        let missing = try CommandRunner.run(["check", directory.file("absent")])
        #expect(missing.status == 3, "\(missing.stderr)")
    }

    @Test func aMissingOrUnreadableLogDirectoryExitsThree() throws {
        let files = try cleanGroup()
        let missing = try CommandRunner.run(["check", "--logs", directory.file("no-logs"), files.databases[0]])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("cannot read the log directory \(directory.file("no-logs"))") && missing.stderr.contains("no such file"),
                "\(missing.stderr)")
        let notADirectory = try CommandRunner.run(["check", "--logs", files.databases[0], files.databases[0]])
        #expect(notADirectory.status == 3 && notADirectory.stderr.contains("is not a directory"), "\(notADirectory.stderr)")
        let logs = try CommandRunner.run(["logs", directory.file("no-logs")])
        #expect(logs.status == 3 && logs.stderr.contains("cannot read the log directory"))
    }
}
