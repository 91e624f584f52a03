import ESETestSupport
import ESECorpus
import Foundation
import Testing

/// The C interface: a C program compiled with the toolchain's clang links libESECheckC and
/// runs the whole flow on a generated storage group. The library is a product of the package,
/// built by `swift build` (which `.ci/run` runs before `swift test`).
enum CLibrary {
    /// The directory holding libESECheckC.so, when built.
    static let directory: String? = {
        let directory = URL(fileURLWithPath: TestEnvironment.cliPath).deletingLastPathComponent().path
        let path = directory + "/libESECheckC.so"
        return FileManager.default.fileExists(atPath: path) ? directory : nil
    }()
}

@Suite(.enabled(if: CLibrary.directory != nil, "libESECheckC is not built: run `swift build` before `swift test` to include the C interface test"))
struct CInterfaceTests {

    static let clang: String? = ["/opt/swift/usr/bin/clang", "/usr/bin/clang", "/usr/bin/cc"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    let directory = TemporaryDirectory()

    func compile() throws -> String {
        let libraryDirectory = try #require(CLibrary.directory)
        let compiler = try #require(Self.clang, "no C compiler found")
        let program = directory.file("flow")
        let root = TestEnvironment.packageRoot
        let result = try CommandRunner.run(
            ["-std=c11", "-Wall", "-Werror", "-I", root + "/Sources/ESECheckC/include", root + "/Tests/CAPI/flow.c",
             "-L", libraryDirectory, "-lESECheckC", "-Wl,-rpath," + libraryDirectory, "-lpthread", "-o", program],
            executable: compiler)
        #expect(result.status == 0, "clang failed: \(result.stderr)")
        return program
    }

    @Test func wholeFlowOnARecoverableGroup() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox.edb", pageSize: 8192, pageCount: 300)])
        spec.dirty = true
        spec.generations = 6
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: directory.file("group"))
        let program = try compile()
        let run = try CommandRunner.run([files.databases[0], files.directory, "E00", "recoverable"], executable: program)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("pages checked 300, bad 0"))
        #expect(run.stdout.contains("required generations 4-5"))
        // flow.c's later sessions: unchecked logs, a conflicting copy, the same resubmitted.
        #expect(run.stdout.contains("logs never checked: term -106, verdict incomplete"))
        #expect(run.stdout.contains("conflicting copy: term -1021, verdict incomplete"))
        #expect(run.stdout.contains("resubmitted: term 0, verdict recoverable"))
    }

    @Test func corruptPagesAndMissingLogsThroughC() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox.edb", pageSize: 32768, pageCount: 100, usedFraction: 1)])
        spec.dirty = true
        spec.generations = 6
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: directory.file("bad"))
        let output = try FileOutput(editing: files.databases[0])
        try output.write([9, 9, 9, 9], at: 40 * 32768 + 5000)
        output.close()
        let program = try compile()
        let corrupt = try CommandRunner.run([files.databases[0], files.directory, "E00", "corrupt"], executable: program)
        #expect(corrupt.status == 0, "\(corrupt.stdout)\(corrupt.stderr)")
        #expect(corrupt.stdout.contains("bad 1") && corrupt.stdout.contains("term -1018"))
    }

    @Test func aPartialLastPageIsReportedThroughC() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox.edb", pageSize: 8192, pageCount: 100)])
        spec.generations = 4
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: directory.file("partial"))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: files.databases[0]))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0x42, count: 1000))
        try handle.close()
        let program = try compile()
        let run = try CommandRunner.run([files.databases[0], files.directory, "E00", "corrupt"], executable: program)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("pages checked 100, bad 0, partial 1"))
        #expect(run.stdout.contains("term -4001"))
    }
}
