import Foundation
import PostgresClient

/// Applies migrations in order, each in its own transaction, and records them in
/// schema_migrations with a checksum. Re-running is a no-op; a file edited after it was
/// applied is refused, because the database no longer matches it.
public struct Migrator {
    /// Where one migration stands.
    public struct Status: Sendable {
        public var migration: Migration
        public var appliedAt: Date?
    }

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Applies every pending migration; returns those it applied.
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [Migration] {
        try ensureHistoryTable(connection)
        // One migrator at a time, across processes.
        try connection.query("SELECT pg_advisory_lock(7283947)")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(7283947)") }
        let applied = try appliedChecksums(connection)
        var done: [Migration] = []
        for migration in migrations {
            let checksum = try checksum(of: migration, on: connection)
            if let recorded = applied[migration.version] {
                guard recorded == checksum else {
                    throw StorageError(
                        "sql/\(migration.fileName) was changed after it was applied (checksum \(recorded.prefix(12)) in the database, \(checksum.prefix(12)) on disk)",
                        advice: "Applied migrations are immutable: undo the edit and put the change in a new file numbered after the last one"
                    )
                }
                continue
            }
            do {
                try connection.transaction { connection in
                    try connection.executeScript(migration.sql)
                    try connection.execute(
                        """
                        INSERT INTO schema_migrations (version, name, checksum) \
                        VALUES (\(migration.version), \(migration.name), \(checksum))
                        """
                    )
                }
            } catch let error as PostgresError {
                throw StorageError("Migration sql/\(migration.fileName) failed and was rolled back: \(error)")
            }
            done.append(migration)
        }
        try refreshPartitions(connection)
        return done
    }

    /// Every migration with the time it was applied (nil when pending).
    public func status(_ connection: PostgresConnection) throws -> [Status] {
        try ensureHistoryTable(connection)
        var appliedAt: [Int: Date] = [:]
        for row in try connection.query("SELECT version, applied_at FROM schema_migrations") {
            let (version, date) = try row.decode((Int, Date).self)
            appliedAt[version] = date
        }
        return migrations.map { Status(migration: $0, appliedAt: appliedAt[$0.version]) }
    }

    /// Keeps daily partitions from yesterday to two weeks ahead (idempotent).
    public func refreshPartitions(_ connection: PostgresConnection) throws {
        let exists = try connection.query("SELECT to_regproc('abctl_ensure_partitions') IS NOT NULL AS present")
        guard let row = exists.first, try row.decode(Bool.self, at: 0) else { return }
        try connection.executeScript(
            """
            SELECT abctl_ensure_partitions('impressions', (now() AT TIME ZONE 'UTC')::date - 1, 16);
            SELECT abctl_ensure_partitions('feedback', (now() AT TIME ZONE 'UTC')::date - 1, 16);
            """
        )
        // outcome_events arrived with sql/0017.
        let outcomes = try connection.query("SELECT to_regclass('outcome_events') IS NOT NULL AS present")
        if let row = outcomes.first, try row.decode(Bool.self, at: 0) {
            try connection.executeScript("SELECT abctl_ensure_partitions('outcome_events', (now() AT TIME ZONE 'UTC')::date - 1, 16)")
        }
    }

    private func ensureHistoryTable(_ connection: PostgresConnection) throws {
        try connection.executeScript(
            """
            SET client_min_messages TO warning;
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            RESET client_min_messages;
            """
        )
    }

    private func appliedChecksums(_ connection: PostgresConnection) throws -> [Int: String] {
        var result: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM schema_migrations") {
            let (version, checksum) = try row.decode((Int, String).self)
            result[version] = checksum
        }
        return result
    }

    /// SHA-256 of the file's text, computed by PostgreSQL's sha256() (no crypto dependency).
    private func checksum(of migration: Migration, on connection: PostgresConnection) throws -> String {
        let rows = try connection.query("SELECT encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex')")
        return try rows[0].decode(String.self, at: 0)
    }
}
