import Foundation

/// A Codable value stored as jsonb: `\(PostgresJSON(context))` binds it, and
/// `row.decode(PostgresJSON<Context>.self, …).value` reads it back.
public struct PostgresJSON<Value: Codable & Sendable>: Sendable, PostgresEncodable, PostgresDecodable {
    public var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public static var postgresType: PostgresDataType { .jsonb }

    public func encode(into buffer: inout String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        try String(decoding: data, as: UTF8.self).encode(into: &buffer)
    }

    public static func decode(text: String, type: PostgresDataType) -> PostgresJSON<Value>? {
        guard [.json, .jsonb, .text, .unknown].contains(type) else { return nil }
        return (try? JSONDecoder().decode(Value.self, from: Data(text.utf8))).map(PostgresJSON.init)
    }

    public static var swiftTypeName: String { "JSON \(Value.self)" }
}
