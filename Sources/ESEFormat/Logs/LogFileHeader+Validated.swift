extension LogFileHeader {
    /// The header at the start of `bytes` when its checksum is valid (ESE recognises a log
    /// header by its old-format checksum alone: it has no magic number), else nil. The one
    /// entry point for "validate the header checksum, then parse".
    public static func validated(_ bytes: RawSpan) -> LogFileHeader? {
        guard bytes.byteCount >= size else { return nil }
        let header = bytes.extracting(0..<size)
        guard LegacyChecksum.isValid(header) else { return nil }
        return try? LogFileHeader(parsing: header)
    }

    /// Scans a log body with the scanner its format needs: v8 segments (`SegmentScanner`) or
    /// the v7 LRCHECKSUM chain (`LegacyLogScanner`). `bytes` is the whole file from offset 0.
    public func scanBody(_ bytes: RawSpan) -> LogBodyScan {
        bodyFormat == .v8 ? SegmentScanner.scan(bytes, header: self) : LegacyLogScanner.scan(bytes, header: self)
    }
}
