@_spi(Testing) import ESECheck
import ESETestSupport
import ESECorpus
import Foundation
import Testing

/// Issue 13, point 2: a database that changes while it is checked is `incomplete`
/// (`fileChanged`), never certified — even when it is emptied and rewritten to the same size,
/// or when its path is made to name another file.
@Suite struct FileChangeTests {
    let directory = TemporaryDirectory()

    /// Checks `path` as a storage group of one clean database, running `change` (once) just
    /// before the first data page is read.
    func check(_ path: String, changingWith change: @escaping @Sendable () -> Void) -> StorageGroupReport {
        let once = Once()
        let faults = ReadFaultInjection(failures: []) { readPath, offset in
            guard readPath == path, offset >= 2 * 8192, once.first() else { return }
            change()
        }
        var options = CheckOptions(concurrency: 1)
        options.readFaults = faults
        return StorageGroupChecker(options: options).check(databases: [path], logDirectory: nil)
    }

    @Test func anUnchangedFileIsCertified() throws {
        let path = try SampleDatabase.write(to: directory.file("same.edb"), pages: 64)
        let report = check(path) {}
        #expect(report.databases[0].verdict == .consistent, "\(report.databases[0].reasons)")
        #expect(!report.databases[0].report.errors.contains { $0.code == .fileChanged })
    }

    @Test func aFileEmptiedAndRewrittenToTheSameSizeIsIncomplete() throws {
        let path = try SampleDatabase.write(to: directory.file("rewritten.edb"), pages: 64)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let report = check(path) {
            // File times tick at the kernel clock: let one tick pass so the rewrite is visible.
            usleep(30_000)
            _ = truncate(path, 0)
            let handle = FileHandle(forWritingAtPath: path)!
            handle.write(original)
            try? handle.close()
        }
        let database = report.databases[0]
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original, "same bytes and size as before")
        #expect(database.verdict == .incomplete, "\(database.reasons)")
        let error = try #require(database.report.errors.first { $0.code == .fileChanged })
        #expect(error.message.contains("modification time") || error.message.contains("status-change time"), "\(error.message)")
        #expect(database.reasons.contains { $0.code == "fileChanged" })
        #expect(!report.isRestorable)
    }

    @Test func aPathReplacedByAnotherFileIsIncomplete() throws {
        let path = try SampleDatabase.write(to: directory.file("replaced.edb"), pages: 64)
        let copy = try SampleDatabase.write(to: directory.file("copy.tmp"), pages: 64)
        let report = check(path) { _ = rename(copy, path) }
        #expect(!FileManager.default.fileExists(atPath: copy), "the rename happened")
        let database = report.databases[0]
        #expect(database.verdict == .incomplete)
        let error = try #require(database.report.errors.first { $0.code == .fileChanged })
        #expect(error.message.contains("now names another file"), "\(error.message)")
    }

    @Test func aFileThatGrewIsIncomplete() throws {
        let path = try SampleDatabase.write(to: directory.file("grown.edb"), pages: 64)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let report = check(path) {
            let handle = FileHandle(forWritingAtPath: path)!
            handle.seekToEndOfFile()
            handle.write(Data(count: 8192))
            try? handle.close()
        }
        let error = try #require(report.databases[0].report.errors.first { $0.code == .fileChanged })
        #expect(error.message.contains("size \(size) → \(size + 8192) bytes"), "\(error.message)")
        #expect(report.databases[0].verdict == .incomplete)
    }

    @Test func aDeletedPathIsIncomplete() throws {
        let path = try SampleDatabase.write(to: directory.file("deleted.edb"), pages: 64)
        let report = check(path) { _ = unlink(path) }
        #expect(!FileManager.default.fileExists(atPath: path), "the file was deleted")
        let error = try #require(report.databases[0].report.errors.first { $0.code == .fileChanged })
        #expect(error.message.contains("path:"), "\(error.message)")
        #expect(report.databases[0].verdict == .incomplete)
    }
}
