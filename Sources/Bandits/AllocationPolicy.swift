/// An allocation policy: per-arm reward statistics in, the probability of choosing each arm out.
///
/// `update` counts the allocation updates made so far (0 for the first); policies with a
/// schedule (ε decay) read it. Policies that randomise draw only from `generator`, so equal
/// seeds and statistics give equal weights.
public protocol AllocationPolicy: Sendable {
    /// The description this policy was made from.
    var description: PolicyDescription { get }

    /// The weights for the next decisions given each arm's statistics, in the statistics' order.
    func weights<G: RandomNumberGenerator>(
        for statistics: [ArmStatistics],
        update: Int,
        using generator: inout G
    ) throws(BanditsError) -> ArmWeights
}

/// The one factory from policy descriptions to policies.
public enum AllocationPolicies {
    /// Validates `description` and returns the policy that implements it.
    public static func make(_ description: PolicyDescription) throws(BanditsError) -> any AllocationPolicy {
        try description.validate()
        return switch description {
        case .thompson(let model): ThompsonPolicy(model: model)
        case .topTwoThompson(let model, let beta): TopTwoThompsonPolicy(model: model, beta: beta)
        case .ucb1(let exploration): UCB1Policy(exploration: exploration)
        case .ucbTuned: UCBTunedPolicy()
        case .epsilonGreedy(let epsilon, let decay): EpsilonGreedyPolicy(epsilon: epsilon, decay: decay)
        case .softmax(let temperature): SoftmaxPolicy(temperature: temperature)
        case .fixed(let weights): FixedPolicy(weights: weights)
        }
    }
}

extension [ArmStatistics] {
    /// Checks there is at least one arm, keys are distinct and every statistic is usable.
    func validated() throws(BanditsError) -> [String] {
        guard !isEmpty else { throw .noArms }
        let arms = map(\.arm)
        guard Set(arms).count == arms.count else { throw .duplicateArms(arms) }
        for s in self {
            let r = s.reward
            guard r.count.isFinite, r.count >= 0, r.sum.isFinite, r.sumOfSquares.isFinite, r.sumOfSquares >= 0 else {
                throw .invalidStatistics(arm: s.arm)
            }
        }
        return arms
    }

    /// Total units over all arms (N in the UCB bonus).
    var totalCount: Double { reduce(0) { $0 + $1.reward.count } }
}
