import ESECorpus
import ESEFormat

/// Small generated databases and storage groups for tests.
public enum SampleDatabase {
    /// A signature with `random` and a fixed creation time.
    public static func signature(_ random: UInt32) -> Signature {
        Signature(random: random, creationTime: LogTime(year: 2026, month: 11, day: 22, hour: 1, minute: 2, second: 3))
    }

    /// The spec of a clean database.
    public static func spec(pageSize: Int = 8192, pages: Int = 300, seed: UInt64 = 1, usedFraction: Double = 0.8) -> DatabaseSpec {
        let header = DatabaseHeaderFields(pageSize: pageSize, databaseSignature: signature(1234), logSignature: signature(5678))
        return DatabaseSpec(header: header, pageCount: pages, usedFraction: usedFraction, seed: seed)
    }

    /// Writes a clean database and returns its path.
    @discardableResult
    public static func write(to path: String, pageSize: Int = 8192, pages: Int = 300, seed: UInt64 = 1,
                             usedFraction: Double = 0.8) throws -> String {
        try DatabaseWriter.write(spec(pageSize: pageSize, pages: pages, seed: seed, usedFraction: usedFraction), to: path)
        return path
    }

    /// Writes a storage group of one database and its logs into `path`: the database
    /// `database` of `pageCount` pages, `generations` logs of `logFileSectors` sectors.
    public static func writeGroup(to path: String, database: String = "mailbox.edb", pageSize: Int = 8192,
                                  pageCount: Int = 300, usedFraction: Double = 0.8, dirty: Bool = false,
                                  generations: Int = 8, logFileSectors: Int = 64, logFormat: LogBodyFormat = .v8,
                                  baseName: String? = nil, threads: Int = 1) throws -> StorageGroupFiles {
        var spec = StorageGroupSpec(databases: [.init(name: database, pageSize: pageSize, pageCount: pageCount, usedFraction: usedFraction)])
        spec.dirty = dirty
        spec.generations = generations
        spec.logFileSectors = logFileSectors
        spec.logFormat = logFormat
        if let baseName { spec.baseName = baseName }
        return try StorageGroupWriter.write(spec, to: path, threads: threads)
    }
}

extension FileOutput {
    /// Flips bit `bit` of the file.
    public func flipBit(atFileBit bit: UInt64) throws {
        let offset = bit / 8
        var byte = try read(at: offset, count: 1)
        byte[0] ^= UInt8(1 << (bit % 8))
        try write(byte, at: offset)
    }
}
