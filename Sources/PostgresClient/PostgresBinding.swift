/// One bind parameter, already in PostgreSQL's text format, with its type. Its
/// description never shows the value.
public struct PostgresBinding: Sendable, CustomStringConvertible {
    /// The parameter's type as sent to the server.
    public var type: PostgresDataType
    /// The value in text format, or nil for NULL; an encoding failure is kept and thrown
    /// when the statement is sent, so building a query never throws.
    var text: Result<String?, PostgresError>

    /// A parameter made from a Swift value.
    public init(_ value: some PostgresEncodable) {
        type = Swift.type(of: value).postgresType
        do {
            var buffer = ""
            try value.encode(into: &buffer)
            text = .success(buffer)
        } catch let error as PostgresError {
            text = .failure(error)
        } catch {
            text = .failure(PostgresError(kind: .encoding, message: "A parameter could not be encoded: \(error)"))
        }
    }

    /// A NULL parameter of the given type.
    public static func null(_ type: PostgresDataType) -> PostgresBinding {
        PostgresBinding(type: type, text: .success(nil))
    }

    private init(type: PostgresDataType, text: Result<String?, PostgresError>) {
        self.type = type
        self.text = text
    }

    public var description: String { "<\(type) parameter>" }
}
