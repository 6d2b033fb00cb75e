import Foundation
import PostgresClient

/// Writes impressions: a plain COPY for fresh ones, and, for a replay of the impression
/// spool, COPY into a staging table then `INSERT … ON CONFLICT DO NOTHING`, so an impression
/// that reached PostgreSQL before its batch was spooled (a connection lost during the
/// commit) is stored once. The key is `(request_id, created_at)`, both fixed at decision time.
enum ImpressionTable {
    static let columns =
        "request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, context, reason, created_at, teams"

    /// COPYs `batch` into `impressions`; returns the rows written.
    static func copy(_ batch: ArraySlice<Impression>, on db: PostgresConnection) throws -> Int {
        try copy(batch, into: "impressions", on: db)
    }

    /// Inserts the impressions of `batch` not stored yet, in one transaction; returns how many were new.
    static func insertMissing(_ batch: ArraySlice<Impression>, on db: PostgresConnection) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        return try db.transaction { db in
            try db.executeScript(
                """
                SET LOCAL client_min_messages TO warning;
                CREATE TEMP TABLE IF NOT EXISTS impressions_staging (LIKE impressions) ON COMMIT DELETE ROWS
                """
            )
            _ = try copy(batch, into: "impressions_staging", on: db)
            return try db.execute(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO impressions (\(columns)) SELECT \(columns) FROM impressions_staging ON CONFLICT DO NOTHING"
                )
            )
        }
    }

    private static func copy(_ batch: ArraySlice<Impression>, into table: String, on db: PostgresConnection) throws -> Int {
        // `table` is one of the two names above, never input.
        try db.copyIn(PostgresQuery(unsafeSQL: "COPY \(table) (\(columns)) FROM STDIN")) { writer in
            for impression in batch {
                try writer.appendRow { row in
                    row.append(impression.requestID)
                    try row.append(impression.experiment)
                    row.append(impression.experimentVersion)
                    try row.append(impression.arm)
                    try row.append(impression.unitID)
                    try row.append(impression.itemIDs)
                    row.append(impression.scores)
                    row.append(impression.propensity)
                    row.append(impression.allocationVersion)
                    try row.append(impression.contextJSON)
                    if let reason = impression.reason { try row.append(reason) } else { row.appendNull() }
                    row.append(impression.createdAt)
                    if let teams = impression.teams { try row.append(teams) } else { row.appendNull() }
                }
            }
            return false
        }
    }
}
