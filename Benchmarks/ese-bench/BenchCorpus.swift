import ESECorpus
import ESEFormat
import Foundation

/// The benchmark corpus: databases with 8 KiB and 32 KiB pages and a long v8 log set,
/// generated once and reused while its description matches.
struct BenchCorpus {
    let directory: String
    let totalBytes: UInt64
    let generations: Int

    /// Databases by page size: two of 8 KiB and two of 32 KiB pages share the bytes equally.
    var spec: StorageGroupSpec {
        let perDatabase = totalBytes / 4
        var spec = StorageGroupSpec(databases: [
            .init(name: "mailbox08a.edb", pageSize: 8192, pageCount: Int(perDatabase / 8192) - 2, usedFraction: 0.9),
            .init(name: "mailbox08b.edb", pageSize: 8192, pageCount: Int(perDatabase / 8192) - 2, usedFraction: 0.9),
            .init(name: "mailbox32a.edb", pageSize: 32768, pageCount: Int(perDatabase / 32768) - 2, usedFraction: 0.9),
            .init(name: "mailbox32b.edb", pageSize: 32768, pageCount: Int(perDatabase / 32768) - 2, usedFraction: 0.9),
        ])
        spec.generations = generations
        spec.logFileSectors = 256  // 1 MiB logs, as Exchange writes them
        spec.dirty = true
        spec.seed = 2026
        return spec
    }

    var marker: String { directory + "/bench-corpus.txt" }
    var description: String { "bytes=\(totalBytes) generations=\(generations) seed=2026 version=4" }

    func paths(pageSize: Int) -> [String] {
        spec.databases.filter { $0.pageSize == pageSize }.map { directory + "/" + $0.name }
    }

    var allDatabases: [String] { spec.databases.map { directory + "/" + $0.name } }

    /// Every file of the corpus.
    var allFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0 != "bench-corpus.txt" }.sorted().map { directory + "/" + $0 }
    }

    /// Generates the corpus unless a matching one is already there.
    func prepare(log: (String) -> Void) throws {
        if (try? String(contentsOfFile: marker, encoding: .utf8)) == description {
            log("reusing corpus in \(directory)")
            return
        }
        try? FileManager.default.removeItem(atPath: directory)
        log("generating \(totalBytes >> 20) MiB of databases and \(generations) log generations in \(directory)")
        let start = Date()
        try StorageGroupWriter.write(spec, to: directory, threads: ProcessInfo.processInfo.activeProcessorCount)
        try description.write(toFile: marker, atomically: true, encoding: .utf8)
        log(String(format: "generated in %.1f s", Date().timeIntervalSince(start)))
    }
}
