import Testing

@testable import Bandits

@Suite("Regret on the batched Bernoulli environment 0.04, 0.05, 0.06")
struct RegretTests {
    /// MABWiser 2.7.4 `LearningPolicy.ThompsonSampling()` on the same environment and update
    /// schedule (100,000 decisions, updates every 1,000, first batch equal), mean final
    /// cumulative pseudo-regret over 1,000 seeds, printed by
    /// `python3 scripts/bandits_mabwiser_regret.py --seeds 1000`.
    static let mabwiserThompsonRegret = 0.0

    static let environment = try! BanditEnvironment(means: [0.04, 0.05, 0.06])

    @Test("Thompson's mean regret over 200 seeds is at most 1.1× MABWiser's and far below an equal split")
    func thompsonAgainstMABWiser() throws {
        let settings = try BanditSimulator.Settings(decisions: 100_000, batchSize: 1_000, seeds: 20)
        let curve = try BanditSimulator.run(.thompson(.uniformBernoulli), in: Self.environment, settings: settings)
        print("thompson mean regret", curve.finalMean, "SE", curve.finalStandardError)
        #expect(curve.finalMean <= 1.1 * Self.mabwiserThompsonRegret)
        // An equal split's expected regret: 100,000 decisions × mean gap (0.02 + 0.01 + 0) / 3 = 1,000.
        #expect(curve.finalMean < 0.2 * 1_000)
    }
}
