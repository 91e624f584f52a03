/// The `manifest` object of `ese-verify manifest --json` and `ese-verify verify --json`
/// (docs/json-schema.md): the storage-group report of the check, extended with what the
/// manifest recorded and, for `verify`, the files that differ and whether the copy is the one
/// verified at backup time.
extension ManifestComparison {
    /// The findings of one kind, by name.
    public func findings(_ difference: Difference) -> [Finding] { findings.filter { $0.difference == difference } }

    /// `{"missing":[…], "extra":[…], "resized":[…], "changed":[…], "unverified":[…]}`: each
    /// finding as `{"name", "recordedSize", "foundSize", "recordedHash", "foundHash", "detail"}`
    /// (values that do not apply are left out).
    public var listsJSON: [(String, JSONValue)] {
        [Difference.missing, .extra, .resized, .changed, .unverified].map { difference in
            (difference.rawValue, .array(findings(difference).map(\.json)))
        }
    }
}

extension ManifestComparison.Finding {
    /// `{"name", "recordedSize", "foundSize", "recordedHash", "foundHash", "detail"}`.
    public var json: JSONValue {
        .object(["name": .string(name), "recordedSize": recordedSize.map { .number($0) }, "foundSize": foundSize.map { .number($0) },
                 "recordedHash": recordedHash.map { .string($0) }, "foundHash": foundHash.map { .string($0) },
                 "detail": .string(detail)])
    }
}

extension BackupManifest {
    /// The name of the whole-file hash the manifest's `hash` line names (docs/manifest.md).
    static let jsonHashAlgorithm = BackupManifest.hashAlgorithm

    /// The `manifest` object of `ese-verify manifest --json`: where it was written, the hash
    /// algorithm, the verdict recorded and every file (`{"name", "kind", "size", "hash"}`,
    /// `hash` null when the file could not be read whole).
    public func json(path: String?) -> JSONValue {
        let files: [JSONValue] = entries.map { entry in
            .object(["name": .string(entry.name), "kind": .string(entry.kind.rawValue), "size": .number(entry.size),
                     "hash": entry.hash.map { .string(BackupManifest.hex($0)) } ?? .null])
        }
        return .object(["operation": .string("write"), "path": path.map { .string($0) }, "hashAlgorithm": .string(Self.jsonHashAlgorithm),
                        "recordedVerdict": .string(verdict.rawValue), "fileCount": .number(entries.count),
                        "unhashed": .number(entries.filter { $0.hash == nil }.count), "files": .array(files)])
    }
}

extension ManifestVerification {
    /// The `manifest` object of `ese-verify verify --json`: the manifest checked, whether the
    /// copy is the one it recorded (`isRecordedCopy`), the files compared and found equal, the
    /// differences found before any page was read (`listing`) and after the single read
    /// (`missing`, `extra`, `resized`, `changed`, `unverified`).
    public func manifestJSON(path: String?) -> JSONValue {
        .object([("operation", .string("verify")), ("path", path.map { .string($0) } ?? .null),
                 ("hashAlgorithm", .string(BackupManifest.jsonHashAlgorithm)),
                 ("recordedVerdict", .string(manifest.verdict.rawValue)), ("fileCount", .number(manifest.entries.count)),
                 ("isRecordedCopy", .bool(comparison.matches)), ("matched", .number(comparison.matched)),
                 ("listing", .object(listing.listsJSON.filter { ["missing", "extra", "resized"].contains($0.0) }))]
                + comparison.listsJSON)
    }

    /// The document of `ese-verify verify --json`: the storage-group report (its verdict
    /// already combined with the comparison) with the `manifest` object added.
    public func json(path: String?) -> JSONValue { report.json.adding("manifest", manifestJSON(path: path)) }
}

extension JSONValue {
    /// This object with `key` set to `value` at the end (replacing an existing `key`); other
    /// values unchanged.
    public func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var pairs) = self else { return self }
        pairs.removeAll { $0.0 == key }
        pairs.append((key, value))
        return .object(pairs)
    }
}
