import Foundation
import PostgresClient

/// Writes feedback events (`StagedInsert`): a retry or replay of an event (same event id
/// and time) is stored once.
public enum FeedbackTable: DurableEventTable {
    static let staged = StagedInsert<FeedbackEvent>(
        table: "feedback",
        columns: [
            ("event_id", "text"), ("request_id", "uuid"), ("unit_id", "text"), ("item_id", "text"),
            ("event_type", "text"), ("value", "double precision"), ("created_at", "timestamptz"),
        ],
        key: ["event_id", "created_at"]
    ) { event, row in
        try row.append(event.eventID)
        row.append(event.requestID)
        try row.append(event.unitID)
        try row.append(event.itemID)
        try row.append(event.type.rawValue)
        row.append(event.value)
        row.append(event.timestamp)
    }

    public static func insert(batches: [[FeedbackEvent]], on db: PostgresConnection) throws -> [Int] {
        try staged.insert(batches: batches, on: db)
    }
}
