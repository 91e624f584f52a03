import ESEFormat

/// A header printed the way eseutil prints it: `/mh` for databases, `/ml` for one log file,
/// `/mk` for checkpoints — the same labels, in the same order, with the same value formats
/// (scripts parse them). `--json` carries the same label–value pairs.
public struct HeaderDump: Hashable, Sendable {
    /// What kind of file the header belongs to.
    public enum Kind: String, Hashable, Sendable {
        /// A database header (eseutil /mh).
        case database
        /// A log file header (eseutil /ml on one file).
        case log
        /// A checkpoint file (eseutil /mk).
        case checkpoint
    }

    /// One printed line: a label (as eseutil pads it) and its value; a section title has an
    /// empty value and ends with a colon in text.
    public struct Entry: Hashable, Sendable {
        /// The label exactly as eseutil prints it, leading spaces included.
        public var label: String
        /// The value text.
        public var value: String
        /// Whether this is a section title (`Previous Full Backup:`).
        public var isSection: Bool

        init(_ label: String, _ value: String, section: Bool = false) {
            self.label = label
            self.value = value
            isSection = section
        }
    }

    /// The file.
    public var path: String
    /// Its kind.
    public var kind: Kind
    /// The lines, in eseutil's order.
    public var entries: [Entry]
    /// Warnings eseutil would print (checksum errors, copies that differ).
    public var warnings: [String]

    static func hex<T: BinaryInteger>(_ value: T) -> String { String(value, radix: 16) }
    static func position(_ position: LogPosition) -> String { position.description }

    /// The dump of a database header. ESE: `ErrDUMPHeaderStandard` (eseutil /mh).
    public static func database(path: String, selection: HeaderSelection) -> HeaderDump {
        let h = selection.header
        var entries: [Entry] = []
        func add(_ label: String, _ value: String) { entries.append(Entry(label, value)) }
        let chosen = selection.usesShadow ? selection.shadow : selection.primary
        entries.append(Entry("Checksum Information", "", section: true))
        add("Expected Checksum", "0x" + hex(chosen.computedChecksum ?? 0))
        add("  Actual Checksum", "0x" + hex(chosen.storedChecksum ?? 0))
        databaseFields(h, into: &entries)
        backupSections(h, into: &entries)
        resizeAndMaintenance(h, into: &entries)
        return HeaderDump(path: path, kind: .database, entries: entries, warnings: headerWarnings(selection))
    }

    /// The "Fields" section of eseutil /mh.
    static func databaseFields(_ h: DatabaseHeader, into entries: inout [Entry]) {
        func add(_ label: String, _ value: String) { entries.append(Entry(label, value)) }
        entries.append(Entry("Fields", "", section: true))
        add("        File Type", h.attributes == 0 ? "Database" : "UNKNOWN")
        add("         Checksum", "0x" + hex(h.checksum))
        add("   Format ulMagic", "0x" + hex(h.magic))
        add("   Engine ulMagic", "0x" + hex(DatabaseHeader.magic))
        add(" Format ulVersion", "0x\(hex(h.version)),\(h.updateMajor),\(h.updateMinor)  (attached by \(h.maximumAttachedFormatVersion))")
        add(" Engine ulVersion", "0x620 (ESECheck reads the format; it is not an engine)")
        add("Created ulVersion", "0x\(hex(h.createVersion)),\(Int16(truncatingIfNeeded: h.createUpdate))")
        add("     DB Signature", h.databaseSignature.description)
        add("         cbDbPage", "\(h.storedPageSize)")
        add("           dbtime", "\(h.databaseTime) (0x\(hex(h.databaseTime)))")
        add("            State", h.state.eseutilName)
        let minimum = UInt32(bitPattern: h.minimumRequiredGeneration), maximum = UInt32(bitPattern: h.maximumRequiredGeneration)
        let preRedo = UInt32(bitPattern: h.preRedoMinimumRequiredGeneration)
        add("     Log Required", "\(minimum)-\(maximum) (0x\(hex(minimum))-0x\(hex(maximum))) [Min. Req. Pre-Redo: \(preRedo) (0x\(hex(preRedo)))]")
        add("Gen. Max. Req. Creation Time", h.maximumRequiredGenerationCreateTime.description)
        let committed = UInt32(bitPattern: h.maximumCommittedGeneration)
        add("    Log Committed", "0-\(committed) (0x0-0x\(hex(committed)))")
        add("Gen. Max. Com. Creation Time", h.maximumCommittedGenerationCreateTime.description)
        let consistent = UInt32(bitPattern: h.minimumConsistentGeneration), preRedoConsistent = UInt32(bitPattern: h.preRedoMinimumConsistentGeneration)
        add("   Log Consistent", "\(consistent) (0x\(hex(consistent))) [Pre-Redo: \(preRedoConsistent) (0x\(hex(preRedoConsistent)))]")
        let recovering = UInt32(bitPattern: h.recoveringGeneration)
        add("   Log Recovering", "\(recovering) (0x\(hex(recovering)))")
        add("         Shadowed", h.isShadowed ? "Yes" : "No")
        add("       Last Objid", "\(h.lastObjectID)")
        add("     Scrub Dbtime", "\(h.lastScrubDatabaseTime) (0x\(hex(h.lastScrubDatabaseTime)))")
        add("       Scrub Date", h.scrubTime.description)
        add("     Repair Count", "\(h.repairCount)")
        add("      Repair Date", h.repairTime.description)
        add(" Old Repair Count", "\(h.oldRepairCount)")
        add("  Last Consistent", "\(position(h.consistentPosition))  \(h.consistentTime)")
        add("      Last Attach", "\(position(h.attachPosition))  \(h.attachTime)")
        add("      Last Detach", "\(position(h.detachPosition))  \(h.detachTime)")
        add("    Last ReAttach", "\(position(h.lastReattachPosition))  \(h.lastReattachTime)")
        add("             Dbid", "\(Int16(truncatingIfNeeded: h.databaseID))")
        add("    Log Signature", h.logSignature.description)
        add("       OS Version", "(\(h.osMajorVersion).\(h.osMinorVersion).\(h.osBuildNumber) SP \(h.osServicePack) NLS \(hex(h.sortVersion >> 32)).\(hex(h.sortVersion & 0xFFFF_FFFF)))")
        if h.incrementalReseeds.count != 0 || h.incrementalReseeds.oldCount != 0 || h.pagePatches.count != 0 || h.pagePatches.oldCount != 0 {
            add("     Reseed Count", "\(h.incrementalReseeds.count)")
            add("      Reseed Date", h.incrementalReseeds.lastTime.description)
            add(" Old Reseed Count", "\(h.incrementalReseeds.oldCount)")
            add("      Patch Count", "\(h.pagePatches.count)")
            add("       Patch Date", h.pagePatches.lastTime.description)
            add("  Old Patch Count", "\(h.pagePatches.oldCount)")
        }
    }

    /// One section per backup record, as eseutil /mh prints them.
    static func backupSections(_ h: DatabaseHeader, into entries: inout [Entry]) {
        func add(_ label: String, _ value: String) { entries.append(Entry(label, value)) }
        let backups: [(String, BackupInfo, UInt32?)] = [
            ("Previous Full Backup", h.previousFullBackup, h.previousFullBackupKind),
            ("Previous Incremental Backup", h.previousIncrementalBackup, h.previousIncrementalBackupKind),
            ("Previous Copy Backup", h.previousCopyBackup, h.previousCopyBackupKind),
            ("Previous Differential Backup", h.previousDifferentialBackup, h.previousDifferentialBackupKind),
            ("Current Full Backup", h.currentFullBackup, nil),
            ("Current Shadow copy backup", h.currentSnapshotBackup, nil),
        ]
        for (title, info, kind) in backups {
            entries.append(Entry(title, "", section: true))
            let suffix: String
            switch kind.flatMap(BackupKind.init(rawValue:)) {
            case .osSnapshot: suffix = " - OSSnapshot"
            case .snapshot: suffix = " - Snapshot"
            case nil where kind != nil: suffix = " - UNKNOWN"
            default: suffix = ""
            }
            add("        Log Gen", "\(info.generationLow)-\(info.generationHigh) (0x\(hex(info.generationLow))-0x\(hex(info.generationHigh)))\(suffix)")
            add("           Mark", position(info.mark))
            add("           Mark", info.markTime.description)
        }
    }

    /// Upgrade, resize, extend, shrink and trim counters, ECC and maintenance fields, flush signatures.
    static func resizeAndMaintenance(_ h: DatabaseHeader, into entries: inout [Entry]) {
        func add(_ label: String, _ value: String) { entries.append(Entry(label, value)) }
        entries.append(Entry("", ""))
        add("     cpgUpgrade55Format", "\(Int32(bitPattern: h.upgrade55FormatPages))")
        add("    cpgUpgradeFreePages", "\(Int32(bitPattern: h.upgradeFreePages))")
        add("cpgUpgradeSpaceMapPages", "\(Int32(bitPattern: h.upgradeSpaceMapPages))")
        var resize = position(h.lastResizePosition) + "  "
        if h.lastResizePosition == h.attachPosition {
            resize += "(Matches \"Last Attach\", no subsequent resize)"
        } else if h.lastResizePosition == h.consistentPosition {
            resize += "(Matches \"Last Consistent\", no subsequent resize)"
        }
        add("      Last Resize", resize)
        add("     Extend Count", "\(h.extendCount)")
        add("      Extend Date", h.lastExtendTime.description)
        add("     Shrink Count", "\(h.shrinkCount)")
        add("      Shrink Date", h.lastShrinkTime.description)
        add("       Trim Count", "\(h.trimCount)")
        if h.fileType == .database {
            func counter(_ label: String, _ value: UInt32) -> String { value == 0 ? "none" : "found (\(value))" }
            add("       ECC Fix Success Count", counter("", h.eccFixSuccess.count))
            if h.eccFixSuccess.count != 0 { add("   Last ECC Fix Success Date", h.eccFixSuccess.lastTime.description) }
            add("   Old ECC Fix Success Count", counter("", h.eccFixSuccess.oldCount))
            add("         ECC Fix Error Count", counter("", h.eccFixFailure.count))
            if h.eccFixFailure.count != 0 { add("     Last ECC Fix Error Date", h.eccFixFailure.lastTime.description) }
            add("     Old ECC Fix Error Count", counter("", h.eccFixFailure.oldCount))
            add("    Bad Checksum Error Count", counter("", h.badChecksums.count))
            if h.badChecksums.count != 0 { add("Last Bad Checksum Error Date", h.badChecksums.lastTime.description) }
            add("Old bad Checksum Error Count", counter("", h.badChecksums.oldCount))
            add("  Last Database Maintenance Finish Date", h.previousDatabaseScanTime.description)
            add("Current Database Maintenance Start Date", h.databaseScanStartTime.description)
            add("      Highest Continuous Database Maintenance Page", "\(h.databaseScanHighestContinuousPage)")
            add("      Highest Database Maintenance Page", "\(h.databaseScanHighestPage)")
        }
        add("  Database Header Flush Signature", h.headerFlushSignature.description)
        add(" Flush Map Header Flush Signature", h.flushMapHeaderFlushSignature.description)
    }

    /// What is wrong with the header copies.
    static func headerWarnings(_ selection: HeaderSelection) -> [String] {
        var warnings: [String] = []
        if !selection.primary.isValid {
            warnings.append(selection.primary.storedChecksum == 0 ? "the primary header has a zeroed checksum" : "the primary header has a checksum error")
        }
        if !selection.shadow.isValid {
            if selection.shadow.storedChecksum == selection.shadow.computedChecksum, selection.shadow.storedChecksum != nil {
                warnings.append("primary header and shadow header are not identical")
            } else {
                warnings.append("the shadow header has a checksum error")
            }
        }
        return warnings
    }
    /// The dump of one log file's header. ESE: `ErrLGDumpLog` with one file (eseutil /ml).
    public static func log(path: String, header h: LogFileHeader, scan: LogBodyScan?) -> HeaderDump {
        var entries: [Entry] = []
        func add(_ label: String, _ value: String) { entries.append(Entry(label, value)) }
        let generation = UInt32(bitPattern: h.generation)
        add("      lGeneration", "\(generation) (0x\(String(generation, radix: 16, uppercase: true)))")
        add("      Checkpoint", "NOT AVAILABLE")
        add("      creation time", h.createTime.description)
        add("      prev gen time", h.previousGenerationTime.description)
        add("      prev gen accumulated segment checksum", XEChecksum(rawValue: h.previousGenerationAccumulatedChecksum).description)
        add("      Format LGVersion", "(\(h.majorVersion).\(h.minorVersion).\(h.updateMajor).\(h.updateMinor)) (generated by \(h.engineFormatVersion))")
        add("      Engine LGVersion", "(8.4000.*) (ESECheck reads v7 and v8 logs; it is not an engine)")
        add("      Signature", h.logSignature.description)
        add("      Env SystemPath", h.parameters.systemPath)
        add("      Env LogFilePath", h.parameters.logFilePath)
        let sector: String
        switch h.diskSectorSizeState {
        case 0: sector = " (legacy, unknown actual)"
        case 1: sector = " (matches)"
        case 2: sector = " (actual @ log gen 512)"
        case 3: sector = " (actual @ log gen 1024)"
        case 4: sector = " (actual @ log gen 2048)"
        case 5: sector = " (actual @ log gen 4096)"
        case 255: sector = " (actual @ log gen NON-STANDARD)"
        default: sector = " (Unknown ENUM!)"
        }
        add("      Env Log Sec size", "\(h.sectorSize)\(sector)")
        entries += environment(h.parameters)
        add("      Using Reserved Log File", h.isUsingReserveLog ? "true" : "false")
        add("      Circular Logging Flag (current file)", h.circularLoggingNow ? "on" : "off")
        add("      Circular Logging Flag (past files)", h.circularLoggingEver ? "on" : "off")
        add("      Checkpoint at log creation time", position(h.checkpoint))
        entries += attachments(h.attachments)
        if let scan {
            if let damage = scan.damage {
                add("      ERROR", "Log damaged (unusable). Last Lgpos: \(position(scan.endOfData)). Error -501. (\(damage.reason.rawValue) at sector \(damage.sector))")
            } else {
                add("      Last Lgpos", position(scan.endOfData))
                if h.bodyFormat == .v8 { add("      Accumulated segment checksum", XEChecksum(rawValue: scan.accumulatedChecksum).description) }
            }
        }
        return HeaderDump(path: path, kind: .log, entries: entries, warnings: [])
    }

    /// The dump of a checkpoint file. ESE: `ErrLGDumpCheckpoint` (eseutil /mk).
    public static func checkpoint(path: String, selection: CheckpointSelection) -> HeaderDump {
        let h = selection.header
        var entries: [Entry] = []
        func add(_ label: String, _ value: String) { entries.append(Entry(label, value)) }
        add("      LastFullBackupCheckpoint", position(h.lastFullBackupCheckpoint))
        add("      Checkpoint", position(h.checkpoint))
        add("      DbConsistency", position(h.databaseConsistency))
        add("      FullBackup", position(h.fullBackupPosition))
        add("      FullBackup time", h.fullBackupTime.description)
        add("      IncBackup", position(h.incrementalBackupPosition))
        add("      IncBackup time", h.incrementalBackupTime.description)
        add("      Signature", h.logSignature.description)
        entries += environment(h.parameters)
        entries += attachments(h.attachments)
        var warnings: [String] = []
        if !selection.primaryValid { warnings.append("the first checkpoint copy has a checksum error") }
        if !selection.shadowValid { warnings.append("the second checkpoint copy has a checksum error") }
        if selection.primaryValid, selection.shadowValid, !selection.copiesIdentical { warnings.append("the two checkpoint copies are not identical") }
        return HeaderDump(path: path, kind: .checkpoint, entries: entries, warnings: warnings)
    }

    static func environment(_ parameters: DBMSParameters) -> [Entry] {
        func column(_ value: UInt32) -> String {
            let text = String(value)
            return String(repeating: " ", count: max(0, 7 - text.count)) + text
        }
        let values = [parameters.sessionsMax, parameters.openTablesMax, parameters.versionPagesMax, parameters.cursorsMax,
                      parameters.logBuffers, parameters.logFileSectors, parameters.cacheSizeMax].map(column)
        return [
            Entry("", "      Env (CircLog,Session,Opentbl,VerPage,Cursors,LogBufs,LogFile,Buffers)"),
            Entry("", "          (\(parameters.circularLogging ? "     on" : "    off"),\(values.joined(separator: ",")))"),
        ]
    }

    static func attachments(_ list: [AttachInfo]) -> [Entry] {
        list.flatMap { attach in
            [Entry("", "      \(attach.databaseID) \(attach.path)"),
             Entry("                 dbtime", "\(attach.databaseTime) (0x\(hex(attach.databaseTime)))"),
             Entry("                 objidLast", "\(attach.lastObjectID)"),
             Entry("                 Signature", attach.databaseSignature.description),
             Entry("                 MaxDbSize", "\(attach.maximumPages) pages"),
             Entry("                 Last Attach", position(attach.attachPosition)),
             Entry("                 Last Consistent", position(attach.consistentPosition))]
        }
    }
}
