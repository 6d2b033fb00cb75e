import Stats

/// The reward statistics of one arm as the allocator sees them: additive sufficient
/// statistics of the per-unit (or per-impression) reward. For Bernoulli rewards
/// `reward.sum` is the number of successes and `reward.count` the number of trials.
public struct ArmStatistics: Sendable, Hashable, Codable {
    /// The arm's key, as in the experiment spec.
    public var arm: String
    /// Count, Σ reward and Σ reward² over the arm's units.
    public var reward: SufficientStatistics

    /// Creates the statistics of `arm`.
    public init(arm: String, reward: SufficientStatistics) {
        self.arm = arm
        self.reward = reward
    }

    /// Statistics of a Bernoulli arm: `successes` out of `trials`.
    public init(arm: String, successes: Double, trials: Double) {
        self.init(arm: arm, reward: SufficientStatistics(count: trials, sum: successes, sumOfSquares: successes))
    }

    /// The observed mean reward, or nil when the arm has no units yet.
    public var mean: Double? {
        reward.count > 0 ? reward.sum / reward.count : nil
    }

    /// The observed (population) variance of the reward, 0 when fewer than two units.
    public var variance: Double {
        guard reward.count > 1 else { return 0 }
        let m = reward.sum / reward.count
        return max(0, reward.sumOfSquares / reward.count - m * m)
    }
}
