import Foundation

@testable import Strategies

/// Leave-last-out evaluation: each unit's latest interaction is held out; the strategy is
/// fitted on the rest and asked for 10 items excluding the unit's training items.
struct LeaveLastOut {
    var training: [Interaction]
    /// Unit → (held-out item, training items).
    var heldOut: [(unit: String, item: String, seen: Set<String>)]

    init(_ interactions: [Interaction]) {
        var latest: [String: Interaction] = [:]
        for interaction in interactions where interaction.time >= latest[interaction.unit]?.time ?? -.infinity {
            latest[interaction.unit] = interaction
        }
        training = interactions.filter { latest[$0.unit] != $0 }
        var seen: [String: Set<String>] = [:]
        for interaction in training { seen[interaction.unit, default: []].insert(interaction.item) }
        heldOut = latest.values.sorted { $0.unit < $1.unit }.map { ($0.unit, $0.item, seen[$0.unit] ?? []) }
    }

    /// Mean NDCG@10 and hit rate@10 over held-out units. With one relevant item at rank r
    /// (1-based), DCG = 1/log2(r + 1) and the ideal DCG is 1/log2(2) = 1 (DESIGN.md).
    func evaluate(_ strategy: any RecommendationStrategy, k: Int = 10) -> (ndcg: Double, hitRate: Double) {
        var ndcg = 0.0
        var hits = 0.0
        for case let (unit, item, seen) in heldOut {
            let ranked = strategy.recommend(RecommendationRequest(unit: unit, excludedItems: seen, k: k)).map(\.item)
            if let position = ranked.firstIndex(of: item) {
                ndcg += 1 / log2(Double(position) + 2)
                hits += 1
            }
        }
        let count = Double(max(1, heldOut.count))
        return (ndcg / count, hits / count)
    }

    /// Fits a fresh strategy on the training part and evaluates it.
    func score(_ name: String, _ parameters: [String: ParameterValue] = [:], catalogue: ItemCatalogue) throws -> Double {
        let strategy = try StrategyRegistry.make(name: name, parameters: parameters)
        try strategy.fit(training, catalogue: catalogue)
        return evaluate(strategy).ndcg
    }
}
