import ESEFormat

/// What the log headers and checkpoint say about circular logging. ESE: `fLGFlags`
/// (0x02 now, 0x04 in the past) and `fDBMSPARAMFlags` (0x01 configured).
public struct CircularLogging: Hashable, Sendable {
    /// The current log, or any log of the set, was written with circular logging on, or the
    /// checkpoint's parameters have it configured.
    public var isOn: Bool
    /// Circular logging was on at some point of the sequence.
    public var wasEverOn: Bool
    /// The current log's own flags: (now, ever).
    public var currentLog: (now: Bool, ever: Bool)?
    /// Generations written with circular logging on.
    public var generationsWrittenCircular: [Int32]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.isOn == rhs.isOn && lhs.wasEverOn == rhs.wasEverOn && lhs.currentLog?.now == rhs.currentLog?.now
            && lhs.currentLog?.ever == rhs.currentLog?.ever && lhs.generationsWrittenCircular == rhs.generationsWrittenCircular
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(isOn)
        hasher.combine(wasEverOn)
        hasher.combine(generationsWrittenCircular)
    }
}

extension LogSetReport {
    /// Circular logging as the log headers and the checkpoint record it.
    public var circularLogging: CircularLogging {
        let headers = files.compactMap { file in file.header.map { (file, $0) } }
        let written = headers.filter { $0.1.circularLoggingNow || $0.1.parameters.circularLogging }.compactMap { $0.0.sequencePosition }
        let current = headers.first { $0.0.isCurrent }?.1
        let configured = checkpoint?.selection?.header.parameters.circularLogging ?? false
        let on = (current?.circularLoggingNow ?? false) || configured || !written.isEmpty
        let ever = on || headers.contains { $0.1.circularLoggingEver }
        return CircularLogging(isOn: on, wasEverOn: ever,
                               currentLog: current.map { ($0.circularLoggingNow, $0.circularLoggingEver) },
                               generationsWrittenCircular: written.sorted())
    }

    /// Temporary logs present, by name.
    public var temporaryLogs: [AuxiliaryLogFile] { auxiliary.filter { $0.name.kind == .temporary } }

    /// Reserve logs present, by name.
    public var reserveLogs: [AuxiliaryLogFile] {
        auxiliary.filter { if case .reserve = $0.name.kind { return true } else { return false } }
    }
}
