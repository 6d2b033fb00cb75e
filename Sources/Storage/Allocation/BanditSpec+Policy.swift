import Bandits
import Spec

extension BanditSpec {
    /// The number a policy parameter was given in the spec, else the default the spec
    /// documents for it (`BanditPolicyName.parameters`), else `fallback`.
    func number(_ parameter: String, fallback: Double) -> Double {
        if let value = params[parameter]?.number { return value }
        let documented = policy.parameters.first { $0.name == parameter }?.defaultValue
        return documented.flatMap(Double.init) ?? fallback
    }

    /// The Bandits description of this spec's policy for `reward`, or nil for the contextual
    /// policies, which choose per request and have no arm-level weights.
    func policyDescription(for reward: RewardMetric) -> PolicyDescription? {
        let model = reward.rewardModel(priorAlpha: number("prior_alpha", fallback: 1), priorBeta: number("prior_beta", fallback: 1))
        return switch policy {
        case .thompson: .thompson(model)
        case .topTwoThompson: .topTwoThompson(model, beta: number("top_two_probability", fallback: 0.5))
        case .ucb1: .ucb1(exploration: number("exploration", fallback: 2.0.squareRoot()))
        case .ucbTuned: .ucbTuned
        case .epsilonGreedy: .epsilonGreedy(epsilon: number("epsilon", fallback: 0.1), decay: .none)
        case .softmax: .softmax(temperature: number("temperature", fallback: 0.1))
        case .linucb, .linearThompson: nil
        }
    }

    /// The spec's limits as Bandits constraints: burn-in units, the floor, the change limit
    /// (none when max_change is 1), the control's reserved share, and the arms' initial
    /// weights (normalised) as the weights in force during burn-in.
    func constraints(arms: [ArmSpec]) -> AllocationConstraints {
        let total = arms.reduce(0) { $0 + max(0, $1.weight) }
        let initial = total > 0 ? try? ArmWeights(arms: arms.map(\.key), values: arms.map { max(0, $0.weight) / total }) : nil
        let control = arms.first(where: \.isControl).flatMap { arm in
            controlShare > 0 ? AllocationConstraints.ReservedShare(arm: arm.key, share: controlShare) : nil
        }
        return AllocationConstraints(
            burnInUnits: Double(burnIn),
            floor: minWeight,
            maxChange: maxChange < 1 ? maxChange : nil,
            control: control,
            initialWeights: initial
        )
    }
}
