import Foundation

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
