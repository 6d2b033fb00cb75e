import Foundation
import Testing

@testable import Strategies

/// The neural strategies as strategies: seeded reproducibility, save/load, online state,
/// session gaps, progress reporting and parameter validation, on small route data.
@Suite struct NeuralStrategyTests {
    static let data = NeuralTestData.routes(seed: 21, sessions: 200, items: 30, length: 6)
    static let coldData = NeuralTestData.coldItems(seed: 22, users: 120, perUser: 6)
    static let gru: [String: ParameterValue] = ["embedding_size": 8, "hidden_size": 8, "epochs": 2, "negative_samples": 8]
    static let twoTower: [String: ParameterValue] = ["dimensions": 8, "epochs": 2, "negative_samples": 8]

    static func fitted(_ name: String, _ parameters: [String: ParameterValue]) throws -> any RecommendationStrategy {
        let strategy = try StrategyRegistry.make(name: name, parameters: parameters)
        let source = name == "gru4rec" ? data : coldData
        try strategy.fit(source.interactions, catalogue: source.catalogue)
        return strategy
    }

    static let cases: [(String, [String: ParameterValue])] = [("gru4rec", gru), ("two_tower", twoTower)]

    static func requests(_ name: String) -> [RecommendationRequest] {
        let units = name == "gru4rec" ? ["session0", "session7", "new unit"] : ["user0", "user5", "new unit"]
        return units.map { RecommendationRequest(unit: $0, recentItems: $0 == "new unit" ? ["item3", "item4"] : [], k: 10) }
    }

    @Test(arguments: cases)
    func sameSeedSameScoresOtherSeedOtherScores(name: String, parameters: [String: ParameterValue]) throws {
        let first = try Self.fitted(name, parameters)
        let second = try Self.fitted(name, parameters)
        let reseeded = try Self.fitted(name, parameters.merging(["seed": 7]) { $1 })
        for request in Self.requests(name) {
            #expect(first.recommend(request) == second.recommend(request))
            #expect(!first.recommend(request).isEmpty)
        }
        #expect(Self.requests(name).map(first.recommend) != Self.requests(name).map(reseeded.recommend))
    }

    @Test(arguments: cases)
    func saveLoadRoundTrip(name: String, parameters: [String: ParameterValue]) throws {
        let original = try Self.fitted(name, parameters)
        let data = try original.save(fittedAt: 1_700_000_000)
        let loaded = try StrategyRegistry.load(data)
        #expect(loaded.name == name)
        #expect(try StrategyRegistry.header(of: data).formatVersion == ModelFile.formatVersion)
        for request in Self.requests(name) { #expect(loaded.recommend(request) == original.recommend(request)) }
        let event = Interaction(unit: "session0", item: "item2", event: "view", time: 1_900_000_000)
        original.observe(event)
        loaded.observe(event)
        #expect(loaded.recommend(RecommendationRequest(unit: "session0")) == original.recommend(RecommendationRequest(unit: "session0")))
    }

    /// Observing events one by one must land in the same state as passing them as recent items.
    @Test(arguments: cases)
    func observedEventsEqualRecentItems(name: String, parameters: [String: ParameterValue]) throws {
        let strategy = try Self.fitted(name, parameters)
        let before = strategy.recommend(RecommendationRequest(unit: "fresh"))
        for (offset, item) in ["item5", "item9", "item1"].enumerated() {
            strategy.observe(Interaction(unit: "fresh", item: item, time: 2_000_000_000 + Double(offset) * 60))
        }
        let observed = strategy.recommend(RecommendationRequest(unit: "fresh"))
        let given = strategy.recommend(RecommendationRequest(unit: "someone else", recentItems: ["item5", "item9", "item1"]))
        #expect(observed == given)
        #expect(observed != before, "observing must change the recommendation")
    }

    /// After a pause longer than the session gap the GRU starts over: the state equals that of
    /// a unit that saw only the last item.
    @Test func gruSessionGapResetsState() throws {
        let strategy = try Self.fitted("gru4rec", Self.gru)
        strategy.observe(Interaction(unit: "paused", item: "item5", time: 2_000_000_000))
        strategy.observe(Interaction(unit: "paused", item: "item9", time: 2_000_000_000 + 31 * 60))
        strategy.observe(Interaction(unit: "only", item: "item9", time: 2_000_000_000))
        #expect(strategy.recommend(RecommendationRequest(unit: "paused")) == strategy.recommend(RecommendationRequest(unit: "only")))
        strategy.observe(Interaction(unit: "continuing", item: "item5", time: 2_000_000_000))
        strategy.observe(Interaction(unit: "continuing", item: "item9", time: 2_000_000_000 + 60))
        #expect(strategy.recommend(RecommendationRequest(unit: "continuing")) != strategy.recommend(RecommendationRequest(unit: "only")))
    }

    /// The observer hears every epoch in order with a finite loss and a validation NDCG in
    /// [0, 1]; when training stops before the last epoch, the last `patience` epochs did not
    /// beat the best earlier one.
    @Test(arguments: cases)
    func progressReportsEpochsAndStopsEarly(name: String, parameters: [String: ParameterValue]) throws {
        let reports = Reports()
        let patience = 1
        let settings = parameters.merging(["epochs": 6, "patience": .integer(patience), "validation_fraction": 0.2]) { $1 }
        let observer: TrainingProgress.Observer = { epoch, loss, validation in reports.append((epoch, loss, validation)) }
        _ = try TrainingProgress.reporting(to: observer) { try Self.fitted(name, settings) }
        let seen = reports.all
        _ = try Self.fitted(name, settings)
        #expect(reports.all.count == seen.count, "a fit outside `reporting` reports nothing")
        #expect(seen.map(\.epoch) == Array(1...seen.count))
        #expect(seen.allSatisfy { $0.loss.isFinite && $0.loss > 0 })
        let scores = seen.compactMap(\.validation)
        #expect(scores.count == seen.count && scores.allSatisfy { (0...1).contains($0) })
        if seen.count < 6 {
            let best = scores.dropLast(patience).max() ?? 0
            #expect(scores.suffix(patience).allSatisfy { $0 <= best })
        }
    }

    @Test func earlyStoppingKeepsBestAndCountsPatience() {
        var stopping = EarlyStopping<String>(patience: 2)
        let decisions = [(0.5, "a"), (0.6, "b"), (0.55, "c"), (0.6, "d")].enumerated().map { epoch, entry in
            stopping.record(score: entry.0, weights: entry.1, epoch: epoch + 1)
        }
        // A tie is not an improvement, so epochs 3 and 4 both fail to beat 0.6.
        #expect(decisions == [false, false, false, true])
        #expect(stopping.best?.weights == "b" && stopping.best?.epoch == 2)
    }

    @Test func parametersAreDescribedAndValidated() throws {
        for name in ["gru4rec", "two_tower"] {
            let description = try #require(StrategyRegistry.catalog.description(named: name))
            // The defaults chosen on MovieLens 100K (docs/strategies.md, "On a real dataset").
            #expect(description.parameter(named: "patience")?.defaultValue == "3")
            #expect(description.parameter(named: "learning_rate")?.defaultValue == "0.002")
            #expect(description.parameter(named: "seed") != nil)
        }
        #expect(throws: StrategyError.self) { try StrategyRegistry.make(name: "gru4rec", parameters: ["loss": "hinge"]) }
        #expect(throws: StrategyError.self) { try StrategyRegistry.make(name: "gru4rec", parameters: ["layers": 9]) }
        #expect(throws: StrategyError.self) { try StrategyRegistry.make(name: "two_tower", parameters: ["id_dropout": 1.5]) }
        #expect(throws: StrategyError.self) { try StrategyRegistry.make(name: "two_tower", parameters: ["optimiser": "sgd"]) }
    }

    /// An unfitted model says nothing rather than guessing.
    @Test(arguments: ["gru4rec", "two_tower"])
    func unfittedModelRecommendsNothing(name: String) throws {
        let strategy = try StrategyRegistry.make(name: name)
        #expect(strategy.recommend(RecommendationRequest(unit: "u", recentItems: ["a"])).isEmpty)
    }
}

/// Collects progress reports from the observer; a lock makes it safe to share.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [(epoch: Int, loss: Double, validation: Double?)] = []

    func append(_ report: (Int, Double, Double?)) { lock.withLock { reports.append(report) } }
    var all: [(epoch: Int, loss: Double, validation: Double?)] { lock.withLock { reports } }
}
