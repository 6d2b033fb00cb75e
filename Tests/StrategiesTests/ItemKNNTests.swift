import Testing

@testable import Strategies

/// Item-kNN similarities by hand, and the co-occurrence window.
@Suite struct ItemKNNTests {
    /// u1: a, b; u2: a, b; u3: a, c. So n_a = 3, n_b = 2, n_c = 1, c_ab = 2, c_ac = 1.
    static let interactions = [("u1", "a"), ("u1", "b"), ("u2", "a"), ("u2", "b"), ("u3", "a"), ("u3", "c")]
        .enumerated().map { Interaction(unit: $0.element.0, item: $0.element.1, time: Double($0.offset)) }

    @Test(arguments: [
        // cosine: 2/√(3·2) = 0.81650, 1/√(3·1) = 0.57735
        ("cosine", 0.5, 0.8164966, 0.5773503),
        // asymmetric, α = 0.2: 2/(3^0.2 · 2^0.8) = 0.92211, 1/(3^0.2 · 1^0.8) = 0.80274
        ("asymmetric_cosine", 0.2, 0.9221079, 0.8027416),
    ])
    func similaritiesMatchHandCalculation(similarity: String, alpha: Double, toB: Double, toC: Double) throws {
        let knn = try StrategyRegistry.make(name: "item_knn", parameters: ["similarity": .text(similarity), "alpha": .real(alpha)])
        try knn.fit(Self.interactions, catalogue: ItemCatalogue(ids: ["a", "b", "c"]))
        let ranked = knn.recommend(RecommendationRequest(unit: "new", recentItems: ["a"], excludedItems: ["a"], k: 5))
        #expect(ranked.map(\.item) == ["b", "c"])
        #expect(abs(ranked[0].score - toB) < 1e-5)
        #expect(abs(ranked[1].score - toC) < 1e-5)
    }

    /// With window 1 only neighbouring distinct items co-occur: in x, y, z the pair (x, z) does not.
    @Test func windowLimitsCooccurrence() throws {
        let sequence = ["x", "y", "z"].enumerated().map { Interaction(unit: "u", item: $0.element, time: Double($0.offset)) }
        let catalogue = ItemCatalogue(ids: ["x", "y", "z"])
        let request = RecommendationRequest(unit: "new", recentItems: ["x"], excludedItems: ["x"], k: 5)
        let whole = try StrategyRegistry.make(name: "item_knn")
        let windowed = try StrategyRegistry.make(name: "item_knn", parameters: ["window": 1])
        for strategy in [whole, windowed] { try strategy.fit(sequence, catalogue: catalogue) }
        #expect(Set(whole.recommend(request).map(\.item)) == ["y", "z"])
        #expect(windowed.recommend(request).map(\.item) == ["y"])
    }
}
