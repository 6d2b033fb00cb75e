import Stats
import Testing

@testable import Bandits

/// The contextual simulation of `abctl simulate-contextual`: its environment is the documented
/// linear truth, and both contextual policies beat the best single arm on it.
struct ContextualSimulationTests {
    @Test("the device-and-tenure truth: item_knn is the best single arm, yet each segment has its own winner")
    func environment() {
        let environment = ContextualEnvironment.deviceAndTenure(decisions: 20_000, seed: 1)
        // E[μ] = popularity 0.25 + 0.075 − 0.10 = 0.225, item_knn 0.10 + 0.15 = 0.25, als 0.20.
        let n = Double(environment.means.count)
        let averages = (0..<3).map { a in environment.means.reduce(0) { $0 + $1[a] } / n }
        #expect(abs(averages[0] - 0.225) < 0.005 && abs(averages[1] - 0.25) < 0.005 && abs(averages[2] - 0.2) < 1e-12, "\(averages)")
        // A new mobile user (tenure 0) is best served by popularity (0.40), a long-tenured one by item_knn (0.40).
        for (x, m) in zip(environment.contexts, environment.means) {
            #expect(m[0] == 0.25 + 0.15 * x[1] - 0.20 * x[2] && m[1] == 0.10 + 0.30 * x[2])
        }
        #expect(environment.bestSingleArmRegret > 0)
    }

    @Test("linucb and linear_thompson end with less than half the regret of the best single arm")
    func policiesBeatTheBestSingleArm() throws {
        let environment = ContextualEnvironment.deviceAndTenure(decisions: 6_000, seed: 3)
        let arms = ContextualEnvironment.deviceAndTenureArms
        var generator = SplitMix64(seed: 9)
        let linUCB = try ContextualSimulation.run(LinUCBPolicy(arms: arms, dimension: 3), in: environment, batch: 250, using: &generator)
        let thompson = try ContextualSimulation.run(LinearThompsonPolicy(arms: arms, dimension: 3), in: environment, batch: 250, using: &generator)
        let single = environment.bestSingleArmRegret
        #expect(try #require(linUCB.last) < single / 2, "linucb \(linUCB.last ?? 0) vs \(single)")
        #expect(try #require(thompson.last) < single / 2, "linear_thompson \(thompson.last ?? 0) vs \(single)")
        #expect(linUCB.count == 24)
    }
}
