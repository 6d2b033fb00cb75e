import Foundation
import Stats
import Testing

@testable import Bandits

@Suite("Exact weights of the deterministic-rule policies, by hand")
struct ExactWeightTests {
    /// Three Bernoulli arms: means 0.1 (10/100), 0.3 (30/100) and 0.2 (20/100).
    static let statistics = [
        ArmStatistics(arm: "a", successes: 10, trials: 100),
        ArmStatistics(arm: "b", successes: 30, trials: 100),
        ArmStatistics(arm: "c", successes: 20, trials: 100),
    ]

    func weights(_ description: PolicyDescription, _ statistics: [ArmStatistics] = statistics, update: Int = 0) throws -> [Double] {
        var generator = SplitMix64(seed: 7)
        return try AllocationPolicies.make(description).weights(for: statistics, update: update, using: &generator).values
    }

    @Test("ε-greedy: ε/K everywhere plus 1 − ε on the best arm")
    func epsilonGreedy() throws {
        // ε = 0.3, K = 3: 0.1 each, + 0.7 on b.
        let w = try weights(.epsilonGreedy(epsilon: 0.3, decay: .none))
        #expect(zip(w, [0.1, 0.8, 0.1]).allSatisfy { abs($0 - $1) < 1e-15 })
        // Inverse decay at update 4 with rate 0.5: ε = 0.3 / (1 + 2) = 0.1 → 0.1/3 each, + 0.9 on b.
        let decayed = try weights(.epsilonGreedy(epsilon: 0.3, decay: .inverse(rate: 0.5)), update: 4)
        #expect(zip(decayed, [0.1 / 3, 0.9 + 0.1 / 3, 0.1 / 3]).allSatisfy { abs($0 - $1) < 1e-15 })
        // Exponential decay, half-life 2, update 2: ε = 0.15.
        let halved = try weights(.epsilonGreedy(epsilon: 0.3, decay: .exponential(halfLife: 2)), update: 2)
        #expect(abs(halved[0] - 0.05) < 1e-15 && abs(halved[1] - 0.9) < 1e-15)
    }

    @Test("ε-greedy splits the greedy share between tied best arms")
    func epsilonGreedyTies() throws {
        let tied = [ArmStatistics(arm: "a", successes: 5, trials: 10), ArmStatistics(arm: "b", successes: 50, trials: 100)]
        // ε = 0.2: 0.1 each, 0.8 split in two → 0.5 each.
        #expect(try weights(.epsilonGreedy(epsilon: 0.2, decay: .none), tied) == [0.5, 0.5])
    }

    @Test("Softmax: exp(mean/τ) normalised")
    func softmax() throws {
        // τ = 0.1: scores e^1, e^3, e^2 over (e + e³ + e²).
        let w = try weights(.softmax(temperature: 0.1))
        let z = exp(1.0) + exp(3.0) + exp(2.0)
        let expected = [exp(1.0) / z, exp(3.0) / z, exp(2.0) / z]  // 0.0900, 0.6652, 0.2447
        #expect(zip(w, expected).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test("UCB1: the arm with the best index gets everything; unplayed arms first")
    func ucb1() throws {
        // N = 300, ln N = 5.7038; bonus with c = 1: √(2·5.7038/100) = 0.3378 for each arm, so b wins.
        #expect(try weights(.ucb1(exploration: 1)) == [0, 1, 0])
        // Arm a with 4 trials: bonus √(2·ln 204 / 4) = 1.630, index 0.25 + 1.630 > 0.3 + 0.326 → a.
        let small = [
            ArmStatistics(arm: "a", successes: 1, trials: 4), ArmStatistics(arm: "b", successes: 30, trials: 100),
            ArmStatistics(arm: "c", successes: 20, trials: 100),
        ]
        #expect(try weights(.ucb1(exploration: 1), small) == [1, 0, 0])
        let unplayed = [ArmStatistics(arm: "a", successes: 0, trials: 0), ArmStatistics(arm: "b", successes: 0, trials: 0)]
        #expect(try weights(.ucb1(exploration: 1), unplayed) == [0.5, 0.5])
        #expect(try weights(.ucbTuned, unplayed) == [0.5, 0.5])
    }

    @Test("UCB-Tuned: index mean + √(ln N / n · min(¼, V))")
    func ucbTuned() throws {
        // a: 1/4 → var 0.1875, V = 0.1875 + √(2 ln 104 / 4) = 1.70, min(¼, V) = ¼,
        //    index 0.25 + √(ln 104 / 4 · 0.25) = 0.25 + 0.5387 = 0.789.
        // b: 30/100 → var 0.21, V = 0.21 + √(2 ln 104 / 100) = 0.515, ¼ again,
        //    index 0.3 + √(4.644/100 · 0.25) = 0.3 + 0.1077 = 0.408. So a wins.
        let s = [ArmStatistics(arm: "a", successes: 1, trials: 4), ArmStatistics(arm: "b", successes: 30, trials: 100)]
        #expect(try weights(.ucbTuned, s) == [1, 0])
    }

    @Test("Fixed: weights normalised over the arms present")
    func fixed() throws {
        #expect(try weights(.fixed(weights: ["a": 2, "b": 1, "c": 1, "gone": 5])) == [0.5, 0.25, 0.25])
        #expect(throws: BanditsError.unknownArm("c")) { try weights(.fixed(weights: ["a": 1, "b": 1])) }
    }

    @Test("Top-two Thompson: β·α_j + (1 − β)·Σ_{i≠j} α_i α_j / (1 − α_i) from the Thompson weights")
    func topTwo() throws {
        let alpha = try weights(.thompson(.uniformBernoulli))
        let w = try weights(.topTwoThompson(.uniformBernoulli, beta: 0.5))
        for j in 0..<3 {
            var challenger = 0.0
            for i in 0..<3 where i != j { challenger += alpha[i] * alpha[j] / (1 - alpha[i]) }
            #expect(abs(w[j] - (0.5 * alpha[j] + 0.5 * challenger)) < 1e-12)
        }
        // Two arms: the challenger is always the other arm, so β = 0.5 gives exactly ½ each.
        let two = try weights(.topTwoThompson(.uniformBernoulli, beta: 0.5), Array(Self.statistics.prefix(2)))
        #expect(abs(two[0] - 0.5) < 1e-12 && abs(two[1] - 0.5) < 1e-12)
    }

    @Test("Normal-model Thompson: two arms against Φ(Δμ / √(s₁² + s₂²))")
    func normalThompson() throws {
        // Arm a: values 1, 2, 3 (n 3, Σ 6, Σx² 14, sample variance 1); arm b: 2, 3, 4 (variance 1).
        // Prior N(0, 100²) is nearly flat: posterior precision 1e-4 + 3 → sd ≈ 1/√3; means ≈ 2 and 3.
        let s = [
            ArmStatistics(arm: "a", reward: SufficientStatistics(values: [1, 2, 3])),
            ArmStatistics(arm: "b", reward: SufficientStatistics(values: [2, 3, 4])),
        ]
        let w = try weights(.thompson(.normal(priorMean: 0, priorStandardDeviation: 100)), s)
        let precision = 1e-4 + 3.0
        let meanA = 6 / precision
        let meanB = 9 / precision
        let expected = 0.5 * erfc(-(meanB - meanA) / (2 / precision).squareRoot() / 2.0.squareRoot())  // ≈ 0.9584
        #expect(abs(w[1] - expected) < 1e-3)
    }

    @Test("Every policy reproduces its weights exactly with the same seed and data", arguments: PolicyDescription.defaults)
    func reproducible(_ description: PolicyDescription) throws {
        #expect(try weights(description) == weights(description))
    }

    @Test("Invalid parameters are rejected with the parameter named")
    func validation() {
        #expect(throws: BanditsError.self) { try AllocationPolicies.make(.epsilonGreedy(epsilon: 1.5, decay: .none)) }
        #expect(throws: BanditsError.self) { try AllocationPolicies.make(.softmax(temperature: 0)) }
        #expect(throws: BanditsError.self) { try AllocationPolicies.make(.topTwoThompson(.uniformBernoulli, beta: 0)) }
        #expect(throws: BanditsError.self) { try AllocationPolicies.make(.thompson(.bernoulli(priorAlpha: -1, priorBeta: 1))) }
        let error = BanditsError.invalidParameter(name: "epsilon", value: 1.5, requirement: "in [0, 1]")
        #expect(error.description == "Parameter epsilon is 1.5 but must be in [0, 1].")
    }
}
