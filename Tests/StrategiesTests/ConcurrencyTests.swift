import Testing

@testable import Strategies

/// One strategy instance shared by concurrent tasks loses no update and serves throughout.
@Suite struct ConcurrencyTests {
    @Test func concurrentObservesAreAllCounted() async throws {
        let popularity = try StrategyRegistry.make(name: "popularity")
        let catalogue = ItemCatalogue(ids: ["a", "b"])
        // b starts with 3 clicks, a with 1.
        let history = ["b", "b", "b", "a"].enumerated().map { Interaction(unit: "u\($0.offset)", item: $0.element, time: Double($0.offset)) }
        try popularity.fit(history, catalogue: catalogue)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for step in 0..<50 {
                        popularity.observe(Interaction(unit: "t\(task)", item: "a", time: Double(100 + step)))
                        _ = popularity.recommend(RecommendationRequest(unit: "t\(task)", k: 2))
                    }
                }
            }
        }
        // a: 1 + 8·50 = 401 clicks of weight 1; b: 3.
        let ranked = popularity.recommend(RecommendationRequest(unit: "x", k: 2))
        #expect(ranked == [ScoredItem(item: "a", score: 401), ScoredItem(item: "b", score: 3)])
        #expect(popularity.dataWindow?.count == 4 + 400)
    }
}
