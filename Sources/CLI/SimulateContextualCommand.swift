import ArgumentParser
import Bandits
import Foundation
import Stats

/// `abctl simulate-contextual`: regret of the contextual policies on a linear truth where the
/// best arm depends on the user, against the best single arm.
struct SimulateContextualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-contextual",
        abstract: "Simulate linucb and linear_thompson on users whose best arm depends on device and tenure, and print their regret.",
        discussion: """
            Each run draws its users from --seed + run: x = (1, mobile, tenure) with mobile ~ Bernoulli(1/2) \
            and tenure ~ U(0, 1); arm popularity clicks with probability 0.25 + 0.15 mobile - 0.20 tenure, \
            item_knn 0.10 + 0.30 tenure, als 0.20 (item_knn is the best single arm). The policy is frozen \
            within a batch and learns the batch's clicks after it, as a served model learns between \
            checkpoints. Regret is the sum over decisions of (best arm's mean - chosen arm's mean), averaged \
            over runs; "best single arm" is the regret of always playing item_knn. --write-environment saves \
            the first run's users, means and reward draws as CSV, so that scripts/contextual_mabwiser_regret.py \
            runs MABWiser on exactly the same decisions.
            Example: abctl simulate-contextual --decisions 20000 --batch 500 --seeds 20
            """
    )

    @Option(help: "Decisions per run.")
    var decisions: Int = 20_000

    @Option(help: "Decisions between model updates.")
    var batch: Int = 500

    @Option(help: "Independent runs to average.")
    var seeds: Int = 20

    @Option(help: "Seed of the first run; run s uses seed + s.")
    var seed: UInt64 = 0

    @Option(help: "LinUCB's confidence width alpha (the spec's default 1).")
    var alpha: Double = 1

    @Option(help: "Linear Thompson's posterior scale v (the spec's default 1).")
    var posteriorScale: Double = 1

    @Option(help: "Write the first run's environment (context, means, uniform per decision) to this CSV file.")
    var writeEnvironment: String?

    func validate() throws {
        for (flag, value) in [("--decisions", decisions), ("--batch", batch), ("--seeds", seeds)] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, got \(value)")
        }
        guard alpha.isFinite, alpha >= 0 else { throw ValidationError("--alpha must be a finite number ≥ 0, got \(alpha)") }
        guard posteriorScale.isFinite, posteriorScale > 0 else {
            throw ValidationError("--posterior-scale must be a finite number > 0, got \(posteriorScale)")
        }
    }

    func run() throws {
        let arms = ContextualEnvironment.deviceAndTenureArms
        var totals: [String: [Double]] = ["linucb": [], "linear_thompson": [], "best single arm": []]
        for run in 0..<seeds {
            let runSeed = seed &+ UInt64(run)
            let environment = ContextualEnvironment.deviceAndTenure(decisions: decisions, seed: runSeed)
            if run == 0, let path = writeEnvironment { try Self.write(environment, arms: arms, to: path) }
            var generator = SplitMix64(seed: runSeed ^ 0xC0FF_EE00)
            let linUCB = try LinUCBPolicy(arms: arms, dimension: 3, exploration: alpha)
            totals["linucb", default: []].append(try ContextualSimulation.run(linUCB, in: environment, batch: batch, using: &generator).last ?? 0)
            let thompson = try LinearThompsonPolicy(arms: arms, dimension: 3, scale: posteriorScale)
            totals["linear_thompson", default: []]
                .append(try ContextualSimulation.run(thompson, in: environment, batch: batch, using: &generator).last ?? 0)
            totals["best single arm", default: []].append(environment.bestSingleArmRegret)
        }
        print("policy,mean_final_regret,standard_error,runs,decisions,batch")
        for name in ["linucb", "linear_thompson", "best single arm"] {
            let values = totals[name] ?? []
            let n = Double(values.count)
            let mean = values.reduce(0, +) / n
            let variance = values.count > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
            print(
                "\(name),\(String(format: "%.2f", mean)),\(String(format: "%.2f", (variance / n).squareRoot())),\(values.count),\(decisions),\(batch)"
            )
        }
    }

    /// The environment as CSV: the context columns, one mean column per arm, the uniform.
    static func write(_ environment: ContextualEnvironment, arms: [String], to path: String) throws {
        var text = "intercept,mobile,tenure," + arms.map { "mean_\($0)" }.joined(separator: ",") + ",uniform\n"
        for t in environment.contexts.indices {
            let row = environment.contexts[t] + environment.means[t] + [environment.uniforms[t]]
            text += row.map { "\($0)" }.joined(separator: ",") + "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
