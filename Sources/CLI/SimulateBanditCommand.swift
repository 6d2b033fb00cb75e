import ArgumentParser
import Bandits
import Foundation

/// `abctl simulate-bandit`: regret curves of allocation policies on simulated arms with batched updates.
struct SimulateBanditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-bandit",
        abstract: "Simulate allocation policies on arms with known means and print their mean cumulative regret.",
        discussion: """
            Decisions are made in batches; between updates arms are drawn from the current weights \
            (the first batch equally). After each batch the policy proposes weights and the spec's \
            constraints are applied to them, as `abctl allocate` applies them: burn-in, floor (--min-weight), \
            change limit and control share, with the defaults a spec gets (burn-in 100, min weight 0.01); \
            --no-constraints turns them off. Policy parameters also default to the spec's (UCB1 c = √2, \
            softmax temperature 0.1, ε 0.1, Beta(1, 1)). Regret is Σ (best mean − chosen arm's mean), \
            averaged over seeds.
            Example: abctl simulate-bandit --arms 0.04,0.05,0.06 --decisions 100000 --batch 1000 --seeds 200 --policy all --svg regret.svg
            """
    )

    /// Output formats of the summary.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv
    }

    @Option(help: "True mean reward of each arm, comma separated (success rates for Bernoulli arms).")
    var arms: String

    @Option(help: "Total decisions per run.")
    var decisions: Int = 100_000

    @Option(help: "Decisions between policy updates.")
    var batch: Int = 1_000

    @Option(help: "Independent runs to average.")
    var seeds: Int = 200

    @Option(help: "Seed of the first run; run s uses seed + s.")
    var seed: UInt64 = 0

    @Option(
        help: "Policy: thompson, top_two_thompson, ucb1, ucb_tuned, epsilon_greedy, softmax, fixed (an equal split; also 'equal'), or all."
    )
    var policy: String = "thompson"

    @OptionGroup(title: "Constraints and policy parameters (defaults as in a spec)")
    var parameters: BanditSimulationOptions

    @Option(help: "Reward standard deviation: Gaussian arms instead of Bernoulli.")
    var gaussianSD: Double?

    @Option(help: "Summary format: table or csv.")
    var format: Format = .table

    @Option(help: "Write an SVG line chart of the regret curves to this file.")
    var svg: String?

    func validate() throws {
        for (flag, value) in [("--decisions", decisions), ("--batch", batch), ("--seeds", seeds)] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, got \(value)")
        }
        let environment = try environment()
        _ = try parameters.constraints(armKeys: environment.armKeys)
        _ = try policies(armCount: environment.means.count)
    }

    /// The policies named by `--policy`.
    func policies(armCount: Int) throws -> [PolicyDescription] {
        let equal = PolicyDescription.fixed(weights: Dictionary(uniqueKeysWithValues: (0..<armCount).map { ("arm\($0)", 1.0) }))
        let gaussian = gaussianSD.map { PolicyDescription.RewardModel.normal(priorMean: 0, priorStandardDeviation: max(1, 10 * $0)) }
        let all = try parameters.adaptivePolicies(gaussian: gaussian)
        if policy == "all" { return all + [equal] }
        if policy == "equal" || policy == "fixed" { return [equal] }
        guard let match = all.first(where: { $0.name == policy }) else {
            throw ValidationError("Unknown --policy \(policy); use one of \((all.map(\.name) + ["fixed", "all"]).joined(separator: ", ")).")
        }
        return [match]
    }

    /// The environment described by `--arms` and `--gaussian-sd`.
    func environment() throws -> BanditEnvironment {
        let means = try arms.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { index, text -> Double in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                throw ValidationError("--arms: arm \(index + 1) is empty in '\(arms)'; give one mean per arm, separated by single commas.")
            }
            guard let value = Double(trimmed) else {
                throw ValidationError("--arms must be numbers separated by commas, got '\(trimmed)'.")
            }
            return value
        }
        guard means.count >= 2 else { throw ValidationError("--arms needs at least two arm means.") }
        do {
            return try BanditEnvironment(means: means, rewards: gaussianSD.map { .gaussian(standardDeviation: $0) } ?? .bernoulli)
        } catch {
            throw ValidationError("--arms: \(error.description)")
        }
    }

    /// Runs every requested policy and returns their curves.
    func simulate() throws -> [RegretCurve] {
        let environment = try environment()
        let settings = try BanditSimulator.Settings(
            decisions: decisions,
            batchSize: batch,
            seeds: seeds,
            firstSeed: seed,
            constraints: try parameters.constraints(armKeys: environment.armKeys)
        )
        return try policies(armCount: environment.means.count).map { try BanditSimulator.run($0, in: environment, settings: settings) }
    }

    /// The summary of `curves` in the chosen format.
    func summary(_ curves: [RegretCurve]) -> String {
        switch format {
        case .csv:
            return
                (["policy,mean_final_regret,standard_error"]
                + curves.map { "\($0.policy),\(String(format: "%.3f", $0.finalMean)),\(String(format: "%.3f", $0.finalStandardError))" })
                .joined(separator: "\n") + "\n"
        case .table:
            let width = max(6, curves.map(\.policy.count).max() ?? 0)
            func pad(_ s: String) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
            var lines = ["\(pad("policy"))  mean final regret  (SE)"]
            for c in curves {
                lines.append("\(pad(c.policy))  \(String(format: "%17.2f", c.finalMean))  (\(String(format: "%.2f", c.finalStandardError)))")
            }
            lines.append("arms \(arms), \(decisions) decisions, updates every \(batch), \(seeds) seeds")
            let constraints = (try? parameters.constraints(armKeys: (try? environment().armKeys) ?? [])) ?? .none
            lines.append(parameters.describe(constraints))
            return lines.joined(separator: "\n") + "\n"
        }
    }

    func run() throws {
        let curves = try simulate()
        print(summary(curves), terminator: "")
        if let svg {
            let title = "Mean cumulative regret, arms \(arms), batch \(batch), \(seeds) seeds"
            try RegretChart.svg(curves, title: title).write(toFile: svg, atomically: true, encoding: .utf8)
        }
    }
}
