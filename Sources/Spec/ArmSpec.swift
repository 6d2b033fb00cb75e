/// One arm: a key, the strategy that ranks for it with its parameters, and its initial weight.
public struct ArmSpec: Codable, Sendable, Equatable {
    /// Unique within the experiment; logged with every impression.
    public var key: String
    /// A strategy name from the catalogue.
    public var strategy: String
    public var params: [String: ParameterValue]
    public var isControl: Bool
    /// The initial (for fixed allocation, the permanent) share of traffic, 0…1.
    public var weight: Double

    public init(key: String, strategy: String, params: [String: ParameterValue] = [:], isControl: Bool = false, weight: Double) {
        self.key = key
        self.strategy = strategy
        self.params = params
        self.isControl = isControl
        self.weight = weight
    }

    enum CodingKeys: String, CodingKey {
        case key, strategy, params, weight
        case isControl = "control"
    }
}
