/// PostgreSQL's text form of one-dimensional arrays: `{a,"b c",NULL,"d\"e"}`.
enum PostgresArrayLiteral {
    /// The element type of the array types we read.
    static func elementType(of arrayType: PostgresDataType) -> PostgresDataType? {
        switch arrayType {
        case .boolArray: .bool
        case .int2Array: .int2
        case .int4Array: .int4
        case .int8Array: .int8
        case .textArray: .text
        case .float4Array: .float4
        case .float8Array: .float8
        case .timestamptzArray: .timestamptz
        case .uuidArray: .uuid
        case .jsonbArray: .jsonb
        case PostgresDataType(oid: 1015): .varchar
        case PostgresDataType(oid: 199): .json
        default: nil
        }
    }

    /// The elements (nil for NULL), or nil when the text is not a one-dimensional array.
    static func parse(_ text: String) -> [String?]? {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        if bytes.count == 2 { return [] }
        var elements: [String?] = []
        var index = 1
        while index < bytes.count - 1 {
            if bytes[index] == UInt8(ascii: "{") { return nil }  // nested: not supported
            var element: [UInt8] = []
            var quoted = false
            if bytes[index] == UInt8(ascii: "\"") {
                quoted = true
                index += 1
                while index < bytes.count - 1 && bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    element.append(bytes[index])
                    index += 1
                }
                index += 1  // closing quote
            } else {
                while index < bytes.count - 1 && bytes[index] != UInt8(ascii: ",") {
                    element.append(bytes[index])
                    index += 1
                }
            }
            let value = String(decoding: element, as: UTF8.self)
            elements.append(!quoted && value == "NULL" ? nil : value)
            if index < bytes.count - 1 {
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
        }
        return elements
    }
}
