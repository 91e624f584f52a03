extension LogProblem {
    /// The machine name of a log problem (`headerChecksum`, `tornWrite`, `strayLog`, …): an open set of stable names.
    public struct Code: StableCode {
        /// The stable machine name, as JSON carries it.
        public let rawValue: String
        /// Creates a code from its machine name.
        public init(rawValue: String) { self.rawValue = rawValue }
    }
}

extension LogProblem.Code {
    /// `bodyDamaged`: body damaged.
    public static let bodyDamaged: Self = "bodyDamaged"
    /// `checkpointCorrupt`: checkpoint corrupt.
    public static let checkpointCorrupt: Self = "checkpointCorrupt"
    /// `checkpointLogMissing`: checkpoint log missing.
    public static let checkpointLogMissing: Self = "checkpointLogMissing"
    /// `checkpointSignature`: checkpoint signature.
    public static let checkpointSignature: Self = "checkpointSignature"
    /// `copiesDiffer`: copies differ.
    public static let copiesDiffer: Self = "copiesDiffer"
    /// `correctedBit`: corrected bit.
    public static let correctedBit: Self = "correctedBit"
    /// `emptyFile`: empty file.
    public static let emptyFile: Self = "emptyFile"
    /// `foreignSignature`: foreign signature.
    public static let foreignSignature: Self = "foreignSignature"
    /// `generationMismatch`: generation mismatch.
    public static let generationMismatch: Self = "generationMismatch"
    /// `generationOrder`: generation order.
    public static let generationOrder: Self = "generationOrder"
    /// `headerChecksum`: header checksum.
    public static let headerChecksum: Self = "headerChecksum"
    /// `headerField`: header field.
    public static let headerField: Self = "headerField"
    /// `primaryCopyBad`: primary copy bad.
    public static let primaryCopyBad: Self = "primaryCopyBad"
    /// `readFailed`: read failed.
    public static let readFailed: Self = "readFailed"
    /// `setSizeMismatch`: set size mismatch.
    public static let setSizeMismatch: Self = "setSizeMismatch"
    /// `shadowCopyBad`: shadow copy bad.
    public static let shadowCopyBad: Self = "shadowCopyBad"
    /// `sizeMismatch`: size mismatch.
    public static let sizeMismatch: Self = "sizeMismatch"
    /// `strayLog`: stray log.
    public static let strayLog: Self = "strayLog"
    /// `tooShort`: too short.
    public static let tooShort: Self = "tooShort"
    /// `tornWrite`: torn write.
    public static let tornWrite: Self = "tornWrite"
    /// `unreadable`: unreadable.
    public static let unreadable: Self = "unreadable"
    /// `versionWalkedBackwards`: version walked backwards.
    public static let versionWalkedBackwards: Self = "versionWalkedBackwards"
}
