import Foundation

/// The kinds of behaviour the simulator produces, spelled as `abctl import` expects them.
public enum SimulatedEventType: String, Sendable, CaseIterable {
    case view
    case click
    case addToCart = "add_to_cart"
    case purchase
}

/// One historical interaction, as a row of interactions.csv.
public struct Interaction: Sendable, Equatable {
    /// The user's unit id.
    public var unitID: String
    /// The item's id.
    public var itemID: String
    /// What happened.
    public var eventType: SimulatedEventType
    /// 1 for views, clicks and carts; the price for a purchase.
    public var value: Double
    /// When it happened, in whole seconds.
    public var occurredAt: Date
    /// The session it belongs to.
    public var sessionID: String
}
