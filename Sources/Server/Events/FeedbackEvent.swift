import Foundation

/// One checked feedback event, ready to store: what a unit did with an item it was shown.
/// `(eventID, timestamp)` is its key in PostgreSQL, so a retry of the same event is a duplicate.
public struct FeedbackEvent: Codable, Sendable, Equatable {
    public var eventID: String
    public var requestID: UUID
    public var unitID: String
    public var itemID: String
    public var type: FeedbackEventType
    public var value: Double
    public var timestamp: Date

    public init(eventID: String, requestID: UUID, unitID: String, itemID: String, type: FeedbackEventType, value: Double, timestamp: Date) {
        self.eventID = eventID
        self.requestID = requestID
        self.unitID = unitID
        self.itemID = itemID
        self.type = type
        self.value = value
        self.timestamp = timestamp
    }
}

/// The kinds of feedback the service accepts.
public enum FeedbackEventType: String, Codable, Sendable, CaseIterable {
    case view
    case click
    case addToCart = "add_to_cart"
    case purchase
}
