import Foundation

/// Everything that can go wrong talking to PostgreSQL. Descriptions are sentences a user
/// can act on; they carry the server's diagnostics and the statement text (with `$n`
/// placeholders), and never a password or a bind value.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; a struct with static members so the set can grow.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// Could not open a connection (server down, bad password, unknown database, …).
        public static let connection = Kind(name: "connection")
        /// The server rejected a statement; see `sqlState` and the diagnostics.
        public static let server = Kind(name: "server")
        /// The connection broke while a statement ran.
        public static let connectionLost = Kind(name: "connection lost")
        /// A Swift value could not be sent as a parameter (a NUL byte in a string, say).
        public static let encoding = Kind(name: "encoding")
        /// A column could not be read as the Swift type asked for.
        public static let decoding = Kind(name: "decoding")
        /// COPY, LISTEN or another protocol step failed on the client side.
        public static let client = Kind(name: "client")
        public var description: String { name }
    }

    public var kind: Kind
    /// The main message, already free of secrets.
    public var message: String
    /// The five-character SQLSTATE for server errors (e.g. 23505 for a unique violation).
    public var sqlState: String?
    public var detail: String?
    public var hint: String?
    /// The statement text, as sent (placeholders only; bind values are never kept).
    public var statement: String?
    /// What the user can do about it, when we know.
    public var advice: String?

    public init(
        kind: Kind,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        statement: String? = nil,
        advice: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.statement = statement
        self.advice = advice
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += ". Detail: \(detail)" }
        if let hint { text += ". Hint: \(hint)" }
        if let advice { text += ". \(advice)" }
        if let statement { text += ". Statement: \(Self.abbreviate(statement))" }
        return text
    }

    /// A unique, foreign-key or check constraint was violated (SQLSTATE class 23).
    public var isIntegrityViolation: Bool { sqlState?.hasPrefix("23") ?? false }

    static func abbreviate(_ statement: String) -> String {
        let flat = statement.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return flat.count > 300 ? String(flat.prefix(300)) + "…" : flat
    }
}
