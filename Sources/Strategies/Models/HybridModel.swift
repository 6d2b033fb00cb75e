import Foundation

/// Combines component strategies: `blend` sums their normalised scores by weight (min-max to
/// 0…1, or by rank), `fallback` takes the first component's list and fills it from the next
/// ones in order (e.g. item_knn, then popularity for cold units). Fit, observe and save
/// reach every component.
struct HybridModel: StrategyModel {
    static let strategyDescription = StrategyDescription(
        name: "hybrid",
        summary: "Blend of strategies by weight, or fallback in order.",
        parameters: [
            ParameterDescription(
                name: "mode",
                kind: .choice(["blend", "fallback"]),
                defaultValue: "blend",
                summary: "Blend scores or fall back in order."
            ),
            ParameterDescription(
                name: "components",
                kind: .strategies,
                defaultValue: nil,
                summary: "The strategies combined, each with parameters and a weight."
            ),
            ParameterDescription(
                name: "normalization",
                kind: .choice(["min_max", "rank"]),
                defaultValue: "min_max",
                summary: "How blend puts component scores on one scale."
            ),
            ParameterDescription(
                name: "depth",
                kind: .integer(minimum: 1, maximum: 10_000),
                defaultValue: "5",
                summary: "Blend asks each component for depth·K candidates."
            ),
        ]
    )

    let blends: Bool
    let rankNormalised: Bool
    let depth: Int
    let weights: [Double]
    let components: [any RecommendationStrategy]

    init(parameters: ResolvedParameters) throws(StrategyError) {
        blends = parameters.text("mode") == "blend"
        rankNormalised = parameters.text("normalization") == "rank"
        depth = parameters.integer("depth")
        let specified = parameters.components("components")
        weights = specified.map(\.weight)
        var built: [any RecommendationStrategy] = []
        for component in specified {
            guard component.strategy != Self.strategyDescription.name else {
                throw .invalidParameter(
                    strategy: "hybrid",
                    parameter: "components",
                    value: component.strategy,
                    expected: "strategies other than hybrid"
                )
            }
            do {
                built.append(try StrategyRegistry.make(name: component.strategy, parameters: component.parameters))
            } catch .unknownStrategy(let name, let known) {
                throw .invalidParameter(
                    strategy: "hybrid",
                    parameter: "components",
                    value: name,
                    expected: "made of \(known.joined(separator: ", "))"
                )
            }
        }
        components = built
    }

    mutating func fit(_ data: TrainingData) throws(StrategyError) {
        for component in components { try component.fit(data.interactions, catalogue: data.catalogue) }
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        blends ? blend(request) : fallBack(request)
    }

    mutating func observe(_ interaction: Interaction) {
        for component in components { component.observe(interaction) }
    }

    private func fallBack(_ request: RecommendationRequest) -> [ScoredItem] {
        var result: [ScoredItem] = []
        var excluded = request.excludedItems
        for component in components where result.count < request.k {
            var remaining = request
            remaining.k = request.k - result.count
            remaining.excludedItems = excluded
            for item in component.recommend(remaining) where excluded.insert(item.item).inserted { result.append(item) }
        }
        return result
    }

    private func blend(_ request: RecommendationRequest) -> [ScoredItem] {
        var deeper = request
        deeper.k = request.k * depth
        var totals: [String: Double] = [:]
        for (component, weight) in zip(components, weights) where weight > 0 {
            let list = component.recommend(deeper)
            guard let top = list.first?.score, let bottom = list.last?.score else { continue }
            for (rank, item) in list.enumerated() {
                let normalised =
                    rankNormalised
                    ? 1 - Double(rank) / Double(deeper.k)
                    : (top > bottom ? (item.score - bottom) / (top - bottom) : 1)
                totals[item.item, default: 0] += weight * normalised
            }
        }
        let ordered = totals.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        return ordered.prefix(request.k).map { ScoredItem(item: $0.key, score: $0.value) }
    }
}

extension HybridModel: Codable {
    private enum CodingKeys: String, CodingKey { case blends, rankNormalised, depth, weights, components }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        blends = try container.decode(Bool.self, forKey: .blends)
        rankNormalised = try container.decode(Bool.self, forKey: .rankNormalised)
        depth = try container.decode(Int.self, forKey: .depth)
        weights = try container.decode([Double].self, forKey: .weights)
        let files = try container.decode([Data].self, forKey: .components)
        components = try files.map { try StrategyRegistry.load($0) }
        guard weights.count == components.count else {
            throw StrategyError.corruptModel(strategy: "hybrid", reason: "weights do not match components")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(blends, forKey: .blends)
        try container.encode(rankNormalised, forKey: .rankNormalised)
        try container.encode(depth, forKey: .depth)
        try container.encode(weights, forKey: .weights)
        try container.encode(try components.map { try $0.save(fittedAt: nil) }, forKey: .components)
    }
}
