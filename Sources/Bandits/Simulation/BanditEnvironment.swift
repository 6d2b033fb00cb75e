import Stats

/// Arms with known true mean rewards, for measuring a policy's regret.
public struct BanditEnvironment: Sendable, Hashable, Codable {
    /// The reward distribution of every arm.
    public enum Rewards: Sendable, Hashable, Codable {
        /// 0/1 rewards; the means are success probabilities.
        case bernoulli
        /// Normal rewards with this standard deviation around each arm's mean.
        case gaussian(standardDeviation: Double)
    }

    /// Each arm's true mean reward.
    public var means: [Double]
    /// How rewards are distributed around the means.
    public var rewards: Rewards

    /// Creates an environment, checking means (probabilities for Bernoulli) and the standard deviation.
    public init(means: [Double], rewards: Rewards = .bernoulli) throws(BanditsError) {
        guard !means.isEmpty else { throw .noArms }
        for m in means {
            switch rewards {
            case .bernoulli: try require(m, "arm mean", "a probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
            case .gaussian: try require(m, "arm mean", "finite") { $0.isFinite }
            }
        }
        if case .gaussian(let sd) = rewards { try require(sd, "reward standard deviation", "finite and ≥ 0") { $0.isFinite && $0 >= 0 } }
        self.means = means
        self.rewards = rewards
    }

    /// Arm keys used in simulations: "arm0", "arm1", …
    public var armKeys: [String] { means.indices.map { "arm\($0)" } }

    /// The statistics of `units` rewards of arm `arm`, drawn in one step with the exact law of
    /// their sufficient statistics. Bernoulli: Σx ~ Binomial(n, μ) and Σx² = Σx. Gaussian
    /// (Cochran's theorem): the sample mean x̄ ~ N(μ, σ²/n) is independent of
    /// Σ(x − x̄)² ~ σ²·χ²(n − 1); then Σx = n·x̄ and Σx² = Σ(x − x̄)² + n·x̄².
    func rewardStatistics<G: RandomNumberGenerator>(arm: Int, units n: Int, using generator: inout G) -> SufficientStatistics {
        guard n > 0 else { return .zero }
        let mean = means[arm]
        switch rewards {
        case .bernoulli:
            let s = Double(DiscreteVariates.binomial(trials: n, probability: mean, using: &generator))
            return SufficientStatistics(count: Double(n), sum: s, sumOfSquares: s)
        case .gaussian(let sd):
            let count = Double(n)
            let sampleMean = RandomVariates.normal(mean: mean, standardDeviation: sd / count.squareRoot(), using: &generator)
            let within = sd * sd * DiscreteVariates.chiSquared(degreesOfFreedom: n - 1, using: &generator)
            return SufficientStatistics(count: count, sum: count * sampleMean, sumOfSquares: within + count * sampleMean * sampleMean)
        }
    }
}
