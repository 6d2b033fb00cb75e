import Testing

@testable import Bandits

/// The acceptance comparison in reduced form so it fits a debug test run: the same
/// environment and update schedule (Bernoulli 0.04, 0.05, 0.06; updates every 1,000
/// decisions; first batch equal) and 200 seeds, but the first 20,000 decisions instead of
/// 100,000. The full 200-seed × 100,000-decision comparison runs in the benchmark
/// (`swift run -c release --package-path Benchmarks abctl-bench bandits`, docs/benchmarks-bandits.md).
@Suite("Regret on the batched Bernoulli environment 0.04, 0.05, 0.06")
struct RegretTests {
    /// MABWiser 2.7.4 `LearningPolicy.ThompsonSampling()`, same environment and schedule, mean
    /// cumulative pseudo-regret after 20,000 decisions over 1,000 seeds: 43.01 (SE 0.79), printed by
    /// `python3 scripts/bandits_mabwiser_regret.py --seeds 1000 --decisions 20000`.
    static let mabwiserThompsonRegret20k = 43.01

    static let environment = try! BanditEnvironment(means: [0.04, 0.05, 0.06])

    @Test("Thompson's mean regret over 200 seeds is at most 1.1× MABWiser's and far below an equal split")
    func thompsonAgainstMABWiser() throws {
        let settings = try BanditSimulator.Settings(decisions: 20_000, batchSize: 1_000, seeds: 200)
        let curve = try BanditSimulator.run(.thompson(.uniformBernoulli), in: Self.environment, settings: settings)
        #expect(curve.finalMean <= 1.1 * Self.mabwiserThompsonRegret20k)
        // An equal split's expected regret: 20,000 decisions × mean gap (0.02 + 0.01 + 0) / 3 = 200.
        #expect(curve.finalMean < 0.3 * 200)
        #expect(curve.decisions.count == 20 && curve.decisions.last == 20_000)
    }

    @Test("A fixed equal split's simulated regret matches its expectation 200 within 4 SE")
    func equalSplit() throws {
        // Per decision regret is 0.02, 0.01 or 0 with probability ⅓ each: mean 0.01, variance
        // 0.0002 − 0.0001 = 1e-4, so the SE of the mean over 200 seeds × 20,000 decisions is
        // √(1e-4 · 20,000 / 200) = 0.1 regret units.
        let settings = try BanditSimulator.Settings(decisions: 20_000, batchSize: 1_000, seeds: 200)
        let curve = try BanditSimulator.run(.fixed(weights: ["arm0": 1, "arm1": 1, "arm2": 1]), in: Self.environment, settings: settings)
        #expect(abs(curve.finalMean - 200) < 0.4)
    }

    @Test("Every adaptive policy learns: regret well below the equal split's", arguments: PolicyDescription.defaults)
    func everyPolicyLearns(_ description: PolicyDescription) throws {
        let settings = try BanditSimulator.Settings(decisions: 20_000, batchSize: 1_000, seeds: 20)
        let curve = try BanditSimulator.run(description, in: Self.environment, settings: settings)
        #expect(curve.finalMean < 200)
    }
}
