import Stats
import Testing

@testable import Bandits

@Suite("Contextual policies: LinUCB and linear Thompson sampling")
struct ContextualTests {
    /// True coefficients per arm on the context (1, x₁, x₂): arm 0 is best when x₁ > 0,
    /// arm 1 when x₂ > 0 and x₁ < 0, arm 2 a mediocre constant. Expected reward of arm a over
    /// uniform x ∈ [−1, 1]² is its intercept: 0.5, 0.5, 0.6, so the best non-contextual arm earns 0.6.
    static let truth: [[Double]] = [[0.5, 0.8, 0], [0.5, -0.2, 0.8], [0.6, 0, 0]]

    static func context(_ g: inout SplitMix64) -> [Double] {
        [1, 2 * g.nextUnitDouble() - 1, 2 * g.nextUnitDouble() - 1]
    }

    static func meanReward(arm: Int, context x: [Double]) -> Double {
        zip(truth[arm], x).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Average expected reward over `rounds` decisions of `policy`, learning online with noise sd 0.3.
    static func averageReward<P: ContextualPolicy>(_ policy: inout P, rounds: Int, seed: UInt64) throws -> Double {
        var g = SplitMix64(seed: seed)
        var total = 0.0
        for _ in 0..<rounds {
            let x = context(&g)
            let choice = try policy.choose(context: x, using: &g)
            let arm = policy.arms.firstIndex(of: choice.arm)!
            let mean = meanReward(arm: arm, context: x)
            total += mean
            try policy.update(context: x, arm: choice.arm, reward: RandomVariates.normal(mean: mean, standardDeviation: 0.3, using: &g))
        }
        return total / Double(rounds)
    }

    @Test("LinUCB beats the best non-contextual arm on a linear-reward problem")
    func linUCBBeatsBestArm() throws {
        var policy = try LinUCBPolicy(arms: ["a", "b", "c"], dimension: 3, exploration: 0.5)
        // The best fixed arm earns 0.6 per decision; the best context-aware choice earns
        // E[max_a xᵀθ_a] ≈ 0.87 (by symmetry of x); LinUCB must get well above 0.6.
        let average = try Self.averageReward(&policy, rounds: 3_000, seed: 11)
        #expect(average > 0.7)
    }

    @Test("Linear Thompson sampling also beats the best non-contextual arm")
    func linearThompsonBeatsBestArm() throws {
        var policy = try LinearThompsonPolicy(arms: ["a", "b", "c"], dimension: 3, scale: 0.3)
        let average = try Self.averageReward(&policy, rounds: 1_000, seed: 12)
        #expect(average > 0.7)
    }

    @Test("LinUCB before any data: score α·√(xᵀx/λ), ties split, propensity 1/#ties")
    func linUCBPrior() throws {
        let policy = try LinUCBPolicy(arms: ["a", "b"], dimension: 2, exploration: 2, ridge: 4)
        // x = (3, 4): xᵀA⁻¹x = 25 / 4, score 2 · 2.5 = 5 for both arms.
        #expect(try policy.scores(context: [3, 4]) == [5, 5])
        var g = SplitMix64(seed: 3)
        #expect(try policy.choose(context: [3, 4], using: &g).propensity == 0.5)
    }

    @Test("Linear TS propensities match the frequency of its sampled choices (200,000 draws, 4 SE)")
    func linearThompsonPropensity() throws {
        var policy = try LinearThompsonPolicy(arms: ["a", "b", "c"], dimension: 3, scale: 1)
        var g = SplitMix64(seed: 5)
        for _ in 0..<30 {
            let x = Self.context(&g)
            for arm in 0..<3 {
                try policy.update(context: x, arm: policy.arms[arm], reward: Self.meanReward(arm: arm, context: x))
            }
        }
        let x = [1, 0.1, 0.2]
        let choice = try policy.choose(context: x, using: &g)
        let probabilities = try policy.probabilities(context: x)
        #expect(abs(choice.propensity - probabilities[policy.arms.firstIndex(of: choice.arm)!]) < 1e-4)
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
        // The reference: the empirical frequency of the sampling step that `choose` uses.
        let distributions = try policy.scoreDistributions(context: x)
        var counts = [0, 0, 0]
        let draws = 200_000
        for _ in 0..<draws { counts[LinearThompsonPolicy.draw(distributions, using: &g)] += 1 }
        for arm in 0..<3 {
            let p = probabilities[arm]
            let standardError = (p * (1 - p) / Double(draws)).squareRoot()
            #expect(abs(Double(counts[arm]) / Double(draws) - p) <= 4 * standardError + 1e-9)
        }
        #expect(probabilities.allSatisfy { $0 > 0.01 })  // a case where every arm is in play
    }

    @Test("Sherman–Morrison inverse agrees with a Cholesky inverse of A")
    func shermanMorrison() throws {
        var model = LinearArmModel(dimension: 4, ridge: 0.5)
        var g = SplitMix64(seed: 9)
        for _ in 0..<300 {
            model.update(context: (0..<4).map { _ in 4 * g.nextUnitDouble() - 2 }, reward: g.nextUnitDouble())
        }
        let exact = try #require(Cholesky(model.designMatrix, dimension: 4)).inverse()
        #expect(zip(exact, model.inverse).allSatisfy { abs($0 - $1) < 1e-12 })
        // Cholesky itself: A·A⁻¹ = I.
        for i in 0..<4 {
            for j in 0..<4 {
                let product = (0..<4).reduce(0.0) { $0 + model.designMatrix[i * 4 + $1] * exact[$1 * 4 + j] }
                #expect(abs(product - (i == j ? 1 : 0)) < 1e-12)
            }
        }
    }

    @Test("Wrong context length or unknown arms are rejected")
    func errors() throws {
        var policy = try LinUCBPolicy(arms: ["a"], dimension: 2)
        var g = SplitMix64(seed: 1)
        #expect(throws: BanditsError.contextDimension(expected: 2, actual: 3)) { try policy.choose(context: [1, 2, 3], using: &g) }
        #expect(throws: BanditsError.unknownArm("z")) { try policy.update(context: [1, 2], arm: "z", reward: 1) }
    }
}
