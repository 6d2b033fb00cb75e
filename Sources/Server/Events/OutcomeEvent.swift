import Foundation

/// One checked outcome event, ready to store: something a unit did that answers no decision
/// (an order, a signup, a session start), which user-defined metrics count. `(eventID,
/// timestamp)` is its key in PostgreSQL, so a retry of the same event is a duplicate.
public struct OutcomeEvent: Codable, Sendable, Equatable {
    public var eventID: String
    public var unitID: String
    /// A name such as `order` or `session_start` (lower-case letters, digits, `_`).
    public var type: String
    /// The event's amount (an order's revenue), nil when it carries none.
    public var value: Double?
    public var timestamp: Date

    public init(eventID: String, unitID: String, type: String, value: Double?, timestamp: Date) {
        self.eventID = eventID
        self.unitID = unitID
        self.type = type
        self.value = value
        self.timestamp = timestamp
    }
}
