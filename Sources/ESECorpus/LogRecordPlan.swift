import ESEFormat

/// The special records of a generated storage group and where they land: the attach lists
/// (with each AttachDB record's position), the DetachDB positions of a clean group and its
/// Term2's position, which the database headers and the checkpoint must name.
struct LogRecordPlan: Sendable {
    /// The bulk records.
    var filler: LogRecordFiller
    /// The attach-list entries, their attach positions those of the AttachDB records.
    var attachments: [AttachmentFields] = []
    /// Init2 and one AttachDB per database, at the start of the first generation.
    var head: [[UInt8]] = []
    /// One DetachDB per database, at the end of the current log of a clean group.
    var closing: [[UInt8]] = []
    /// Where each DetachDB went (clean groups).
    var detachPositions: [LogPosition?] = []
    /// Where the Term2 went (clean groups).
    var termination: LogPosition?
}
