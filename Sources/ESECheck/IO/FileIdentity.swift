/// What says a file is still the one that was opened: device, inode, size, modification and
/// status-change times (`st_dev`, `st_ino`, `st_size`, `st_mtim`, `st_ctim`).
///
/// A file emptied and written again to the same size keeps its device, inode and size but
/// gets new modification and change times. The kernel stamps times at its clock tick
/// (a few milliseconds), so two changes within one tick look like one.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: UInt64
    var modification: Timestamp
    var change: Timestamp

    /// A file time: seconds and nanoseconds since 1970.
    struct Timestamp: Hashable, Sendable, CustomStringConvertible {
        var seconds: Int
        var nanoseconds: Int
        var description: String {
            let fraction = String(nanoseconds)
            return "\(seconds).\(String(repeating: "0", count: max(0, 9 - fraction.count)))\(fraction)"
        }
    }

    /// The fields that differ from `other`, each as `name was → is`; empty when none does.
    func differences(from other: FileIdentity) -> [String] {
        var list: [String] = []
        if device != other.device || inode != other.inode {
            list.append("device/inode \(other.device)/\(other.inode) → \(device)/\(inode) (another file)")
        }
        if size != other.size { list.append("size \(other.size) → \(size) bytes") }
        if modification != other.modification { list.append("modification time \(other.modification) → \(modification)") }
        if change != other.change { list.append("status-change time \(other.change) → \(change)") }
        return list
    }
}
