/// Any JSON value, used to compare the canonical JSON of two specs field by field.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Leaf values by path: `a.b`, `list[0]`, and `arms[key]` for arrays of objects with a `key`.
    func flattened(prefix: String = "") -> [(path: String, value: String)] {
        switch self {
        case .object(let fields):
            guard !fields.isEmpty else { return [(prefix, "{}")] }
            return fields.keys.sorted().flatMap { key in
                // Keys come from the dictionary itself.
                fields[key, default: .null].flattened(prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
            }
        case .array(let items):
            guard !items.isEmpty else { return [(prefix, "[]")] }
            return items.enumerated().flatMap { index, item in
                if case .object(let fields) = item, case .string(let key)? = fields["key"] {
                    return item.flattened(prefix: "\(prefix)[\(key)]")
                }
                return item.flattened(prefix: "\(prefix)[\(index)]")
            }
        case .null: return [(prefix, "null")]
        case .bool(let value): return [(prefix, String(value))]
        case .number(let value): return [(prefix, value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value))]
        case .string(let value): return [(prefix, value)]
        }
    }
}
