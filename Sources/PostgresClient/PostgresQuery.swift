import Foundation

/// A statement and its bind parameters. String interpolation turns every interpolated
/// value into a parameter (`$1`, `$2`, …), so SQL text cannot be built from values by
/// accident; raw text needs the explicitly unsafe `unsafeSQL:` forms.
///
///     let query: PostgresQuery = "SELECT * FROM items WHERE item_id = \(id)"
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    /// The statement text with `$n` placeholders.
    public private(set) var sql: String
    /// The parameters, in placeholder order.
    public private(set) var bindings: [PostgresBinding]

    /// A statement from literal text only.
    public init(stringLiteral value: String) {
        sql = value
        bindings = []
    }

    public init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
        bindings = stringInterpolation.bindings
    }

    /// A statement from text that was not written as a literal (a migration file, say).
    /// The caller vouches that no untrusted value was pasted into it.
    public init(unsafeSQL sql: String, bindings: [PostgresBinding] = []) {
        self.sql = sql
        self.bindings = bindings
    }

    /// Builds the text and the parameter list of an interpolated query.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var bindings: [PostgresBinding] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A value: becomes the next `$n` parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            bindings.append(PostgresBinding(value))
            sql += "$\(bindings.count)"
        }

        /// An optional value: NULL when nil.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            bindings.append(value.map { PostgresBinding($0) } ?? PostgresBinding.null(Value.postgresType))
            sql += "$\(bindings.count)"
        }

        /// A table or column name, quoted as an identifier ("a""b"), so it cannot break out.
        public mutating func appendInterpolation(identifier: String) {
            sql += PostgresQuery.quoteIdentifier(identifier)
        }

        /// Raw SQL text pasted as is. Never pass a value that came from outside.
        public mutating func appendInterpolation(unsafeSQL text: String) {
            sql += text
        }
    }

    /// Quotes `name` as a SQL identifier: wrapped in double quotes, inner quotes doubled.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
