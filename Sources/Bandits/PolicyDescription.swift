/// What allocation policy to run and with which parameters, separate from the code that
/// runs it (as in MABWiser): specs and the CLI build descriptions, validate them, and
/// `AllocationPolicies.make(_:)` turns one into a policy.
public enum PolicyDescription: Sendable, Hashable, Codable {
    /// Thompson sampling: each arm's weight is the posterior probability that it is the best.
    case thompson(RewardModel)
    /// Top-two Thompson sampling (Russo 2016): the posterior leader with probability `beta`,
    /// otherwise the challenger (the leader of a re-draw that differs from the first leader).
    case topTwoThompson(RewardModel, beta: Double)
    /// UCB1 (Auer et al. 2002): the arm with the highest mean + c·√(2 ln N / n).
    case ucb1(exploration: Double)
    /// UCB-Tuned (Auer et al. 2002): UCB1 with the bonus scaled by the arm's variance bound.
    case ucbTuned
    /// ε-greedy: ε spread equally over all arms, the rest on the best observed mean.
    case epsilonGreedy(epsilon: Double, decay: EpsilonDecay)
    /// Softmax (Boltzmann): weights proportional to exp(mean / temperature).
    case softmax(temperature: Double)
    /// Fixed weights per arm key (normalised to sum to 1).
    case fixed(weights: [String: Double])

    /// The reward model of a Thompson policy: the likelihood of one unit's reward and its prior.
    public enum RewardModel: Sendable, Hashable, Codable {
        /// 0/1 rewards with a Beta(alpha, beta) prior on the success rate.
        case bernoulli(priorAlpha: Double, priorBeta: Double)
        /// Real-valued rewards with a Normal(mean, sd²) prior on the arm's mean; the reward
        /// variance is the arm's sample variance (the prior sd² before two units are seen).
        case normal(priorMean: Double, priorStandardDeviation: Double)

        /// Bernoulli rewards with the uniform Beta(1, 1) prior (MABWiser's default).
        public static let uniformBernoulli = RewardModel.bernoulli(priorAlpha: 1, priorBeta: 1)
    }

    /// How ε shrinks with the update number t (0 for the first update).
    public enum EpsilonDecay: Sendable, Hashable, Codable {
        /// ε stays constant.
        case none
        /// ε_t = ε / (1 + rate·t).
        case inverse(rate: Double)
        /// ε_t = ε · 2^(−t / halfLife).
        case exponential(halfLife: Double)
    }

    /// The policy's name as the CLI and specs spell it.
    public var name: String {
        switch self {
        case .thompson: "thompson"
        case .topTwoThompson: "top_two_thompson"
        case .ucb1: "ucb1"
        case .ucbTuned: "ucb_tuned"
        case .epsilonGreedy: "epsilon_greedy"
        case .softmax: "softmax"
        case .fixed: "fixed"
        }
    }

    /// One description of each adaptive policy with its default parameters, in documentation order.
    public static let defaults: [PolicyDescription] = [
        .thompson(.uniformBernoulli),
        .topTwoThompson(.uniformBernoulli, beta: 0.5),
        .ucb1(exploration: 1),
        .ucbTuned,
        .epsilonGreedy(epsilon: 0.1, decay: .none),
        .softmax(temperature: 0.01),
    ]
}
