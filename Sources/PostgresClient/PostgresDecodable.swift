import Foundation

/// A Swift type that a result column can be read into, from PostgreSQL's text format.
public protocol PostgresDecodable {
    /// Reads the value from its text form; nil when the text or the column's type does not fit.
    static func decode(text: String, type: PostgresDataType) -> Self?
    /// The value for SQL NULL; nil when the type cannot be NULL (only Optional can).
    static var nullValue: Self? { get }
    /// The Swift type's name in error messages.
    static var swiftTypeName: String { get }
}

extension PostgresDecodable {
    public static var nullValue: Self? { nil }
    public static var swiftTypeName: String { String(describing: Self.self) }
}

extension String: PostgresDecodable {
    /// Any column reads as its text representation.
    public static func decode(text: String, type: PostgresDataType) -> String? { text }
}

extension Int64: PostgresDecodable {
    public static func decode(text: String, type: PostgresDataType) -> Int64? {
        [.int2, .int4, .int8, .numeric, .unknown, .text].contains(type) ? Int64(text) : nil
    }
}

extension Int: PostgresDecodable {
    public static func decode(text: String, type: PostgresDataType) -> Int? {
        [.int2, .int4, .int8, .numeric, .unknown, .text].contains(type) ? Int(text) : nil
    }
}

extension Int32: PostgresDecodable {
    public static func decode(text: String, type: PostgresDataType) -> Int32? {
        [.int2, .int4, .unknown, .text].contains(type) ? Int32(text) : nil
    }
}

extension Double: PostgresDecodable {
    public static func decode(text: String, type: PostgresDataType) -> Double? {
        [.float4, .float8, .numeric, .int2, .int4, .int8, .unknown, .text].contains(type) ? Double(text) : nil
    }
}

extension Float: PostgresDecodable {
    public static func decode(text: String, type: PostgresDataType) -> Float? {
        Double.decode(text: text, type: type).map(Float.init)
    }
}

extension Bool: PostgresDecodable {
    public static func decode(text: String, type: PostgresDataType) -> Bool? {
        guard type == .bool || type == .unknown || type == .text else { return nil }
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        default: return nil
        }
    }
}

extension UUID: PostgresDecodable {
    public static func decode(text: String, type: PostgresDataType) -> UUID? {
        [.uuid, .text, .unknown].contains(type) ? UUID(uuidString: text) : nil
    }
}

extension Date: PostgresDecodable {
    /// timestamptz, timestamp (taken as UTC) and date (midnight UTC).
    public static func decode(text: String, type: PostgresDataType) -> Date? {
        [.timestamptz, .timestamp, .date, .text, .unknown].contains(type) ? PostgresTimestamp.parse(text) : nil
    }
}

extension Data: PostgresDecodable {
    /// bytea in hex format (`\x0a1b…`), PostgreSQL's default output since 9.0.
    public static func decode(text: String, type: PostgresDataType) -> Data? {
        guard type == .bytea else { return nil }
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes[0] == 92, bytes[1] == 120, bytes.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var data = Data(capacity: (bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(text: String, type: PostgresDataType) -> Wrapped?? {
        Wrapped.decode(text: text, type: type).map { .some($0) }
    }
    public static var nullValue: Wrapped?? { .some(nil) }
    public static var swiftTypeName: String { Wrapped.swiftTypeName + "?" }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// A one-dimensional array in text format; NULL elements only when Element is Optional.
    public static func decode(text: String, type: PostgresDataType) -> [Element]? {
        guard let elementType = PostgresArrayLiteral.elementType(of: type),
            let elements = PostgresArrayLiteral.parse(text)
        else { return nil }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            if let element {
                guard let value = Element.decode(text: element, type: elementType) else { return nil }
                result.append(value)
            } else {
                guard let null = Element.nullValue else { return nil }
                result.append(null)
            }
        }
        return result
    }
    public static var swiftTypeName: String { "[\(Element.swiftTypeName)]" }
}
