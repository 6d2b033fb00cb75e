import Foundation

/// One event the simulated user sends back after seeing a ranked list.
public struct FeedbackEvent: Sendable, Equatable {
    /// The unit that saw the list.
    public var unitID: String
    /// The item acted on.
    public var itemID: String
    /// Its 1-based position in the list.
    public var position: Int
    /// Click, add to cart or purchase.
    public var eventType: SimulatedEventType
    /// 1 for clicks and carts; the price for a purchase.
    public var value: Double
    /// When the event happens: the impression time plus `delay`.
    public var occurredAt: Date
    /// Seconds after the impression.
    public var delay: TimeInterval
}
