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
            (the first batch equally). Regret is Σ (best mean − chosen arm's mean), averaged over seeds.
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
        help: "Policy: thompson, top_two_thompson, ucb1, ucb_tuned, epsilon_greedy, softmax, equal, or all (each with default parameters)."
    )
    var policy: String = "thompson"

    @Option(help: "Reward standard deviation: Gaussian arms instead of Bernoulli.")
    var gaussianSD: Double?

    @Option(help: "Summary format: table or csv.")
    var format: Format = .table

    @Option(help: "Write an SVG line chart of the regret curves to this file.")
    var svg: String?

    /// The policies named by `--policy`.
    func policies(armCount: Int) throws -> [PolicyDescription] {
        let equal = PolicyDescription.fixed(weights: Dictionary(uniqueKeysWithValues: (0..<armCount).map { ("arm\($0)", 1.0) }))
        let gaussian = gaussianSD.map { PolicyDescription.RewardModel.normal(priorMean: 0, priorStandardDeviation: max(1, 10 * $0)) }
        let all = PolicyDescription.defaults.map { description -> PolicyDescription in
            guard let gaussian else { return description }
            switch description {
            case .thompson: return .thompson(gaussian)
            case .topTwoThompson(_, let beta): return .topTwoThompson(gaussian, beta: beta)
            default: return description
            }
        }
        if policy == "all" { return all + [equal] }
        if policy == "equal" { return [equal] }
        guard let match = all.first(where: { $0.name == policy }) else {
            throw ValidationError("Unknown policy \(policy); use one of \((all.map(\.name) + ["equal", "all"]).joined(separator: ", ")).")
        }
        return [match]
    }

    /// The environment described by `--arms` and `--gaussian-sd`.
    func environment() throws -> BanditEnvironment {
        let means = try arms.split(separator: ",").map { text -> Double in
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--arms must be numbers separated by commas, got \(text).")
            }
            return value
        }
        guard means.count >= 2 else { throw ValidationError("--arms needs at least two arm means.") }
        do {
            return try BanditEnvironment(means: means, rewards: gaussianSD.map { .gaussian(standardDeviation: $0) } ?? .bernoulli)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Runs every requested policy and returns their curves.
    func simulate() throws -> [RegretCurve] {
        let environment = try environment()
        let settings = try BanditSimulator.Settings(decisions: decisions, batchSize: batch, seeds: seeds, firstSeed: seed)
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
