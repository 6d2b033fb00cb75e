import Foundation
import PostgresClient

/// Where a command's database comes from, in the documented order: `--database-url`,
/// then DATABASE_URL, then the standard PG* environment (with the service file and
/// .pgpass read by libpq, as psql does), then the local cluster of `abctl db`.
public struct DatabaseTarget: Sendable, Equatable {
    /// Which source won.
    public enum Source: String, Sendable, Equatable {
        case flag = "--database-url"
        case databaseURL = "DATABASE_URL"
        case pgEnvironment = "PG* environment"
        case localCluster = "local cluster"
    }

    /// What libpq is given: a URL, a conninfo string, or "" to read the environment.
    public var conninfo: String
    public var source: Source

    /// One line for `--verbose`, with any password masked.
    public var summary: String {
        let shown = conninfo.isEmpty ? "(libpq reads PG* variables, the service file and .pgpass)" : ConnectionSettings.redacted(conninfo)
        return "database from \(source.rawValue): \(shown)"
    }
}

/// Picks the database for a command.
public enum DatabaseLocator {
    /// The PG* variables whose presence means "use the environment, as psql would".
    public static let environmentKeys = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"]

    /// The first configured source, or nil when only the local cluster is left.
    public static func configuredTarget(flag: String?, environment: [String: String]) -> DatabaseTarget? {
        if let flag, !flag.isEmpty { return DatabaseTarget(conninfo: flag, source: .flag) }
        if let url = environment["DATABASE_URL"], !url.isEmpty { return DatabaseTarget(conninfo: url, source: .databaseURL) }
        if environmentKeys.contains(where: { !(environment[$0] ?? "").isEmpty }) {
            return DatabaseTarget(conninfo: "", source: .pgEnvironment)
        }
        return nil
    }

    /// The database to use; falls back to the local cluster, starting it if needed.
    public static func resolve(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseTarget {
        if let target = configuredTarget(flag: flag, environment: environment) { return target }
        let cluster = try LocalCluster(environment: environment)
        let url = try cluster.start()
        return DatabaseTarget(conninfo: url, source: .localCluster)
    }
}
