import Foundation

/// A Swift value that can be sent as a bind parameter, in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    /// The PostgreSQL type the value is sent as.
    static var postgresType: PostgresDataType { get }
    /// Appends the value's text representation (no quoting: parameters travel apart from SQL).
    func encode(into buffer: inout String) throws
}

extension String: PostgresEncodable {
    public static var postgresType: PostgresDataType { .text }
    public func encode(into buffer: inout String) throws {
        // PostgreSQL text cannot hold NUL; libpq would silently cut the string there.
        if utf8.contains(0) {
            throw PostgresError(
                kind: .encoding,
                message: "A text parameter contains a NUL byte (\\0), which PostgreSQL text cannot store",
                advice: "Remove the NUL byte, or store the value as bytea (Data)"
            )
        }
        buffer += self
    }
}

extension Substring: PostgresEncodable {
    public static var postgresType: PostgresDataType { .text }
    public func encode(into buffer: inout String) throws { try String(self).encode(into: &buffer) }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int8 }
    public func encode(into buffer: inout String) throws { buffer += String(self) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int8 }
    public func encode(into buffer: inout String) throws { buffer += String(self) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int4 }
    public func encode(into buffer: inout String) throws { buffer += String(self) }
}

extension Int16: PostgresEncodable {
    public static var postgresType: PostgresDataType { .int2 }
    public func encode(into buffer: inout String) throws { buffer += String(self) }
}

extension Double: PostgresEncodable {
    public static var postgresType: PostgresDataType { .float8 }
    public func encode(into buffer: inout String) throws {
        // PostgreSQL spells the special values NaN, Infinity and -Infinity.
        if isNaN {
            buffer += "NaN"
        } else if isInfinite {
            buffer += self < 0 ? "-Infinity" : "Infinity"
        } else {
            buffer += "\(self)"
        }
    }
}

extension Float: PostgresEncodable {
    public static var postgresType: PostgresDataType { .float4 }
    public func encode(into buffer: inout String) throws { try Double(self).encode(into: &buffer) }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresDataType { .bool }
    public func encode(into buffer: inout String) throws { buffer += self ? "t" : "f" }
}

extension UUID: PostgresEncodable {
    public static var postgresType: PostgresDataType { .uuid }
    public func encode(into buffer: inout String) throws { buffer += uuidString.lowercased() }
}

extension Date: PostgresEncodable {
    public static var postgresType: PostgresDataType { .timestamptz }
    public func encode(into buffer: inout String) throws { buffer += PostgresTimestamp.format(self) }
}

extension Data: PostgresEncodable {
    public static var postgresType: PostgresDataType { .bytea }
    public func encode(into buffer: inout String) throws {
        buffer += "\\x"
        let digits = Array("0123456789abcdef")
        buffer.reserveCapacity(buffer.count + count * 2)
        for byte in self {
            buffer.append(digits[Int(byte >> 4)])
            buffer.append(digits[Int(byte & 0x0F)])
        }
    }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    public static var postgresType: PostgresDataType { Element.postgresType.arrayType }

    /// A one-dimensional array literal: every element double-quoted with `"` and `\` escaped.
    public func encode(into buffer: inout String) throws {
        buffer += "{"
        for (index, element) in enumerated() {
            if index > 0 { buffer += "," }
            var text = ""
            try element.encode(into: &text)
            buffer += "\""
            for character in text.unicodeScalars {
                if character == "\"" || character == "\\" { buffer += "\\" }
                buffer.unicodeScalars.append(character)
            }
            buffer += "\""
        }
        buffer += "}"
    }
}
