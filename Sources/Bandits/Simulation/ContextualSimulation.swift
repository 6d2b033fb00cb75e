/// A contextual bandit run on a fixed, known environment: decision t sees context x_t, arm a
/// pays 1 when u_t < μ_a(x_t) (Bernoulli with the true mean μ_a(x_t), drawn from the given
/// uniform u_t), and the regret is Σ_t (max_a μ_a(x_t) − μ_chosen(x_t)). The policy is frozen
/// within a batch of decisions and learns the batch's rewards after it, as the decision
/// service serves one model version until the learner writes the next. Everything random is
/// in the environment (contexts, means, uniforms) or the seeded generator, so a reference
/// implementation run on the same environment (scripts/contextual_mabwiser_regret.py) faces
/// exactly the same decisions.
public struct ContextualEnvironment: Sendable {
    /// x_t, one row per decision (the intercept included when the model wants one).
    public var contexts: [[Double]]
    /// μ_a(x_t), one row per decision, one column per arm.
    public var means: [[Double]]
    /// u_t in [0, 1), one per decision.
    public var uniforms: [Double]

    /// An environment from its rows; throws when their counts or widths disagree.
    public init(contexts: [[Double]], means: [[Double]], uniforms: [Double]) throws(BanditsError) {
        guard contexts.count == means.count, means.count == uniforms.count, let arms = means.first?.count, arms > 0,
            means.allSatisfy({ $0.count == arms }), let d = contexts.first?.count, contexts.allSatisfy({ $0.count == d })
        else { throw .invalidWeights("the environment's contexts, means and uniforms must have one row per decision and equal widths") }
        self.contexts = contexts
        self.means = means
        self.uniforms = uniforms
    }

    /// The number of arms.
    public var armCount: Int { means.first?.count ?? 0 }

    /// Regret of always playing the best single arm (the arm with the highest mean over all
    /// decisions): what a non-contextual policy that found it would still lose.
    public var bestSingleArmRegret: Double {
        let totals = (0..<armCount).map { a in means.reduce(0) { $0 + $1[a] } }
        let best = totals.indices.max { totals[$0] < totals[$1] } ?? 0
        return means.reduce(0) { $0 + ($1.max() ?? 0) - $1[best] }
    }
}

/// Runs a contextual policy on a `ContextualEnvironment`.
public enum ContextualSimulation {
    /// The cumulative regret after each batch of `batch` decisions.
    public static func run<P: ContextualPolicy, G: RandomNumberGenerator>(
        _ policy: P,
        in environment: ContextualEnvironment,
        batch: Int,
        using generator: inout G
    ) throws(BanditsError) -> [Double] {
        try require(Double(batch), "batch", "at least 1") { $0 >= 1 }
        var policy = policy
        var regret = 0.0
        var curve: [Double] = []
        var start = 0
        let n = environment.contexts.count
        while start < n {
            let end = min(n, start + batch)
            var observed: [(context: [Double], arm: String, reward: Double)] = []
            for t in start..<end {
                let context = environment.contexts[t]
                let choice = try policy.choose(context: context, using: &generator)
                guard let index = policy.arms.firstIndex(of: choice.arm) else { throw .unknownArm(choice.arm) }
                let means = environment.means[t]
                regret += (means.max() ?? 0) - means[index]
                observed.append((context, choice.arm, environment.uniforms[t] < means[index] ? 1 : 0))
            }
            for o in observed { try policy.update(context: o.context, arm: o.arm, reward: o.reward) }
            curve.append(regret)
            start = end
        }
        return curve
    }
}
