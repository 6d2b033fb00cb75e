import Strategies

extension BanditPolicyName {
    /// The policy parameters each policy accepts, with their kinds, ranges and defaults;
    /// written flat under `allocation:` next to `policy:`.
    public var parameters: [ParameterDescription] {
        let priors = [
            ParameterDescription(
                name: "prior_alpha",
                kind: .real(minimum: 0, maximum: nil),
                defaultValue: "1",
                summary: "Beta prior successes (must be > 0)."
            ),
            ParameterDescription(
                name: "prior_beta",
                kind: .real(minimum: 0, maximum: nil),
                defaultValue: "1",
                summary: "Beta prior failures (must be > 0)."
            ),
        ]
        let features = ParameterDescription(
            name: "features",
            kind: .text,
            defaultValue: nil,
            summary: "Context attributes used as features (a list of names)."
        )
        switch self {
        case .thompson: return priors
        case .topTwoThompson:
            return priors + [
                ParameterDescription(
                    name: "top_two_probability",
                    kind: .real(minimum: 0, maximum: 1),
                    defaultValue: "0.5",
                    summary: "Chance of playing the leader."
                )
            ]
        case .ucb1:
            return [
                ParameterDescription(
                    name: "exploration",
                    kind: .real(minimum: 0, maximum: nil),
                    defaultValue: "1.4142135623730951",
                    summary: "Exploration constant c."
                )
            ]
        case .ucbTuned: return []
        case .epsilonGreedy:
            return [
                ParameterDescription(
                    name: "epsilon",
                    kind: .real(minimum: 0, maximum: 1),
                    defaultValue: "0.1",
                    summary: "Share of random exploration."
                )
            ]
        case .softmax:
            return [
                ParameterDescription(
                    name: "temperature",
                    kind: .real(minimum: 0, maximum: nil),
                    defaultValue: "0.1",
                    summary: "Boltzmann temperature (must be > 0)."
                )
            ]
        case .linucb:
            return [
                features,
                ParameterDescription(
                    name: "alpha",
                    kind: .real(minimum: 0, maximum: nil),
                    defaultValue: "1",
                    summary: "Width of the confidence bound."
                ),
            ]
        case .linearThompson:
            return [
                features,
                ParameterDescription(
                    name: "posterior_scale",
                    kind: .real(minimum: 0, maximum: nil),
                    defaultValue: "1",
                    summary: "Scale v of the posterior (must be > 0)."
                ),
            ]
        }
    }

    /// Whether the policy uses context features.
    public var isContextual: Bool { self == .linucb || self == .linearThompson }
}
