import CLibPQ
import Foundation

/// Turns libpq's connection failure text into one sentence that says what happened and
/// what to do. libpq's messages never contain the password; neither does ours.
enum ConnectionFailure {
    static func describe(_ handle: OpaquePointer) -> PostgresError {
        let raw = String(cString: PQerrorMessage(handle))
        let host = PQhost(handle).map { String(cString: $0) } ?? "localhost"
        let port = PQport(handle).map { String(cString: $0) } ?? "5432"
        let user = PQuser(handle).map { String(cString: $0) } ?? "?"
        let database = PQdb(handle).map { String(cString: $0) } ?? "?"
        let place = host.hasPrefix("/") ? "the Unix socket in \(host) (port \(port))" : "\(host):\(port)"
        func error(_ message: String, _ advice: String) -> PostgresError {
            PostgresError(kind: .connection, message: message, detail: firstLine(of: raw), advice: advice)
        }
        if raw.contains("password authentication failed") || raw.contains("no password supplied")
            || raw.contains("fe_sendauth: no password supplied")
        {
            return error(
                "PostgreSQL at \(place) rejected the password for user \"\(user)\"",
                "Check the password in --database-url, DATABASE_URL, PGPASSWORD or ~/.pgpass"
            )
        }
        if raw.contains("database \"") && raw.contains("does not exist") {
            return error(
                "The database \"\(database)\" does not exist on PostgreSQL at \(place)",
                "Create it (createdb \(database)) or name an existing database in the connection URL"
            )
        }
        if raw.contains("role \"") && raw.contains("does not exist") {
            return error(
                "PostgreSQL at \(place) has no user (role) \"\(user)\"",
                "Create the role or connect as an existing user"
            )
        }
        if raw.contains("Connection refused") || raw.contains("No such file or directory") || raw.contains("could not connect")
            || raw.contains("timeout expired")
        {
            return error(
                "No PostgreSQL server is accepting connections at \(place)",
                "Start the server (abctl db start runs a local one) or fix the host and port in the connection settings"
            )
        }
        if raw.contains("could not translate host name") {
            return error("The host name \"\(host)\" could not be resolved", "Fix the host in the connection settings")
        }
        if raw.contains("invalid connection option") || raw.contains("invalid URI") || raw.contains("missing \"=\"") {
            return error("The connection settings could not be parsed", "Use a postgresql:// URL or key=value conninfo")
        }
        return error("Could not connect to PostgreSQL at \(place)", "See the detail above and check the connection settings")
    }

    private static func firstLine(of text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return line.trimmingCharacters(in: .whitespaces)
    }
}
