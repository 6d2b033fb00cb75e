import Testing

@testable import Strategies

/// Hybrids: fallback fills cold units from the next component; blend ranks by weighted scores.
@Suite struct HybridTests {
    static let data = PlantedData.clusters(seed: 13, users: 120, items: 80, perUser: 10)

    @Test func fallbackServesColdUnitsFromPopularityAndWarmUnitsFromKNNFirst() throws {
        let hybrid = try StrategyRegistry.make(name: "hybrid", parameters: ["mode": "fallback", "components": "item_knn,popularity"])
        let knn = try StrategyRegistry.make(name: "item_knn")
        let popularity = try StrategyRegistry.make(name: "popularity")
        for strategy in [hybrid, knn, popularity] { try strategy.fit(Self.data.interactions, catalogue: Self.data.catalogue) }

        let cold = RecommendationRequest(unit: "stranger", k: 10)
        #expect(knn.recommend(cold).isEmpty)
        #expect(hybrid.recommend(cold) == popularity.recommend(cold))

        let warm = RecommendationRequest(unit: "user1", k: 10)
        let fromKNN = knn.recommend(warm)
        let blended = hybrid.recommend(warm)
        #expect(blended.count == 10)
        #expect(Array(blended.prefix(fromKNN.count)) == fromKNN)
        #expect(Set(blended.map(\.item)).count == blended.count, "no item twice")
    }

    /// Min-max blend of two identical components with weights 3 and 1 ranks exactly like one of
    /// them, with the best item at 3·1 + 1·1 = 4.
    @Test func blendOfIdenticalComponentsKeepsTheirOrder() throws {
        let hybrid = try StrategyRegistry.make(
            name: "hybrid",
            parameters: [
                "components": .strategies([
                    StrategyComponent(strategy: "popularity", weight: 3), StrategyComponent(strategy: "popularity", weight: 1),
                ])
            ]
        )
        let popularity = try StrategyRegistry.make(name: "popularity")
        for strategy in [hybrid, popularity] { try strategy.fit(Self.data.interactions, catalogue: Self.data.catalogue) }
        let request = RecommendationRequest(unit: "anyone", k: 5)
        #expect(hybrid.recommend(request).map(\.item) == popularity.recommend(request).map(\.item))
        #expect(hybrid.recommend(request).first?.score == 4)
    }
}
