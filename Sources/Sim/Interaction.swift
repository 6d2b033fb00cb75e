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

/// The true expected outcome of showing a ranked list, for tests and demos to know the best arm.
public struct ExpectedReward: Sendable, Equatable {
    /// Σ over positions of P(examined) × P(click).
    public var expectedClicks: Double
    /// P(at least one purchase) = 1 − Π (1 − P(examined) × P(click) × P(cart) × P(purchase)).
    public var purchaseProbability: Double
    /// Expected purchase value: Σ P(purchase at position) × price.
    public var expectedRevenue: Double
}

/// Attributes of a request a targeting rule or contextual bandit can use.
public struct RequestContext: Sendable, Equatable {
    /// Country code (US, DE, GB, FR, JP).
    public var country: String
    /// mobile, desktop or tablet.
    public var device: String
    /// Whether the unit has history (a known user) or is new.
    public var isReturning: Bool

    /// A context with the given attributes.
    public init(country: String, device: String, isReturning: Bool) {
        self.country = country
        self.device = device
        self.isReturning = isReturning
    }

    /// The attributes as strings, the shape assignment targeting reads.
    public var attributes: [String: String] {
        ["country": country, "device": device, "visitor": isReturning ? "returning" : "new"]
    }
}

/// A unit arriving for a recommendation.
public struct SimulatedRequest: Sendable, Equatable {
    /// The unit: `u…` for a known user, `n…` for a new one.
    public var unitID: String
    /// A fresh session id for this visit.
    public var sessionID: String
    /// When the request arrives.
    public var time: Date
    /// Its context attributes.
    public var context: RequestContext
}
