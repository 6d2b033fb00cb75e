import Stats
import Testing

@testable import Bandits

@Suite("Every policy on adversarial statistics")
struct PolicyPropertyTests {
    static let policies: [PolicyDescription] =
        PolicyDescription.defaults + [
            .thompson(.bernoulli(priorAlpha: 0.5, priorBeta: 0.5)),
            .thompson(.normal(priorMean: 0, priorStandardDeviation: 1)),
            .topTwoThompson(.normal(priorMean: 0, priorStandardDeviation: 1), beta: 0.7),
            .epsilonGreedy(epsilon: 0.2, decay: .inverse(rate: 1)),
        ]

    /// Statistics of 2 to 6 arms with counts 0, 1, 10⁶ or 10¹⁵ and success rates 0, 1 or random.
    static func randomStatistics(_ g: inout SplitMix64) -> [ArmStatistics] {
        (0..<(2 + Int(g.next() % 5))).map { arm in
            let n = [0, 1, 1e6, 1e15][Int(g.next() % 4)]
            let rate = [0, 1, g.nextUnitDouble(), 1e-9][Int(g.next() % 4)]
            return ArmStatistics(arm: "arm\(arm)", successes: (n * rate).rounded(), trials: n)
        }
    }

    @Test("Weights are finite, non-negative, sum to 1 within 1e-12 and reproduce exactly", arguments: policies)
    func weightsAreProbabilities(_ description: PolicyDescription) throws {
        let policy = try AllocationPolicies.make(description)
        var g = SplitMix64(seed: 99)
        for trial in 0..<300 {
            let statistics = Self.randomStatistics(&g)
            var first = SplitMix64(seed: UInt64(trial))
            var second = SplitMix64(seed: UInt64(trial))
            let w = try policy.weights(for: statistics, update: trial, using: &first)
            #expect(w.values.allSatisfy { $0.isFinite && $0 >= 0 }, "trial \(trial): \(statistics) → \(w.values)")
            #expect(abs(w.values.reduce(0, +) - 1) <= 1e-12, "trial \(trial)")
            #expect(try policy.weights(for: statistics, update: trial, using: &second) == w)
        }
    }

    @Test("Malformed statistics are rejected, naming the arm")
    func malformed() throws {
        let policy = try AllocationPolicies.make(.thompson(.uniformBernoulli))
        var g = SplitMix64(seed: 1)
        let bad = [ArmStatistics(arm: "a", successes: 1, trials: 2), ArmStatistics(arm: "b", successes: .nan, trials: 2)]
        #expect(throws: BanditsError.invalidStatistics(arm: "b")) { try policy.weights(for: bad, update: 0, using: &g) }
        let duplicate = [ArmStatistics(arm: "a", successes: 1, trials: 2), ArmStatistics(arm: "a", successes: 1, trials: 2)]
        #expect(throws: BanditsError.duplicateArms(["a", "a"])) { try policy.weights(for: duplicate, update: 0, using: &g) }
        #expect(throws: BanditsError.noArms) { try policy.weights(for: [], update: 0, using: &g) }
    }
}
