/// A known user: latent tastes, activity and fixed context attributes.
public struct SimulatedUser: Sendable, Equatable {
    /// The unit id, `u1` … `uN`.
    public var id: String
    /// The mixture over clusters (sums to 1).
    public var clusterWeights: [Double]
    /// The latent taste vector: `tasteScale × Σ weight_k × centre_k`.
    public var taste: [Double]
    /// Mean sessions per day.
    public var sessionsPerDay: Double
    /// Country code.
    public var country: String
    /// Usual device.
    public var device: String
}
