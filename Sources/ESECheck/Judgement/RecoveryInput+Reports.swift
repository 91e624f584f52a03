import ESEFormat

extension RecoveryInput {
    /// The model's input from what the checkers found: the log set report (nil when no log
    /// directory is part of the check) and the database reports.
    public init(logSet: LogSetReport?, logsGiven: Bool, databases: [DatabaseReport], backupType: BackupType) {
        self.init(logsGiven: logsGiven,
                  logs: logSet?.files.map(RecoveryLog.init(report:)) ?? [],
                  temporaryLogPresent: !(logSet?.temporaryLogs.isEmpty ?? true),
                  checkpoint: logSet?.checkpoint.map(RecoveryCheckpoint.init(report:)),
                  databases: databases.map { RecoveryDatabase(path: $0.path, header: $0.header) },
                  backupType: backupType)
    }
}

extension RecoveryLog {
    /// The facts of one examined log file.
    public init(report: LogFileReport) {
        var problem: RecoveryLogProblem?
        let opening: Set<LogProblem.Code> = [.unreadable, .readFailed]
        if let failure = report.problems.first(where: { opening.contains($0.code) }) {
            problem = RecoveryLogProblem(jetError: .diskIO, message: failure.message, isUnreadable: true)
        } else if report.header == nil {
            let reason = report.problems.first { $0.severity == .error }
            problem = RecoveryLogProblem(jetError: .logFileCorrupt, message: reason?.message ?? "the header is unusable")
        } else if let field = report.problems.first(where: { $0.code == .headerField }) {
            problem = RecoveryLogProblem(jetError: field.jetError ?? .logFileCorrupt, message: field.message)
        }
        var body = Body.notExamined
        if problem == nil, let scan = report.body {
            if let damage = scan.damage {
                body = .corrupt(sector: damage.sector, detail: "\(damage.reason.rawValue) at sector \(damage.sector) (offset \(damage.fileOffset))")
            } else if let torn = scan.tornWriteSector {
                body = .tornWriteRepairable(sector: torn)
            } else {
                body = .clean
            }
        }
        self.init(fileName: report.name.fileName, nameGeneration: report.name.generation, fileSize: report.fileSize,
                  header: report.header, headerProblem: problem, body: body,
                  accumulatedChecksum: report.body?.format == .v8 ? report.body?.accumulatedChecksum : nil)
        records = problem == nil ? report.records : nil
    }
}

extension RecoveryCheckpoint {
    /// The facts of the examined checkpoint file.
    public init(report: CheckpointReport) {
        let name = RecoveryDatabase.lastComponent(report.path)
        self.init(fileName: report.path.split(separator: "/").last.map(String.init) ?? name, header: report.selection?.header,
                  isUnreadable: report.selection == nil && report.problems.contains { $0.code == .unreadable })
    }
}
