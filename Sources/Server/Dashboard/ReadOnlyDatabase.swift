import PostgresClient

/// The dashboard's way into PostgreSQL: every read runs on a pooled connection inside
/// `BEGIN READ ONLY; SET LOCAL ROLE abctl_reader; … COMMIT`, so the page can neither write
/// nor read beyond what sql/0004_dashboards.sql grants that role, whatever the serving
/// user may do. The role ends with the transaction; the connection goes back to the pool
/// as it came.
struct ReadOnlyDatabase: Sendable {
    /// The read-only role created by sql/0004_dashboards.sql.
    static let role = "abctl_reader"

    let pool: PostgresConnectionPool

    /// Runs `body` as `abctl_reader` in a read-only transaction, rolled back on any error.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await pool.withConnection { db in
            try db.executeScript("BEGIN READ ONLY; SET LOCAL ROLE \(PostgresQuery.quoteIdentifier(Self.role))")
            do {
                let value = try body(db)
                try db.executeScript("COMMIT")
                return value
            } catch {
                if db.isHealthy {
                    try? db.executeScript("ROLLBACK")
                }
                throw error
            }
        }
    }
}
