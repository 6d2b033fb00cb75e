import CLibPQ
import Foundation
import Logging

/// One open connection to PostgreSQL over libpq. Calls block the calling thread, so keep
/// them off Swift's cooperative pool (see `PostgresConnectionPool`). A connection is used
/// by one task at a time: it is not `Sendable`.
public final class PostgresConnection {
    let handle: OpaquePointer
    let logger: Logger

    /// Opens a connection from a URL (`postgresql://…`) or a conninfo string (`host=… dbname=…`).
    /// With an empty string libpq reads the PG* environment, the service file and .pgpass,
    /// exactly as psql does.
    public init(conninfo: String, logger: Logger = Logger(label: "abctl.postgres")) throws {
        self.logger = logger
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection (out of memory)")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let error = ConnectionFailure.describe(handle, conninfo: conninfo)
            PQfinish(handle)
            throw error
        }
        self.handle = handle
        // Fixed session settings the decoders rely on, whatever the server's defaults are.
        try executeScript("SET DateStyle TO ISO, YMD; SET bytea_output TO hex; SET client_encoding TO 'UTF8'")
    }

    deinit {
        PQfinish(handle)
    }

    /// Whether the connection is still usable (false after the server went away).
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server's version number, e.g. 150018 for 15.18.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Runs a statement and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        let rows = try send(query)
        return rows
    }

    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try send(query).affectedRows
    }

    /// Runs SQL text that may hold several statements (a migration file), with no parameters.
    public func executeScript(_ sql: String) throws {
        logger.trace("script", metadata: ["sql": .string(PostgresError.abbreviate(sql))])
        let result = PQexec(handle, sql)
        try check(result, statement: sql)
        PQclear(result)
    }

    private func send(_ query: PostgresQuery) throws -> PostgresRows {
        logger.trace("query", metadata: ["sql": .string(query.sql)])
        let bindings = query.bindings
        var texts: [String?] = []
        texts.reserveCapacity(bindings.count)
        for binding in bindings {
            switch binding.text {
            case .success(let text): texts.append(text)
            case .failure(var error):
                error.statement = query.sql
                throw error
            }
        }
        let types: [Oid] = bindings.map { Oid($0.type.oid) }
        let result = withCStrings(texts) { values in
            PQexecParams(handle, query.sql, Int32(bindings.count), types, values, nil, nil, 0)
        }
        try check(result, statement: query.sql)
        guard let result else { throw lostConnection(statement: query.sql) }
        return PostgresRows(result: result)
    }

    /// Throws the server's error carried by `result`, freeing it; leaves good results alone.
    func check(_ result: OpaquePointer?, statement: String?) throws {
        guard let result else { throw lostConnection(statement: statement) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT:
            return
        default:
            let error = serverError(result, statement: statement)
            PQclear(result)
            throw error
        }
    }

    func serverError(_ result: OpaquePointer, statement: String?) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let pointer = PQresultErrorField(result, Int32(ascii)) else { return nil }
            return String(cString: pointer)
        }
        guard let sqlState = field("C") else { return lostConnection(statement: statement) }
        return PostgresError(
            kind: .server,
            message: field("M") ?? "The server reported an error",
            sqlState: sqlState,
            detail: field("D"),
            hint: field("H"),
            statement: statement
        )
    }

    func lostConnection(statement: String?) -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(
            kind: .connectionLost,
            message: "The connection to PostgreSQL was lost" + (message.isEmpty ? "" : ": \(message)"),
            statement: statement,
            advice: "Check that the server is running, then retry"
        )
    }
}

/// Calls `body` with NUL-terminated copies of `strings` (nil stays a null pointer).
func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer {
        for copy in copies { free(copy) }
    }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}
