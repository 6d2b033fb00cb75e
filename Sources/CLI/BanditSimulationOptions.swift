import ArgumentParser
import Bandits
import Spec

/// The flags of `abctl simulate-bandit` that an experiment spec also sets: the allocation's
/// constraints and the policies' parameters. Each defaults to what a spec gets when it leaves
/// the field out (`BanditSpec`'s defaults and `BanditPolicyName.parameters`), so a simulation
/// run with no flags shows what an experiment with the same arms would do.
struct BanditSimulationOptions: ParsableArguments {
    /// A spec's allocation with every field left out: the source of the constraint defaults.
    static let specDefaults = BanditSpec(policy: .thompson, reward: MetricName(.conversion))

    /// The default a spec documents for `parameter` of `policy`.
    static func documented(_ policy: BanditPolicyName, _ parameter: String) -> Double {
        policy.parameters.first { $0.name == parameter }?.defaultValue.flatMap(Double.init) ?? .nan
    }

    @Option(help: "Units every arm needs before the policy may move the weights from equal (spec burn_in; default \(specDefaults.burnIn)).")
    var burnIn: Int?

    @Option(help: "Smallest weight of any arm but the control (spec min_weight; default \(specDefaults.minWeight)).")
    var minWeight: Double?

    @Option(help: "Largest change of any arm's weight in one update, in (0, 1] (spec max_change; default \(specDefaults.maxChange), no limit).")
    var maxChange: Double?

    @Option(
        help:
            "Share of traffic reserved for the first arm of --arms as the control, in [0, 1) (spec control_share; default \(specDefaults.controlShare))."
    )
    var controlShare: Double?

    @Flag(help: "No burn-in, floor, change limit or control share: the policy's weights as they are (MABWiser's setting).")
    var noConstraints = false

    @Option(help: "Beta prior successes of Thompson policies on 0/1 rewards (spec prior_alpha; default \(documented(.thompson, "prior_alpha"))).")
    var priorAlpha: Double?

    @Option(help: "Beta prior failures of Thompson policies on 0/1 rewards (spec prior_beta; default \(documented(.thompson, "prior_beta"))).")
    var priorBeta: Double?

    @Option(
        help:
            "Top-two Thompson's chance of playing the leader (spec top_two_probability; default \(documented(.topTwoThompson, "top_two_probability")))."
    )
    var topTwoProbability: Double?

    @Option(help: "UCB1's exploration constant c (spec exploration; default √2 = \(documented(.ucb1, "exploration"))).")
    var exploration: Double?

    @Option(help: "ε-greedy's share of random exploration (spec epsilon; default \(documented(.epsilonGreedy, "epsilon"))).")
    var epsilon: Double?

    @Option(help: "Softmax temperature (spec temperature; default \(documented(.softmax, "temperature"))).")
    var temperature: Double?

    /// The constraints in force for `armKeys` (the first is the control when a share is reserved).
    func constraints(armKeys: [String]) throws -> AllocationConstraints {
        if noConstraints {
            let given = [
                ("--burn-in", burnIn != nil), ("--min-weight", minWeight != nil), ("--max-change", maxChange != nil),
                ("--control-share", controlShare != nil),
            ]
            if let flag = given.first(where: \.1)?.0 {
                throw ValidationError("--no-constraints turns every constraint off; drop it or \(flag)")
            }
            return .none
        }
        let defaults = Self.specDefaults
        let burnIn = self.burnIn ?? defaults.burnIn
        guard burnIn >= 0 else { throw ValidationError("--burn-in must be 0 or more units, got \(burnIn)") }
        let maxChange = self.maxChange ?? defaults.maxChange
        guard maxChange > 0 && maxChange <= 1 else { throw ValidationError("--max-change must be in (0, 1], got \(maxChange)") }
        let share = controlShare ?? defaults.controlShare
        guard share >= 0 && share < 1 else { throw ValidationError("--control-share must be in [0, 1), got \(share)") }
        let floor = minWeight ?? defaults.minWeight
        guard floor >= 0 && floor <= 1 else { throw ValidationError("--min-weight must be in [0, 1], got \(floor)") }
        let constraints = AllocationConstraints(
            burnInUnits: Double(burnIn),
            floor: floor,
            maxChange: maxChange < 1 ? maxChange : nil,
            control: share > 0 ? .init(arm: armKeys.first ?? "", share: share) : nil
        )
        do {
            try constraints.validate(armCount: armKeys.count)
        } catch {
            throw ValidationError("--min-weight \(floor) and --control-share \(share): \(error.description)")
        }
        return constraints
    }

    /// Every adaptive policy, in documentation order, with these flags' parameters; `gaussian`
    /// replaces the Beta prior of the Thompson policies for Gaussian arms.
    func adaptivePolicies(gaussian: PolicyDescription.RewardModel?) throws -> [PolicyDescription] {
        let beta = PolicyDescription.RewardModel.bernoulli(
            priorAlpha: priorAlpha ?? Self.documented(.thompson, "prior_alpha"),
            priorBeta: priorBeta ?? Self.documented(.thompson, "prior_beta")
        )
        let model = gaussian ?? beta
        let policies: [(PolicyDescription, [String])] = [
            (.thompson(model), ["--prior-alpha", "--prior-beta"]),
            (.topTwoThompson(model, beta: topTwoProbability ?? Self.documented(.topTwoThompson, "top_two_probability")), ["--top-two-probability"]),
            (.ucb1(exploration: exploration ?? Self.documented(.ucb1, "exploration")), ["--exploration"]),
            (.ucbTuned, []),
            (.epsilonGreedy(epsilon: epsilon ?? Self.documented(.epsilonGreedy, "epsilon"), decay: .none), ["--epsilon"]),
            (.softmax(temperature: temperature ?? Self.documented(.softmax, "temperature")), ["--temperature"]),
        ]
        for (policy, flags) in policies {
            do {
                _ = try AllocationPolicies.make(policy)
            } catch {
                throw ValidationError("\(flags.joined(separator: " or ")): \(error.description)")
            }
        }
        return policies.map(\.0)
    }

    /// The parameters in force, for the summary's last line.
    func describe(_ constraints: AllocationConstraints) -> String {
        guard constraints != .none else { return "no constraints" }
        var parts = ["burn-in \(Int(constraints.burnInUnits))", "min weight \(constraints.floor)"]
        parts.append(constraints.maxChange.map { "max change \($0)" } ?? "no change limit")
        if let control = constraints.control { parts.append("\(control.arm) reserved \(control.share)") }
        return parts.joined(separator: ", ")
    }
}
