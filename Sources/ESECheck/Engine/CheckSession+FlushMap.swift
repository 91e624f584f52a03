import ESEFormat

extension CheckSession {
    /// Hands in the flush map (`<db>.jfm`) of `database` as bytes, for a database whose pages the
    /// caller streams: at `finish()` every page that passed its checksum is compared with it
    /// (ESE's lost-flush check, −1119; docs/flush-map.md). A database file's map is found beside
    /// it without this call; a map handed in takes its place. Call after the headers, before
    /// `finish()`, from any thread. Only the map pages that describe the database's pages are
    /// needed (8 KiB header, then one 8 KiB page per 32,512 database pages).
    /// CHKSGFILES has no such call (it does not read the flush map).
    /// - Throws: `CheckError.invalidUse` before the headers, after finishing, or for an unknown database.
    public func provideFlushMap(database: Int, name: String, bytes: RawSpan) throws(CheckError) {
        let slots = slotsForFeeding()
        guard slots.indices.contains(database) else {
            throw Self.misuse("there is no database \(database) (the session has \(slots.count), or its headers are not checked yet)")
        }
        let copy = bytes.withUnsafeBytes { Array($0) }
        slots[database].flushTypes.hand(FlushTypeLedger.HandedMap(name: name, bytes: copy))
    }
}
