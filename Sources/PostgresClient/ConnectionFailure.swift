import CLibPQ
import Foundation

/// Turns libpq's connection failure text into one sentence that says what happened and
/// what to do, and never shows a password: libpq quotes the part of a connection string it
/// cannot parse (a whole URL with its password, say), so its text is shown with every quoted
/// part that may come from a secret hidden (`ConnectionSettings.scrubbing`).
enum ConnectionFailure {
    static func describe(_ handle: OpaquePointer, conninfo: String) -> PostgresError {
        let raw = ConnectionSettings.scrubbing(String(cString: PQerrorMessage(handle)), conninfo: conninfo)
        let host = PQhost(handle).map { String(cString: $0) } ?? "localhost"
        let port = PQport(handle).map { String(cString: $0) } ?? "5432"
        let user = PQuser(handle).map { String(cString: $0) } ?? "?"
        let database = PQdb(handle).map { String(cString: $0) } ?? "?"
        let place = host.hasPrefix("/") ? "the Unix socket in \(host) (port \(port))" : "\(host):\(port)"
        func error(_ message: String, _ advice: String) -> PostgresError {
            PostgresError(kind: .connection, message: message, detail: firstLine(of: raw), advice: advice)
        }
        if ConnectionSettings.parse(conninfo) == nil {
            return error(
                "The connection settings could not be parsed",
                "Use a postgresql:// URL, with @ : / ? # % in the user name or password written %40 %3A %2F %3F %23 %25, or key=value settings with a value holding spaces in single quotes"
            )
        }
        if host.contains("@") {
            // libpq ends the user info at the first '@': the rest of the password became the host.
            return PostgresError(
                kind: .connection,
                message: "The connection URL has an '@' in its user name or password",
                advice: "Write it as %40 in the URL (postgresql://user:p%40ss@host/db), or pass the password in PGPASSWORD or ~/.pgpass"
            )
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
        return error("Could not connect to PostgreSQL at \(place)", "See the detail above and check the connection settings")
    }

    private static func firstLine(of text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return line.trimmingCharacters(in: .whitespaces)
    }
}
