/// The true expected outcome of showing a ranked list, for tests and demos to know the best arm.
public struct ExpectedReward: Sendable, Equatable {
    /// Σ over positions of P(examined) × P(click).
    public var expectedClicks: Double
    /// P(at least one purchase) = 1 − Π (1 − P(examined) × P(click) × P(cart) × P(purchase)).
    public var purchaseProbability: Double
    /// Expected purchase value: Σ P(purchase at position) × price.
    public var expectedRevenue: Double
}
