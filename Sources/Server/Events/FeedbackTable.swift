import Foundation
import PostgresClient

/// Writes feedback events in one transaction: COPY into a session-local staging table,
/// then `INSERT … ON CONFLICT DO NOTHING` into `feedback`, so retries and replays of an
/// event (same event id and time) are stored once. Returns how many rows were new.
enum FeedbackTable {
    static func insert(_ events: [FeedbackEvent], on db: PostgresConnection) throws -> Int {
        try insert(batches: [events], on: db)[0]
    }

    /// Stores several batches in one transaction and returns, per batch, how many of its
    /// events were new. An event carried by two batches of the group is new for the first
    /// one only (as if the batches had been committed one after the other, in order).
    static func insert(batches: [[FeedbackEvent]], on db: PostgresConnection) throws -> [Int] {
        guard batches.contains(where: { !$0.isEmpty }) else { return batches.map { _ in 0 } }
        return try db.transaction { db in
            try db.executeScript(
                """
                SET LOCAL client_min_messages TO warning;
                CREATE TEMP TABLE IF NOT EXISTS feedback_group_staging (
                    batch integer, seq integer, event_id text, request_id uuid, unit_id text, item_id text,
                    event_type text, value double precision, created_at timestamptz
                ) ON COMMIT DELETE ROWS
                """
            )
            let statement =
                "COPY feedback_group_staging (batch, seq, event_id, request_id, unit_id, item_id, event_type, value, created_at) FROM STDIN"
            try db.copyIn(PostgresQuery(unsafeSQL: statement)) { writer in
                var seq = 0
                for (batch, events) in batches.enumerated() {
                    for event in events {
                        try writer.appendRow { row in
                            row.append(batch)
                            row.append(seq)
                            try row.append(event.eventID)
                            row.append(event.requestID)
                            try row.append(event.unitID)
                            try row.append(event.itemID)
                            try row.append(event.type.rawValue)
                            row.append(event.value)
                            row.append(event.timestamp)
                        }
                        seq += 1
                    }
                }
                return false
            }
            // In key order, so concurrent transactions take the key's index entries in one order
            // and never deadlock (PostgreSQL would notice only after deadlock_timeout, 1 s);
            // of copies of one event, the first batch's is stored.
            let insert = """
                INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
                SELECT DISTINCT ON (event_id, created_at) event_id, request_id, unit_id, item_id, event_type, value, created_at
                FROM feedback_group_staging ORDER BY event_id, created_at, seq
                ON CONFLICT DO NOTHING
                """
            guard batches.count > 1 else { return [try db.execute(PostgresQuery(unsafeSQL: insert))] }
            // Each new row is credited to the batch of its first copy in the group.
            let rows = try db.query(
                PostgresQuery(
                    unsafeSQL: """
                        WITH new AS (\(insert) RETURNING event_id, created_at),
                        first AS (
                            SELECT DISTINCT ON (event_id, created_at) event_id, created_at, batch
                            FROM feedback_group_staging ORDER BY event_id, created_at, seq
                        )
                        SELECT first.batch, count(*) FROM new JOIN first USING (event_id, created_at) GROUP BY first.batch
                        """
                )
            )
            var counts = batches.map { _ in 0 }
            for row in rows {
                let (batch, count) = try row.decode((Int, Int).self)
                counts[batch] = count
            }
            return counts
        }
    }
}
