import ESEFormat
import Foundation

/// `ese-bench records [DIR] [--rounds N]`: the record walker's speed on one core. The valid
/// segments of every v8 log under DIR (default ../shared/corpus/real) are copied, log after
/// log and over again, into one log image of 65 533 data segments (256 MiB, the largest a log
/// can be), which is then walked `rounds` times. Prints `records.GBps` (bytes of log data per
/// second, median round) and `records.perSecond`.
enum RecordWalkBenchmark {
    static func run(root: String, rounds: Int) {
        var runs: [[UInt8]] = []
        var headerBytes: [UInt8]?
        let names = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.lowercased().hasSuffix(".log") }.sorted()
        for name in names {
            guard let data = FileManager.default.contents(atPath: root + "/" + name), data.count >= 8192 else { continue }
            let bytes = [UInt8](data)
            guard let header = try? LogFileHeader(parsing: bytes.span.bytes), header.bodyFormat == .v8 else { continue }
            let scan = SegmentScanner.scan(bytes.span.bytes, header: header)
            guard scan.isClean, scan.corrections.isEmpty, let last = scan.lastGoodSector else { continue }
            let walk = LogRecordWalker.walk(bytes.span.bytes, header: header, scan: scan)
            guard walk.isClean, !walk.endsInFragment else { continue }
            runs.append(Array(bytes[4096..<(last + 1) * 4096]))
            if headerBytes == nil { headerBytes = Array(bytes[0..<4096]) }
        }
        guard var image = headerBytes, !runs.isEmpty else {
            note("records: no clean v8 log under \(root)")
            exit(1)
        }
        let segments = 65533
        image.reserveCapacity((segments + 2) * 4096)
        var index = 0
        while image.count < (segments + 1) * 4096 {
            let run = runs[index % runs.count]
            image += run.prefix((segments + 1) * 4096 - image.count)
            index += 1
        }
        image += [UInt8](repeating: 0, count: 4096)
        // fileSectors = data segments + header + reserved last segment.
        image[12] = UInt8((segments + 2) & 0xFF)
        image[13] = UInt8((segments + 2) >> 8)
        guard let header = try? LogFileHeader(parsing: image.span.bytes) else { exit(1) }
        var scan = LogBodyScan(format: .v8, generation: header.generation)
        scan.lastGoodSector = segments
        var seconds: [Double] = []
        var walk = LogRecordWalk(format: .v8)
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            walk = LogRecordWalker.walk(image.span.bytes, header: header, scan: scan)
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        if !walk.isClean { note("records: the image does not walk clean: \(String(describing: walk.firstInvalid))") }
        let median = seconds.sorted()[seconds.count / 2]
        emit("records.logs", runs.count)
        emit("records.bytes", walk.bytesWalked)
        emit("records.count", walk.recordsWalked)
        emit("records.GBps", Double(walk.bytesWalked) / median / 1e9)
        emit("records.perSecond", Double(walk.recordsWalked) / median, digits: 0)
    }
}
