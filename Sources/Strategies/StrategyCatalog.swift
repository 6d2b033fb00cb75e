/// The strategies a spec may name, with their parameters. The registry of fitted
/// implementations builds on this list; spec validation reads it.
public struct StrategyCatalog: Sendable {
    public var descriptions: [StrategyDescription]

    public init(descriptions: [StrategyDescription]) {
        self.descriptions = descriptions
    }

    /// The description of the strategy called `name`, if there is one.
    public func description(named name: String) -> StrategyDescription? {
        descriptions.first { $0.name == name }
    }

    /// All strategy names, in catalogue order.
    public var names: [String] { descriptions.map(\.name) }
}

extension StrategyCatalog {
    /// The strategies abctl ships. PROVISIONAL: the strategies work replaces this list with
    /// the one built from the registry of implementations.
    public static let standard = StrategyCatalog(descriptions: [
        StrategyDescription(
            name: "popularity",
            summary: "Most interacted items overall, or trending with a half-life.",
            parameters: [
                ParameterDescription(name: "half_life_hours", kind: .real(minimum: 0, maximum: nil), defaultValue: "0", summary: "0 for all-time counts; otherwise the decay half-life in hours.")
            ]
        ),
        StrategyDescription(
            name: "item_knn",
            summary: "Items co-occurring with the user's recent items (cosine).",
            parameters: [
                ParameterDescription(name: "neighbours", kind: .integer(minimum: 1, maximum: 10_000), defaultValue: "50", summary: "Neighbours kept per item."),
                ParameterDescription(name: "similarity", kind: .choice(["cosine", "asymmetric_cosine"]), defaultValue: "cosine", summary: "Similarity measure."),
                ParameterDescription(name: "alpha", kind: .real(minimum: 0, maximum: 1), defaultValue: "0.5", summary: "Asymmetry of asymmetric cosine."),
            ]
        ),
        StrategyDescription(
            name: "als",
            summary: "Implicit-feedback matrix factorisation (Hu, Koren and Volinsky).",
            parameters: [
                ParameterDescription(name: "factors", kind: .integer(minimum: 1, maximum: 1024), defaultValue: "64", summary: "Latent dimensions."),
                ParameterDescription(name: "regularization", kind: .real(minimum: 0, maximum: nil), defaultValue: "0.01", summary: "L2 penalty."),
                ParameterDescription(name: "alpha", kind: .real(minimum: 0, maximum: nil), defaultValue: "40", summary: "Confidence scale."),
                ParameterDescription(name: "iterations", kind: .integer(minimum: 1, maximum: 1000), defaultValue: "15", summary: "Alternating sweeps."),
            ]
        ),
        StrategyDescription(name: "markov", summary: "First-order item transitions for next-item recommendation.", parameters: []),
        StrategyDescription(
            name: "hybrid",
            summary: "Blend of strategies by weight, or fallback in order.",
            parameters: [
                ParameterDescription(name: "mode", kind: .choice(["blend", "fallback"]), defaultValue: "blend", summary: "Blend scores or fall back in order."),
                ParameterDescription(name: "components", kind: .strategies, defaultValue: nil, summary: "The strategies combined."),
            ]
        ),
    ])
}
