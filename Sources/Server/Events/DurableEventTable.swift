import PostgresClient

/// A table that client events are written to on the durable path (group commit, spool,
/// replay): feedback on impressed items and outcome events keyed by unit. Its key makes a
/// retry or a replay of an event a duplicate, stored once.
public protocol DurableEventTable: Sendable {
    /// One checked event, as the spool holds it.
    associatedtype Event: Codable & Sendable

    /// Stores several batches in one transaction and returns, per batch, how many of its
    /// events were new; an event carried by two batches is new for the first one only.
    static func insert(batches: [[Event]], on db: PostgresConnection) throws -> [Int]
}

extension DurableEventTable {
    /// Stores one batch in one transaction and returns how many of its events were new.
    static func insert(_ events: [Event], on db: PostgresConnection) throws -> Int {
        try insert(batches: [events], on: db)[0]
    }
}
