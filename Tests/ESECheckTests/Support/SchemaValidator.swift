import Foundation

/// A validator for the subset of JSON Schema that `docs/report.schema.json` uses: `type`,
/// `const`, `enum`, `required`, `properties`, `items`, `$ref` (to `#/$defs/…`), `oneOf`,
/// `anyOf`, `allOf`. Returns the paths and reasons of every violation.
struct SchemaValidator {
    let root: [String: Any]

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        root = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func validate(_ value: Any?, against definition: String) -> [String] {
        validate(value, schema: ["$ref": "#/$defs/\(definition)"], path: "$")
    }

    private func resolve(_ reference: String) -> [String: Any] {
        let name = reference.replacingOccurrences(of: "#/$defs/", with: "")
        return (root["$defs"] as? [String: Any])?[name] as? [String: Any] ?? [:]
    }

    private func typeName(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: return "null"
        case let number as NSNumber:
            // Foundation decodes true/false as a boolean-flavoured NSNumber.
            if String(describing: type(of: number)).contains("Boolean") { return "boolean" }
            return number is Int ? "integer" : "number"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "unknown"
        }
    }

    private func equal(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (nil, nil), (nil, is NSNull), (is NSNull, nil), (is NSNull, is NSNull): return true
        case let (x as String, y as String): return x == y
        case let (x as NSNumber, y as NSNumber): return x == y
        default: return false
        }
    }

    private func validate(_ value: Any?, schema: [String: Any], path: String) -> [String] {
        var errors: [String] = []
        if let reference = schema["$ref"] as? String {
            errors += validate(value, schema: resolve(reference), path: path)
        }
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String ?? ""]
            let actual = typeName(value)
            if !allowed.contains(actual) && !(actual == "integer" && allowed.contains("number")) {
                errors.append("\(path): expected \(allowed.joined(separator: "|")), found \(actual)")
                return errors
            }
        }
        if let constant = schema["const"], !equal(value, constant) { errors.append("\(path): expected \(constant)") }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            errors.append("\(path): \(text) does not match \(pattern)")
        }
        if let choices = schema["enum"] as? [Any], !choices.contains(where: { equal(value, $0) }) {
            errors.append("\(path): \(String(describing: value)) is not one of \(choices)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                errors.append("\(path): missing required field \"\(key)\"")
            }
            for (key, subschema) in schema["properties"] as? [String: Any] ?? [:] {
                if let child = object[key], let subschema = subschema as? [String: Any] {
                    errors += validate(child, schema: subschema, path: "\(path).\(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { errors += validate(element, schema: items, path: "\(path)[\(index)]") }
        }
        for sub in schema["allOf"] as? [[String: Any]] ?? [] { errors += validate(value, schema: sub, path: path) }
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matches = options.filter { validate(value, schema: $0, path: path).isEmpty }.count
            if matches != 1 { errors.append("\(path): matches \(matches) of the oneOf alternatives, expected exactly 1") }
        }
        if let options = schema["anyOf"] as? [[String: Any]], !options.contains(where: { validate(value, schema: $0, path: path).isEmpty }) {
            errors.append("\(path): matches none of the anyOf alternatives")
        }
        return errors
    }
}
