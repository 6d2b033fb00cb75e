import Testing

@testable import Strategies

/// EASE scores a unit from x_u, the binary vector of every item it interacted with (Steck 2019),
/// however long its history: s_j = Σ_{i ∈ items(u)} B[i][j]. A window of the most recent items
/// (there was one, of 200) drops the older items' rows of B from the sum.
struct EASEWholeHistoryTests {
    @Test func aLongHistoryIsScoredFromEveryItem() throws {
        let itemCount = 300
        var generator = SeededGenerator(seed: 19)
        var interactions: [Interaction] = []
        // 200 background users with 12 random items each make B dense.
        for user in 0..<200 {
            for _ in 0..<12 {
                let item = Int(generator.next() % UInt64(itemCount))
                interactions.append(Interaction(unit: "b\(user)", item: "i\(item)", time: Double(user)))
            }
        }
        // The long unit touched items 0…259 in order, item 0 twice more at the end: 262 events,
        // 260 distinct items, more than the old window.
        let longItems = Array(0..<260) + [0, 0]
        for (step, item) in longItems.enumerated() {
            interactions.append(Interaction(unit: "long", item: "i\(item)", time: 1_000 + Double(step)))
        }
        let catalogue = ItemCatalogue(ids: (0..<itemCount).map { "i\($0)" })
        var model = EASEModel(parameters: try ResolvedParameters(["lambda": 10], for: EASEModel.strategyDescription))
        let training = TrainingData(interactions: interactions, catalogue: catalogue)
        try model.fit(training)
        let n = training.space.count
        let touched = Set(longItems.compactMap { training.space.index(of: "i\($0)") }.map(Int.init))
        #expect(touched.count == 260)

        let excluded = Set((0..<260).map { "i\($0)" })
        let top = model.recommend(RecommendationRequest(unit: "long", excludedItems: excluded, k: 40))
        #expect(top.count == 40)
        for scored in top {
            let j = Int(try #require(training.space.index(of: scored.item)))
            let expected = touched.reduce(0.0) { $0 + Double(model.weights[$1 * n + j]) }
            #expect(abs(scored.score - expected) < 1e-4 * max(1, abs(expected)), "\(scored.item): \(scored.score) against \(expected)")
        }
        // Observing more events for the unit keeps one entry per item.
        model.observe(Interaction(unit: "long", item: "i5", time: 5_000))
        #expect(model.histories.byUnit["long"]?.items.count == 260)
    }
}
