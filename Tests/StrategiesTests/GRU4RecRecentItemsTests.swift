import Foundation
import Testing

@testable import Strategies

/// gru4rec steps a request's recent items from the unit's kept state, except those the state
/// has already consumed (after fit or observe), so no item is fed to the GRU twice.
@Suite struct GRU4RecRecentItemsTests {
    static func fitted() throws -> any RecommendationStrategy {
        try NeuralStrategyTests.fitted("gru4rec", NeuralStrategyTests.gru)
    }

    static func observe(_ items: [String], unit: String, in strategy: any RecommendationStrategy) {
        for (offset, item) in items.enumerated() {
            strategy.observe(Interaction(unit: unit, item: item, time: 2_000_000_000 + Double(offset) * 60))
        }
    }

    /// Recent items the state has consumed change nothing; only the new tail is stepped: the
    /// result equals a unit that observed the whole session once.
    @Test func consumedRecentItemsAreNotSteppedAgain() throws {
        let strategy = try Self.fitted()
        Self.observe(["item5", "item9"], unit: "kept", in: strategy)
        Self.observe(["item5", "item9", "item1"], unit: "longer", in: strategy)
        let kept = strategy.recommend(RecommendationRequest(unit: "kept"))
        #expect(strategy.recommend(RecommendationRequest(unit: "kept", recentItems: ["item5", "item9"])) == kept)
        let extended = strategy.recommend(RecommendationRequest(unit: "kept", recentItems: ["item9", "item1"]))
        #expect(extended == strategy.recommend(RecommendationRequest(unit: "longer")))
        #expect(extended != kept)
    }

    /// After fit a unit's state holds its last session: its last training items as recent
    /// items (what the offline evaluator passes) leave the ranking as it is.
    @Test func trainingItemsAsRecentItemsLeaveTheFittedStateAlone() throws {
        let strategy = try Self.fitted()
        let session = NeuralStrategyTests.data.interactions.filter { $0.unit == "session7" }.sorted { $0.time < $1.time }.map(\.item)
        #expect(session.count >= 3)
        let fitted = strategy.recommend(RecommendationRequest(unit: "session7"))
        #expect(strategy.recommend(RecommendationRequest(unit: "session7", recentItems: Array(session.suffix(3)))) == fitted)
    }

    /// Hand cases of the overlap rule (items as numbers, oldest first).
    @Test(
        arguments: [
            ([1, 2, 3, 8, 9], [8, 9], [Int]()),  // the state consumed the list's end: nothing new
            ([4, 5, 6], [3, 4, 5], [6]),  // the list starts inside the state's session
            ([6, 7], [3, 4], [6, 7]),  // no overlap: all of it is new
            ([6, 7], [], [6, 7]),  // a fresh state consumed nothing
            ([], [3], []),
        ]
    )
    func unconsumedDropsTheLongestOverlap(recent: [Int], consumed: [Int], expected: [Int]) {
        #expect(GRU4RecModel.unconsumed(recent, after: consumed) == expected)
    }

    /// Models saved before states kept their items still load, with no items remembered.
    @Test func stateWithoutItemsDecodes() throws {
        let state = try JSONDecoder().decode(GRU4RecModel.SessionState.self, from: Data(#"{"hidden":[0.5],"lastTime":7}"#.utf8))
        #expect(state == GRU4RecModel.SessionState(hidden: [0.5], lastTime: 7, items: []))
    }
}
