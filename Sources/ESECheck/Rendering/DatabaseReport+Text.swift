import ESEFormat

extension DatabaseReport {
    /// A text report modelled on eseutil /k's: one line per bad or correctable page, then
    /// the summary counts with eseutil's wording. The path is printed escaped
    /// (`PathEncoding.displayed`), so no file name can add a line to the report.
    public var text: String {
        var lines = ["Checking database: \(PathEncoding.displayed(path))"]
        if let headers, let header {
            let required = "\(header.minimumRequiredGeneration)-\(header.maximumRequiredGeneration)"
                + " (0x\(String(header.minimumRequiredGeneration, radix: 16))-0x\(String(header.maximumRequiredGeneration, radix: 16)))"
            lines.append("  Page size: \(headers.pageSize)  State: \(header.state.eseutilName)  Log Required: \(required)")
            let primary = headers.primary.isValid ? "OK" : "BAD"
            let shadow = headers.shadow.isValid ? "OK" : "BAD"
            lines.append("  Headers: primary \(primary), shadow \(shadow)\(headers.copiesIdentical ? " (identical)" : "")"
                         + (headers.usesShadow ? ", using the shadow" : ""))
        }
        for warning in warnings { lines.append("WARNING: \(warning)") }
        for error in errors { lines.append("ERROR: \(error.message)" + (error.jetError.map { " [\($0)]" } ?? "")) }
        for failure in readFailures { lines.append("ERROR: read failed: \(failure)") }
        for page in unstablePages {
            lines.append("ERROR: page \(page.pageNumber) read differently on \(page.reads) reads (the file was being written: unstable)")
        }
        if !scope.isComplete { lines.append(scope.textLine) }
        if let resumed { lines.append(resumed.textLine) }
        for finding in tally.findings {
            switch finding.outcome {
            case .correctable(let bit):
                lines.append("WARNING: page \(finding.pageNumber) checksum verification failed but the corruption ( bit \(bit) ) can be corrected")
            case .badChecksum(let suspected):
                var line = "ERROR: page \(finding.pageNumber) checksum failed (stored \(finding.stored), computed \(finding.computed))"
                if let suspected { line += "; perhaps this is actually page \(suspected)" }
                lines.append(line)
            case .wrongPageNumber(let stored):
                lines.append("ERROR: page \(finding.pageNumber) carries page number \(stored)")
            case .structureDamaged(let check):
                lines.append("ERROR: page \(finding.pageNumber) passes its checksum but its structure is damaged (\(check), -1206)")
            default:
                break
            }
        }
        if tally.findingsOmitted > 0 {
            lines.append("\(tally.findingsOmitted) more page finding(s) not listed one by one; by page range:")
            for range in tally.findingRanges {
                lines.append("  pages \(range.text): \(range.kind.rawValue) (\(range.count) page\(range.count == 1 ? "" : "s"))")
            }
            if tally.findingRangesOmitted > 0 {
                lines.append("  \(tally.findingRangesOmitted) more page(s) with findings beyond the ranges listed")
            }
        }
        if let trailer, !trailer.checksum.isValid {
            lines.append("ERROR: page \(trailer.physicalPage) (trailer) checksum failed")
        }
        guard headers != nil else { return lines.map(PathEncoding.lineSafe).joined(separator: "\n") }
        let counts = pages
        lines.append("")
        lines.append("\(counts.total) pages seen")
        lines.append("\(counts.badChecksum) bad checksums")
        lines.append("\(counts.correctable) correctable checksums")
        lines.append("\(counts.uninitialized) uninitialized pages")
        lines.append("\(counts.wrongPageNumber) wrong page numbers")
        if counts.structureDamaged > 0 { lines.append("\(counts.structureDamaged) pages with damaged structure") }
        if let time = tally.highestDatabaseTime {
            lines.append("0x\(String(time.value, radix: 16)) highest dbtime (pgno 0x\(String(time.pageNumber, radix: 16)))")
        }
        if let structure { lines += structure.textLines }
        if let flushMap { lines += flushMap.textLines }
        return lines.map(PathEncoding.lineSafe).joined(separator: "\n")
    }
}
