import ESETestSupport
import ESECorpus
import Foundation
import Testing

/// The SDK `scripts/build-c-sdk.sh` lays out, as a vendor gets it: the layout, a shared
/// library that needs only the C runtime and exports only `esecheck_*`, and the examples of
/// `Examples/` built with pkg-config alone and run on a clean and a damaged storage group.
/// The SDK is a release build (about a minute), so `.ci/run` builds it and points
/// `ESECHECK_SDK` at it; without the variable these tests are skipped.
enum CSDK {
    /// The SDK folder, when `ESECHECK_SDK` names one.
    static let directory: String? = ProcessInfo.processInfo.environment["ESECHECK_SDK"].flatMap {
        FileManager.default.fileExists(atPath: $0 + "/include/esecheck.h") ? $0 : nil
    }
}

@Suite(.enabled(if: CSDK.directory != nil, "ESECHECK_SDK is not set: run scripts/build-c-sdk.sh DEST and set ESECHECK_SDK=DEST (.ci/run does)"))
struct CSDKTests {
    let sdk = CSDK.directory ?? ""
    let directory = TemporaryDirectory()
    let root = TestEnvironment.packageRoot

    func shell(_ command: String) throws -> CommandResult {
        try CommandRunner.run(["-c", "export PKG_CONFIG_PATH='\(sdk)/lib/pkgconfig'; " + command], executable: "/bin/sh")
    }

    /// The functions esecheck.h declares.
    var declaredFunctions: Set<String> {
        let header = (try? String(contentsOfFile: root + "/Sources/ESECheckC/include/esecheck.h", encoding: .utf8)) ?? ""
        let regex = try! NSRegularExpression(pattern: "\\b(esecheck_[a-z_]+)\\(")
        let range = NSRange(header.startIndex..., in: header)
        return Set(regex.matches(in: header, range: range).map { String(header[Range($0.range(at: 1), in: header)!]) })
    }

    @Test func theLayoutAVendorLinksAgainst() throws {
        let header = try String(contentsOfFile: sdk + "/include/esecheck.h", encoding: .utf8)
        #expect(header == (try String(contentsOfFile: root + "/Sources/ESECheckC/include/esecheck.h", encoding: .utf8)))
        let links = try shell("cd '\(sdk)/lib' && readlink libesecheck.so && readlink libesecheck.so.1")
        #expect(links.stdout == "libesecheck.so.1\nlibesecheck.so.1.1.0\n")
        let flags = try shell("pkg-config --modversion esecheck && pkg-config --cflags --libs esecheck && pkg-config --libs esecheck-static")
        #expect(flags.status == 0, "\(flags.stderr)")
        #expect(flags.stdout.hasPrefix("1.1.0\n-I\(sdk)/include -L\(sdk)/lib -Wl,-rpath,\(sdk)/lib -lesecheck"))
        #expect(flags.stdout.contains("\(sdk)/lib/libesecheck.a -lstdc++"))
    }

    @Test func theSharedLibraryIsSelfContained() throws {
        let library = sdk + "/lib/libesecheck.so.1.1.0"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: library)[.size] as? Int)
        #expect(size <= 16 << 20, "libesecheck.so is \(size) bytes")
        let needed = try shell("readelf -d '\(library)' | sed -n 's/.*(NEEDED).*\\[\\(.*\\)\\]/\\1/p'")
        let allowed = ["libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2"]
        #expect(Set(needed.stdout.split(separator: "\n").map(String.init)).isSubset(of: allowed), "\(needed.stdout)")
        let soname = try shell("readelf -d '\(library)' | grep SONAME")
        #expect(soname.stdout.contains("[libesecheck.so.1]"))
        let exports = try shell("nm -D --defined-only '\(library)' | awk '$2 ~ /^[A-Z]$/ && $2 != \"A\" {print $3}' | sed 's/@.*//'")
        let exported = Set(exports.stdout.split(separator: "\n").map(String.init))
        #expect(exported == declaredFunctions, "exported: \(exported.symmetricDifference(declaredFunctions))")
        let archive = try shell("nm -g --defined-only '\(sdk)/lib/libesecheck.a' | awk 'NF == 3 {print $3}'")
        #expect(Set(archive.stdout.split(separator: "\n").map(String.init)) == declaredFunctions)
    }

    /// A storage group, and a copy with one data page damaged at the source.
    func groups() throws -> (clean: StorageGroupFiles, damaged: StorageGroupFiles) {
        var spec = StorageGroupSpec(databases: [.init(name: "mailbox01.edb", pageSize: 32768, pageCount: 300),
                                                .init(name: "mailbox02.edb", pageSize: 32768, pageCount: 200)])
        spec.dirty = true
        spec.generations = 6
        spec.logFileSectors = 16
        let clean = try StorageGroupWriter.write(spec, to: directory.file("clean"))
        let damaged = try StorageGroupWriter.write(spec, to: directory.file("damaged"))
        let output = try FileOutput(editing: damaged.databases[1])
        try output.write([9, 9, 9, 9], at: 150 * 32768 + 5000)
        output.close()
        return (clean, damaged)
    }

    @Test(arguments: [
        ("c", "cc -std=c11 -Wall -Wextra -Werror -O2 Examples/c/transport.c $(pkg-config --cflags --libs esecheck) -lpthread"),
        ("cstatic", "cc -std=c11 -O2 Examples/c/transport.c $(pkg-config --cflags --libs esecheck-static) -lpthread"),
        ("cpp", "c++ -std=c++17 -Wall -Wextra -Werror -O2 Examples/cpp/transport.cpp $(pkg-config --cflags --libs esecheck) -pthread"),
    ])
    func anExampleTransportBuiltWithPkgConfigAlone(name: String, build: String) throws {
        let program = directory.file(name)
        let compiled = try shell("cd '\(root)' && \(build) -o '\(program)'")
        #expect(compiled.status == 0, "\(compiled.stderr)")
        let (clean, damaged) = try groups()
        let good = try CommandRunner.run([clean.directory, "E00"] + clean.databases, executable: program)
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("misuse refused"))
        #expect(good.stdout.contains("mailbox01.edb: pages 65-96 were never checked; sending them"))
        #expect(good.stdout.contains("resubmitted 1 batches, 0 damaged at the source"))
        #expect(good.stdout.contains("SetBackupSucceeded(true)"))
        #expect(good.stdout.contains("mailbox02.edb: recoverable (JET 0), pages 200 of 200 checked, 0 bad"))
        let bad = try CommandRunner.run([damaged.directory, "E00"] + damaged.databases, executable: program)
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.contains("mailbox02.edb: corrupt (JET -1018), pages 200 of 200 checked, 1 bad"))
        #expect(bad.stdout.contains("reason badPages: 1 bad page: 149"))
        #expect(bad.stdout.contains("SetBackupSucceeded(false)"))
    }
}
