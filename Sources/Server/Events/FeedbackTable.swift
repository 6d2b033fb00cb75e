import Foundation
import PostgresClient

/// Writes feedback events in one transaction: COPY into a session-local staging table,
/// then `INSERT … ON CONFLICT DO NOTHING` into `feedback`, so retries and replays of an
/// event (same event id and time) are stored once. Returns how many rows were new.
enum FeedbackTable {
    static func insert(_ events: [FeedbackEvent], on db: PostgresConnection) throws -> Int {
        guard !events.isEmpty else { return 0 }
        return try db.transaction { db in
            try db.executeScript(
                """
                SET LOCAL client_min_messages TO warning;
                CREATE TEMP TABLE IF NOT EXISTS feedback_staging (
                    event_id text, request_id uuid, unit_id text, item_id text,
                    event_type text, value double precision, created_at timestamptz
                ) ON COMMIT DELETE ROWS
                """
            )
            try db.copyIn("COPY feedback_staging (event_id, request_id, unit_id, item_id, event_type, value, created_at) FROM STDIN") { writer in
                for event in events {
                    try writer.appendRow { row in
                        try row.append(event.eventID)
                        row.append(event.requestID)
                        try row.append(event.unitID)
                        try row.append(event.itemID)
                        try row.append(event.type.rawValue)
                        row.append(event.value)
                        row.append(event.timestamp)
                    }
                }
                return false
            }
            return try db.execute(
                """
                INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
                SELECT event_id, request_id, unit_id, item_id, event_type, value, created_at FROM feedback_staging
                ON CONFLICT DO NOTHING
                """
            )
        }
    }
}
