import Bandits
import Foundation
import Stats

/// Benchmarks of the Bandits area; figures and commands in docs/benchmarks-bandits.md.
enum BanditsBench {
    static func run() async throws {
        try policyUpdates()
        try contextual()
        try regretRun()
    }

    /// Ten arms with about 10,000 units each and success rates near 5%.
    static func tenArms(_ g: inout SplitMix64) -> [ArmStatistics] {
        (0..<10).map { arm in
            let trials = Double(9_000 + Int(g.next() % 2_000))
            let successes = (trials * (0.04 + 0.002 * Double(arm) + 0.002 * g.nextUnitDouble())).rounded()
            return ArmStatistics(arm: "arm\(arm)", successes: successes, trials: trials)
        }
    }

    /// Cost of one allocation update (policy weights, then constraints) for 10 arms, per policy.
    static func policyUpdates() throws {
        print("policy update, 10 arms (median of 7 repetitions of 200 updates):")
        var g = SplitMix64(seed: 1)
        let inputs = (0..<200).map { _ in tenArms(&g) }
        let constraints = AllocationConstraints(burnInUnits: 100, floor: 0.01, maxChange: 0.1, control: .init(arm: "arm0", share: 0.2))
        for description in PolicyDescription.defaults + [.fixed(weights: Dictionary(uniqueKeysWithValues: (0..<10).map { ("arm\($0)", 1.0) }))] {
            let policy = try AllocationPolicies.make(description)
            var times: [Double] = []
            var sink = 0.0
            for _ in 0..<7 {
                times.append(
                    try Timing.seconds {
                        var previous = ArmWeights.equal(arms: inputs[0].map(\.arm))
                        for (update, statistics) in inputs.enumerated() {
                            let proposed = try policy.weights(for: statistics, update: update, using: &g)
                            previous = try constrain(proposed: proposed, previous: previous, statistics: statistics, constraints: constraints)
                            sink += previous.values[1]
                        }
                    } / Double(inputs.count)
                )
            }
            print(
                "  \(description.name.padding(toLength: 17, withPad: " ", startingAt: 0)) \(format(Timing.median(times) * 1e6)) µs/update  (checksum \(format(sink)))"
            )
        }
    }

    /// Cost of a contextual choice and an online update, 10 arms, d = 8 and 32.
    static func contextual() throws {
        print("contextual, 10 arms (median of 7 repetitions of 1,000 calls):")
        let arms = (0..<10).map { "arm\($0)" }
        for d in [8, 32] {
            var g = SplitMix64(seed: UInt64(d))
            let contexts = (0..<1_000).map { _ in (0..<d).map { _ in 2 * g.nextUnitDouble() - 1 } }
            var linUCB = try LinUCBPolicy(arms: arms, dimension: d)
            var linTS = try LinearThompsonPolicy(arms: arms, dimension: d)
            for (i, x) in contexts.enumerated() {  // warm models with 1,000 observations
                try linUCB.update(context: x, arm: arms[i % 10], reward: x[0])
                try linTS.update(context: x, arm: arms[i % 10], reward: x[0])
            }
            func median(_ body: () throws -> Void) rethrows -> Double {
                var times: [Double] = []
                for _ in 0..<7 { times.append(try Timing.seconds(body) / Double(contexts.count)) }
                return Timing.median(times) * 1e6
            }
            var sink = 0.0
            let ucbChoose = try median { for x in contexts { sink += try linUCB.choose(context: x, using: &g).propensity } }
            let ucbUpdate = try median { for x in contexts { try linUCB.update(context: x, arm: "arm3", reward: x[1]) } }
            let tsChoose = try median { for x in contexts { sink += try linTS.choose(context: x, using: &g).propensity } }
            let tsUpdate = try median { for x in contexts { try linTS.update(context: x, arm: "arm3", reward: x[1]) } }
            print(
                "  d = \(d): LinUCB choose \(format(ucbChoose)) µs, update \(format(ucbUpdate)) µs; linear TS choose (with exact propensity) \(format(tsChoose)) µs, update \(format(tsUpdate)) µs  (checksum \(format(sink)))"
            )
        }
    }

    /// The acceptance run: 200 seeds × 100,000 decisions, updates every 1,000, Bernoulli 0.04/0.05/0.06.
    static func regretRun() throws {
        // MABWiser 2.7.4 ThompsonSampling, same environment and schedule:
        // `python3 scripts/bandits_mabwiser_regret.py --seeds 1000` → 61.87 (SE 1.53);
        // `--seeds 200` → 59.60 (SE 2.96).
        let mabwiser1000 = 61.87
        let environment = try BanditEnvironment(means: [0.04, 0.05, 0.06])
        let settings = try BanditSimulator.Settings(decisions: 100_000, batchSize: 1_000, seeds: 200)
        print("regret, 200 seeds × 100,000 decisions, batch 1,000, arms 0.04/0.05/0.06:")
        for description in PolicyDescription.defaults {
            var curve: RegretCurve?
            let seconds = try Timing.seconds { curve = try BanditSimulator.run(description, in: environment, settings: settings) }
            guard let curve else { continue }
            let ratio = description.name == "thompson" ? "  ratio to MABWiser Thompson \(String(format: "%.3f", curve.finalMean / mabwiser1000))" : ""
            print(
                "  \(description.name.padding(toLength: 17, withPad: " ", startingAt: 0)) regret \(format(curve.finalMean)) (SE \(format(curve.finalStandardError)))  in \(format(seconds)) s\(ratio)"
            )
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
