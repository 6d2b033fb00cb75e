import Foundation
import Metrics
import Strategies
import Synchronization
import Testing

@testable import Engine

/// The fit time of an offline evaluation comes from the injected clock, read once before and
/// once after `fit`, and reaches the JSON row as `fitSeconds`, named like its other keys.
@Suite struct OfflineEvaluationFitTimeTests {
    /// A clock that returns the given readings in order and counts how often it was read.
    final class ScriptedClock: Sendable {
        private let state: Mutex<(readings: [Double], reads: Int)>

        init(_ readings: [Double]) {
            state = Mutex((readings, 0))
        }

        var reads: Int { state.withLock { $0.reads } }

        func read() -> Double {
            state.withLock { state in
                defer { state.reads += 1 }
                return state.readings[min(state.reads, state.readings.count - 1)]
            }
        }
    }

    /// Three units: u1 and u2 hold out their second item, u3 has one interaction only and trains.
    static let interactions = [
        Interaction(unit: "u1", item: "a", time: 1),
        Interaction(unit: "u1", item: "b", time: 2),
        Interaction(unit: "u2", item: "a", time: 3),
        Interaction(unit: "u2", item: "c", time: 4),
        Interaction(unit: "u3", item: "b", time: 5),
    ]

    func row(clock: ScriptedClock?) throws -> OfflineEvaluation.Row {
        let (train, test) = OfflineSplit.leaveLastOut.apply(Self.interactions)
        var evaluation = OfflineEvaluation(metrics: [RankingMetric.ndcg(10)], k: 10)
        if let clock { evaluation.clock = { clock.read() } }
        let strategy = try StrategyRegistry.make(name: "popularity", parameters: [:])
        return try evaluation.evaluate(strategy, label: "popularity", train: train, test: test, catalogue: ItemCatalogue(ids: ["a", "b", "c"]))
    }

    /// Readings 100 then 103.25 (then 999, which must never be read): the fit took 3.25 s.
    @Test func fitSecondsIsTheDifferenceOfTwoClockReadings() throws {
        let clock = ScriptedClock([100, 103.25, 999])
        let row = try row(clock: clock)
        #expect(row.fitSeconds == 3.25)
        #expect(clock.reads == 2)
        // The timing does not disturb the scores. Popularity trained on u1:a, u2:a, u3:b ranks
        // b before c for both test units (a is excluded as seen): u1's b at rank 1 gains 1, u2's
        // c at rank 2 gains 1/log2(3); NDCG@10 = (1 + 0.63093) / 2 = 0.81546.
        #expect(row.testUnits == 2)
        #expect(abs((row.metrics["ndcg@10"] ?? 0) - (1 + 1 / log2(3.0)) / 2) < 1e-12)
    }

    @Test func noClockNoFitTime() throws {
        let row = try row(clock: nil)
        #expect(row.fitSeconds == nil)
    }

    @Test func jsonNamesTheFieldFitSecondsAndKeepsTheOtherKeys() throws {
        let row = try row(clock: ScriptedClock([0, 0.5]))
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(row)) as? [String: Any])
        #expect(object["fitSeconds"] as? Double == 0.5)
        #expect(Set(object.keys) == ["strategy", "testUnits", "metrics", "coverage", "popularityPercentile", "fitSeconds"])
        #expect(try JSONDecoder().decode(OfflineEvaluation.Row.self, from: JSONEncoder().encode(row)) == row)
    }
}
