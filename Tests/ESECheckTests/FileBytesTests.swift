import ESETestSupport
import ESECheck
import Foundation
import Testing

/// Mapped and positional reads at the edges: first and last bytes, short files, odd sizes.
@Suite struct FileBytesTests {
    let directory = TemporaryDirectory()

    func makeFile(_ size: Int) -> String {
        let path = directory.file("bytes-\(size)")
        _ = FileManager.default.createFile(atPath: path, contents: Data((0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) }))
        return path
    }

    func firstAndLast<T: FileBytes & ~Copyable>(_ source: inout T, offset: UInt64, count: Int) throws(ReadFailure) -> [UInt8] {
        try source.withBytes(at: offset, count: count) { span in
            [span.unsafeLoad(fromByteOffset: 0, as: UInt8.self), span.unsafeLoad(fromByteOffset: count - 1, as: UInt8.self)]
        }
    }

    @Test(arguments: [1, 4095, 4096, 4097, 12345])
    func readsAtTheEdges(size: Int) throws {
        let path = makeFile(size)
        let file = try ReadOnlyFile(path: path)
        #expect(file.size == UInt64(size))
        var positional = PositionalFile(file)
        var mapped = MappedFile(file)
        let expected = [UInt8(0), UInt8(truncatingIfNeeded: (size - 1) * 7)]
        #expect(try firstAndLast(&positional, offset: 0, count: size) == expected)
        #expect(try firstAndLast(&mapped, offset: 0, count: size) == expected)
        // An unaligned window ending at the last byte.
        let tail = [UInt8(truncatingIfNeeded: (size / 2) * 7), UInt8(truncatingIfNeeded: (size - 1) * 7)]
        #expect(try firstAndLast(&positional, offset: UInt64(size / 2), count: size - size / 2) == tail)
        #expect(try firstAndLast(&mapped, offset: UInt64(size / 2), count: size - size / 2) == tail)
    }

    @Test func readingPastTheEndIsAReportedFailure() throws {
        let file = try ReadOnlyFile(path: makeFile(1000))
        var positional = PositionalFile(file)
        var mapped = MappedFile(file)
        #expect(throws: ReadFailure.self) { try positional.withBytes(at: 500, count: 600) { _ in () } }
        #expect(throws: ReadFailure.self) { try mapped.withBytes(at: 500, count: 600) { _ in () } }
        #expect(throws: ReadFailure.self) { try mapped.withBytes(at: UInt64.max - 10, count: 5) { _ in () } }
    }

    @Test func openingNonFilesFailsClearly() throws {
        #expect(throws: CheckError(.notARegularFile, path: directory.path, message: "")) { try ReadOnlyFile(path: directory.path) }
        let absent = directory.file("nope")
        #expect(throws: CheckError(.notFound, path: absent, message: "")) { try ReadOnlyFile(path: absent) }
    }
}
