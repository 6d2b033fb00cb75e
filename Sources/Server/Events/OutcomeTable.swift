import Foundation
import PostgresClient

/// Writes outcome events into `outcome_events` (sql/0017) through `StagedInsert`: a retry
/// or replay of an event (same event id and time) is stored once.
public enum OutcomeTable: DurableEventTable {
    static let staged = StagedInsert<OutcomeEvent>(
        table: "outcome_events",
        columns: [
            ("event_id", "text"), ("unit_id", "text"), ("event_type", "text"), ("value", "double precision"),
            ("created_at", "timestamptz"),
        ],
        key: ["event_id", "created_at"]
    ) { event, row in
        try row.append(event.eventID)
        try row.append(event.unitID)
        try row.append(event.type)
        if let value = event.value { row.append(value) } else { row.appendNull() }
        row.append(event.timestamp)
    }

    public static func insert(batches: [[OutcomeEvent]], on db: PostgresConnection) throws -> [Int] {
        try staged.insert(batches: batches, on: db)
    }
}
