import ESEFormat

/// Recognises a file as a database, log or checkpoint by its header and dumps it.
public enum HeaderReader {
    /// Reads `path` and returns its header dump.
    /// - Throws: `CheckError` when the file cannot be read or holds no recognisable header.
    public static func dump(_ path: String) throws(CheckError) -> HeaderDump {
        let file = try ReadOnlyFile(path: path)
        let prefix: [UInt8]
        do {
            prefix = try file.readBytes(at: 0, count: Int(min(file.size, UInt64(max(DatabaseOpening.headerProbeBytes, 2 * LogFileHeader.size)))))
        } catch {
            throw CheckError(.readFailed, path: path, offset: 0, message: "cannot read the header: \(error.message)", cause: error)
        }
        let name = LogFileName(path.split(separator: "/").last.map(String.init) ?? path)
        var attempts: [Kind] = [.database, .log, .checkpoint]
        if let name {
            switch name.kind {
            case .checkpoint: attempts = [.checkpoint, .log, .database]
            default: attempts = [.log, .checkpoint, .database]
            }
        }
        for kind in attempts {
            switch kind {
            case .database:
                if let selection = try? HeaderSelection.select(from: prefix.span.bytes) {
                    return HeaderDump.database(path: path, selection: selection)
                }
            case .log:
                if let header = LogFileHeader.validated(prefix.span.bytes),
                   header.fileTypeValue == FileType.log.rawValue || header.fileTypeValue == 0 {
                    var reader = PositionalFile(file)
                    let count = Int(min(file.size, UInt64(max(header.declaredFileSize, LogFileHeader.size))))
                    let scan = try? reader.withBytes(at: 0, count: count) { body in
                        header.scanBody(body)
                    }
                    return HeaderDump.log(path: path, header: header, scan: scan)
                }
            case .checkpoint:
                if let selection = CheckpointSelection.select(from: prefix.span.bytes), selection.header.fileTypeValue == FileType.checkpoint.rawValue
                    || name?.kind == .checkpoint {
                    return HeaderDump.checkpoint(path: path, selection: selection)
                }
            }
        }
        throw CheckError(.wrongFileType, path: path, offset: 0, expected: "a database, log or checkpoint header with a valid checksum",
                         found: "\(file.size) bytes without one", message: "no valid ESE header found", jetError: .readVerifyFailure)
    }

    enum Kind { case database, log, checkpoint }
}
