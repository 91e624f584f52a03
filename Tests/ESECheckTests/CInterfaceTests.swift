import ESETestSupport
import ESECheck
@testable import ESECheckC
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

    func compile(_ name: String = "flow") throws -> String {
        let libraryDirectory = try #require(CLibrary.directory)
        let compiler = try #require(Self.clang, "no C compiler found")
        let program = directory.file(name)
        let root = TestEnvironment.packageRoot
        let result = try CommandRunner.run(
            ["-std=c11", "-Wall", "-Werror", "-I", root + "/Sources/ESECheckC/include", root + "/Tests/CAPI/\(name).c",
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

    /// The calls beyond CHKSGFILES' flow (Tests/CAPI/results.c): version, streamed sources,
    /// read failures, backup type, and every result accessor, each struct between guard bytes.
    @Test func resultsAndStreamsThroughC() throws {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox.edb", pageSize: 8192, pageCount: 120)])
        spec.dirty = true
        spec.generations = 6
        spec.logFileSectors = 16
        let files = try StorageGroupWriter.write(spec, to: directory.file("results-group"))
        // A leaf the walk reaches (an independent walk of the file says which pages trees use).
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: files.databases[0])))
        let used = TreeWalker.walk(file: bytes, pageSize: 8192).usedPages
        let zeroPage = try #require(used.filter { $0 > 30 }.min(), "a used page past the catalog")
        let program = try compile("results")
        let run = try CommandRunner.run([files.databases[0], files.directory, "E00", "\(zeroPage)"], executable: program)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("coverage: verdict 10, missing 17-24, duplicated 41-48, term -106"))
        #expect(run.stdout.contains("stream: verdict 1, required 4-5"))
        #expect(run.stdout.contains("read failure: verdict 9, term -1022"))
        #expect(run.stdout.contains("incremental: verdict 12"))
        #expect(run.stdout.contains("structure: walked, "))
        #expect(run.stdout.contains("zeroed page \(zeroPage): structure finding -1019, verdict 1"))
    }
}

/// esecheck.h and the Swift side agree: one `esecheck_verdict` per `Verdict` case, one
/// `esecheck_backup_type` per `BackupType`, one `esecheck_structure_scope` per
/// `StructureReport.Scope`, and one version.
@Suite struct CHeaderContractTests {
    static let header = (try? String(contentsOfFile: TestEnvironment.packageRoot + "/Sources/ESECheckC/include/esecheck.h",
                                      encoding: .utf8)) ?? ""

    /// `NAME = value` constants of the header with `prefix`.
    static func constants(_ prefix: String) -> [String: Int32] {
        var result: [String: Int32] = [:]
        for line in header.split(separator: "\n") {
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard parts.count >= 3, parts[0].hasPrefix(prefix), parts[1] == "=" else { continue }
            result[String(parts[0].dropFirst(prefix.count))] = Int32(parts[2].trimmingCharacters(in: CharacterSet(charactersIn: ",")))
        }
        return result
    }

    /// `recoverableWithLoss` -> `RECOVERABLE_WITH_LOSS`.
    static func snake(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase { text += "_" }
            text += character.uppercased()
        }
    }

    @Test func everyVerdictHasItsOwnCValue() {
        let constants = Self.constants("ESECHECK_VERDICT_")
        #expect(constants.count == Verdict.allCases.count)
        for verdict in Verdict.allCases {
            #expect(constants[Self.snake(verdict.rawValue)] == verdict.cValue, "\(verdict)")
        }
        #expect(Set(Verdict.allCases.map(\.cValue)).count == Verdict.allCases.count)
        // Restorable exactly for the two values esecheck.h names.
        #expect(Verdict.allCases.filter(\.isRestorable).map(\.cValue).sorted() == [0, 1])
    }

    @Test func everyBackupTypeHasItsOwnCValue() {
        let constants = Self.constants("ESECHECK_BACKUP_")
        #expect(constants.count == BackupType.allCases.count)
        for type in BackupType.allCases {
            #expect(constants[Self.snake(type.rawValue)] == type.cValue, "\(type)")
            #expect(BackupType(cValue: type.cValue) == type)
        }
        #expect(BackupType(cValue: 4) == nil)
    }

    @Test func everyStructureScopeHasItsOwnCValue() {
        let constants = Self.constants("ESECHECK_STRUCTURE_")
        let scopes: [StructureReport.Scope] = [.walked, .skipped, .treesNotDiscoverable, .stateLimit, .notExamined]
        #expect(constants.count == scopes.count + 1)
        #expect(constants["NONE"] == 0)
        for scope in scopes {
            #expect(constants[Self.snake(scope.rawValue)] == scope.cValue, "\(scope)")
        }
        #expect(Set(scopes.map(\.cValue)).count == scopes.count && !scopes.map(\.cValue).contains(0))
    }

    @Test func theLibraryVersionIsTheHeaders() {
        let version = libraryVersion.description.replacingOccurrences(of: "\0", with: "")
        let parts = ["MAJOR", "MINOR", "PATCH"].compactMap { part in
            Self.header.split(separator: "\n").first { $0.hasPrefix("#define ESECHECK_VERSION_\(part) ") }?.split(separator: " ").last
        }
        #expect(parts.joined(separator: ".") == version)
        #expect(Self.header.contains("#define ESECHECK_VERSION \"\(version)\""))
        #expect(String(cString: esecheck_version()!) == version)
    }
}
