import Foundation
import PostgresClient

/// Writes impressions: a plain COPY for fresh ones, and, for a replay of the impression
/// spool, COPY into a staging table then `INSERT … ON CONFLICT DO NOTHING`, so an impression
/// that reached PostgreSQL before its batch was spooled (a connection lost during the
/// commit) is stored once. The key is `(request_id, created_at)`, both fixed at decision time.
enum ImpressionTable {
    static let columns =
        "request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, context, reason, created_at, teams, features, model_version"

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

    /// Binary COPY: PostgreSQL stores the uuid, timestamp and arrays without parsing text,
    /// which halves its CPU per impression (docs/benchmarks.md). Each field is written as its
    /// column's type in sql/0002_event_log.sql, 0007 (teams) and 0016 (features, model_version).
    private static func copy(_ batch: ArraySlice<Impression>, into table: String, on db: PostgresConnection) throws -> Int {
        // `table` is one of the two names above, never input.
        try db.copyInBinary(PostgresQuery(unsafeSQL: "COPY \(table) (\(columns)) FROM STDIN (FORMAT binary)")) { writer in
            for impression in batch {
                try writer.appendRow { row in
                    row.append(uuid: impression.requestID)
                    try row.append(text: impression.experiment)
                    try row.append(int4: impression.experimentVersion)
                    try row.append(text: impression.arm)
                    try row.append(text: impression.unitID)
                    try row.append(textArray: impression.itemIDs)
                    row.append(float8Array: impression.scores)
                    row.append(float8: impression.propensity)
                    row.append(int8: impression.allocationVersion)
                    try row.append(jsonb: impression.contextJSON)
                    if let reason = impression.reason { try row.append(text: reason) } else { row.appendNull() }
                    row.append(timestamptz: impression.createdAt)
                    if let teams = impression.teams { try row.append(textArray: teams) } else { row.appendNull() }
                    if let features = impression.features { row.append(float8Array: features) } else { row.appendNull() }
                    if let version = impression.modelVersion { row.append(int8: version) } else { row.appendNull() }
                }
            }
            return false
        }
    }
}
