/// The shutdown state recorded in a database header. ESE: `le_dbstate` (`JET_dbstate*`).
public enum DatabaseState: Hashable, Sendable, CustomStringConvertible {
    /// Created, never attached to a log stream. ESE: `JET_dbstateJustCreated` (1).
    case justCreated
    /// Attached when the copy was taken: log replay is needed. ESE: `JET_dbstateDirtyShutdown` (2).
    case dirtyShutdown
    /// Detached cleanly: consistent without logs. ESE: `JET_dbstateCleanShutdown` (3).
    case cleanShutdown
    /// In a format conversion. ESE: `JET_dbstateBeingConverted` (4).
    case beingConverted
    /// Obsolete force-detach state. ESE: `JET_dbstateForceDetach` (5).
    case forceDetach
    /// In an incremental reseed. ESE: `JET_dbstateIncrementalReseedInProgress` (6).
    case incrementalReseedInProgress
    /// Dirty, with pages patched from another copy. ESE: `JET_dbstateDirtyAndPatchedShutdown` (7).
    case dirtyAndPatchedShutdown
    /// In a revert. ESE: `JET_dbstateRevertInProgress` (8).
    case revertInProgress
    /// A value the format does not define.
    case illegal(UInt32)

    /// Decodes the stored value.
    public init(rawValue: UInt32) {
        switch rawValue {
        case 1: self = .justCreated
        case 2: self = .dirtyShutdown
        case 3: self = .cleanShutdown
        case 4: self = .beingConverted
        case 5: self = .forceDetach
        case 6: self = .incrementalReseedInProgress
        case 7: self = .dirtyAndPatchedShutdown
        case 8: self = .revertInProgress
        default: self = .illegal(rawValue)
        }
    }

    /// The stored value.
    public var rawValue: UInt32 {
        switch self {
        case .justCreated: 1
        case .dirtyShutdown: 2
        case .cleanShutdown: 3
        case .beingConverted: 4
        case .forceDetach: 5
        case .incrementalReseedInProgress: 6
        case .dirtyAndPatchedShutdown: 7
        case .revertInProgress: 8
        case .illegal(let value): value
        }
    }

    /// The ESE name in lower camel case, as used in JSON reports (`cleanShutdown`, …);
    /// `illegal` for undefined values.
    public var name: String {
        switch self {
        case .justCreated: "justCreated"
        case .dirtyShutdown: "dirtyShutdown"
        case .cleanShutdown: "cleanShutdown"
        case .beingConverted: "beingConverted"
        case .forceDetach: "forceDetach"
        case .incrementalReseedInProgress: "incrementalReseedInProgress"
        case .dirtyAndPatchedShutdown: "dirtyAndPatchedShutdown"
        case .revertInProgress: "revertInProgress"
        case .illegal: "illegal"
        }
    }

    /// eseutil /mh's wording (`Clean Shutdown`, `Dirty Shutdown`, …).
    public var eseutilName: String {
        switch self {
        case .justCreated: "Just Created"
        case .dirtyShutdown: "Dirty Shutdown"
        case .cleanShutdown: "Clean Shutdown"
        case .beingConverted: "Being Converted"
        case .forceDetach: "Force Detach Replay Error"
        case .incrementalReseedInProgress: "Incremental Reseed In Progress"
        case .dirtyAndPatchedShutdown: "Dirty and Patched Shutdown"
        case .revertInProgress: "Database Revert in Progress"
        case .illegal: "Illegal"
        }
    }

    /// Whether log replay is needed to make the database consistent.
    public var needsLogReplay: Bool {
        self == .dirtyShutdown || self == .dirtyAndPatchedShutdown
    }

    public var description: String { name }
}
