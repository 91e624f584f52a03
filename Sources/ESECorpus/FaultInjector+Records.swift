import ESEFormat
import Foundation

/// Faults in the records of v8 logs (log-records.md §2): a record changed or removed inside a
/// data segment, the segment sealed again so that its checksum is valid and only the record is
/// wrong, and the next generation's `checksumPrevLogAllSegments` updated to the new segment
/// checksum, as the writer would have accumulated it.
extension FaultInjector {
    static func applyRecordFault(_ fault: Fault, files: StorageGroupFiles, spec: StorageGroupSpec) throws {
        guard spec.logFormat == .v8 else { throw Failure(message: "\(fault.fault) is defined for v8 logs") }
        switch fault.fault {
        case .invalidRecordType:
            // The first whole record of the segment (not a fragment piece) gets a type ≥ lrtypMax.
            let generation = try required(fault.generation, fault, "generation")
            let index = fault.segment ?? 4
            try editSegment(files, spec, generation: generation, segment: index) { segment in
                guard let record = records(in: segment).first(where: { $0.type != LogRecordType.fragment.rawValue }) else {
                    throw Failure(message: "invalidRecordType: segment \(index) holds no whole record")
                }
                segment[record.offset] = UInt8(truncatingIfNeeded: fault.value ?? 0xFF)
            }
        case .brokenFragment:
            // The first FragmentBegin declares more bytes than its fragments carry.
            let generation = try required(fault.generation, fault, "generation")
            let path = try log(fault, files)
            let size = ((try FileManager.default.attributesOfItem(atPath: path))[.size] as? NSNumber)?.intValue ?? 0
            for index in 1..<max(2, size / 4096 - 1) {
                var found = false
                try editSegment(files, spec, generation: generation, segment: index) { segment in
                    guard let begin = records(in: segment).first(where: { $0.type == LogRecordType.fragmentBegin.rawValue }) else { return }
                    var total = UInt32(segment[begin.offset + 1]) | UInt32(segment[begin.offset + 2]) << 8
                        | UInt32(segment[begin.offset + 3]) << 16 | UInt32(segment[begin.offset + 4]) << 24
                    total += UInt32(fault.value ?? 64)
                    for byte in 0..<4 { segment[begin.offset + 1 + byte] = UInt8(truncatingIfNeeded: total >> (8 * byte)) }
                    found = true
                }
                if found { return }
            }
            throw Failure(message: "brokenFragment: generation \(generation) holds no FragmentBegin")
        case .missingAttachRecord:
            // The database's AttachDB in the first generation becomes NOP bytes.
            let database = fault.database ?? 0
            var seen = 0
            var done = false
            try editSegment(files, spec, generation: spec.firstGeneration, segment: 1) { segment in
                for record in records(in: segment) where record.type == LogRecordType.attachDB.rawValue {
                    if seen == database {
                        for offset in record.offset..<record.offset + record.size { segment[offset] = 0 }
                        done = true
                        return
                    }
                    seen += 1
                }
            }
            guard done else { throw Failure(message: "missingAttachRecord: no AttachDB for database \(database) in segment 1") }
        default:
            throw Failure(message: "\(fault.fault) is not a record fault")
        }
    }

    /// The records that start in a v8 segment: offset, type and size, walked from offset 40
    /// with ESE's sizes (NOPs skipped), up to the first type or size the walk cannot pass.
    static func records(in segment: [UInt8]) -> [(offset: Int, type: UInt8, size: Int)] {
        segment.withUnsafeBytes { records(in: $0) }
    }

    /// The whole records of a v8 data segment in `segment` (from byte 40 up to the first
    /// record that is not valid), NOPs skipped.
    static func records(in segment: UnsafeRawBufferPointer) -> [(offset: Int, type: UInt8, size: Int)] {
        var found: [(offset: Int, type: UInt8, size: Int)] = []
        let span = RawSpan(_unsafeBytes: segment)
        var offset = 40
        while offset < segment.count {
            let type = LogRecordType(rawValue: segment[offset])
            if type == .nop { offset += 1; continue }
            guard type.isDefined, type.fixedPart <= segment.count - offset else { break }
            let size = LogRecordSize.size(of: type, in: span, at: offset)
            guard size > 0, size <= segment.count - offset else { break }
            found.append((offset, type.rawValue, size))
            offset += size
        }
        return found
    }

    /// Edits data segment `segment` of log `generation`, seals it again, and carries the change
    /// of its checksum into the next generation's accumulated-checksum field.
    static func editSegment(_ files: StorageGroupFiles, _ spec: StorageGroupSpec, generation: Int32, segment index: Int,
                            _ edit: (inout [UInt8]) throws -> Void) throws {
        guard let path = files.log(generation) else { throw Failure(message: "no log generation \(generation)") }
        let output = try FileOutput(editing: path)
        defer { output.close() }
        let offset = UInt64(index * 4096)
        guard index >= 1, offset + 4096 <= (try output.size()) else { throw Failure(message: "segment \(index) is not in the log") }
        var segment = try output.read(at: offset, count: 4096)
        let before = segment
        try edit(&segment)
        guard segment != before else { return }
        PageWriter.seal(&segment, pageNumber: UInt32(index), layout: PageLayout(pageSize: 4096)!)
        try output.write(segment, at: offset)
        var delta: UInt64 = 0
        for byte in 0..<8 { delta |= UInt64(before[byte] ^ segment[byte]) << (8 * byte) }
        if let next = files.log(generation + 1), FileManager.default.fileExists(atPath: next) {
            try editHeader(next, count: LogFileHeader.size) { header in
                var value: UInt64 = 0
                for byte in 0..<8 { value |= UInt64(header.bytes[653 + byte]) << (8 * byte) }
                header.set(value ^ delta, at: 653)
            }
        }
    }
}
