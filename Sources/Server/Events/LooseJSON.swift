/// A JSON value read without a schema, so that each event of a batch can be checked field
/// by field and reported on, instead of one bad event failing the whole body.
enum LooseJSON: Decodable, Sendable {
    case null
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([LooseJSON])
    case object([String: LooseJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let list = try? container.decode([LooseJSON].self) {
            self = .array(list)
        } else {
            self = .object(try container.decode([String: LooseJSON].self))
        }
    }

    /// The JSON type's name, for messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
