extension HeaderDump {
    /// `{"file":…, "kind":…, "fields":[{"label":…, "value":…}], "warnings":[…]}`.
    public var json: JSONValue {
        var section: String?
        var fields: [JSONValue] = []
        for entry in entries {
            if entry.isSection {
                section = entry.label
                continue
            }
            let label = String(entry.label.drop { $0 == " " })
            fields.append(.object(["label": .string(label), "value": .string(entry.value), "section": section.map { .string($0) }]))
        }
        return .object(["file": .string(path),
                        "pathBytes": PathEncoding.hasRawBytes(path) ? .string(PathEncoding.hex(path)) : nil,
                        "kind": .string(kind.rawValue), "fields": .array(fields),
                        "warnings": .array(warnings.map { .string($0) })])
    }
}
