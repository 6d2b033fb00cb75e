import Foundation
import PostgresClient

/// The real PostgreSQL server the tests use, and throwaway databases on it. `make test`
/// starts the local cluster and exports ABCTL_TEST_DATABASE_URL (or DATABASE_URL).
public enum TestDatabase {
    /// The URL of the server under test; tests fail with a clear message when none is set.
    public static func serverURL() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["ABCTL_TEST_DATABASE_URL"] ?? environment["DATABASE_URL"], !url.isEmpty else {
            throw TestDatabaseError.notConfigured
        }
        return url
    }

    /// Creates an empty database, runs `body` with its conninfo, and drops it afterwards.
    @discardableResult
    public static func withFreshDatabase<T>(_ body: (String) throws -> T) throws -> T {
        let server = try serverURL()
        let name = "abctl_test_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let admin = try PostgresConnection(conninfo: server)
        try admin.execute("CREATE DATABASE \(identifier: name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
        guard let conninfo = ConnectionSettings.replacingDatabase(in: server, with: name) else {
            throw TestDatabaseError.unparsable
        }
        return try body(conninfo)
    }

    /// Creates an empty database and gives a connection to it.
    @discardableResult
    public static func withFreshConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withFreshDatabase { conninfo in try body(try PostgresConnection(conninfo: conninfo)) }
    }

    /// The repository's root folder (for sql/ and the built abctl binary).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}

/// Why the test database is unusable.
public enum TestDatabaseError: Error, CustomStringConvertible {
    case notConfigured
    case unparsable

    public var description: String {
        switch self {
        case .notConfigured: "No test database: run `make test`, or set ABCTL_TEST_DATABASE_URL to a server where you may create databases"
        case .unparsable: "ABCTL_TEST_DATABASE_URL could not be parsed by libpq"
        }
    }
}
