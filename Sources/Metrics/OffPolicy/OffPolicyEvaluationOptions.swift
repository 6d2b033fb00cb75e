/// How to run an off-policy evaluation: reward model, bootstrap size and seed, interval level and the
/// thresholds behind the support warnings.
public struct OffPolicyEvaluationOptions: Sendable, Hashable {
    /// The reward model for the direct method and doubly robust, refitted in every bootstrap replicate.
    public var rewardModel: RewardModelKind
    /// Bootstrap replicates B for the percentile interval.
    public var bootstrapReplicates: Int
    /// Seed of the bootstrap's SplitMix64 generator.
    public var seed: UInt64
    /// Interval confidence level.
    public var confidence: Double
    /// Logging propensities below this count as near zero for the support warning.
    public var propensityThreshold: Double
    /// Warn when the effective sample size falls below this share of the logged decisions.
    public var effectiveSampleShareThreshold: Double

    public init(
        rewardModel: RewardModelKind = .perActionMean,
        bootstrapReplicates: Int = 500,
        seed: UInt64 = 0,
        confidence: Double = 0.95,
        propensityThreshold: Double = 0.01,
        effectiveSampleShareThreshold: Double = 0.05
    ) {
        self.rewardModel = rewardModel
        self.bootstrapReplicates = bootstrapReplicates
        self.seed = seed
        self.confidence = confidence
        self.propensityThreshold = propensityThreshold
        self.effectiveSampleShareThreshold = effectiveSampleShareThreshold
    }
}
