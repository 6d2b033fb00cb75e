/// A catalogue item with its observable fields and the latent truth behind them.
public struct SimulatedItem: Sendable, Equatable {
    /// The item id, `i1` … `iN`.
    public var id: String
    /// A short generated title (brand and cluster words).
    public var title: String
    /// A generated description whose words mostly come from the cluster's vocabulary.
    public var body: String
    /// The category name, one per cluster.
    public var category: String
    /// The brand name.
    public var brand: String
    /// The price, paid as the value of a purchase.
    public var price: Double
    /// `low` (under 20), `mid` (under 100) or `high`.
    public var priceBand: String
    /// The latent cluster index.
    public var cluster: Int
    /// The latent feature vector.
    public var features: [Double]
    /// The share of base popularity (Zipf weights normalised to sum to 1).
    public var popularity: Double
    /// Indices of the planted successors, most likely first.
    public var successors: [Int]
}
