/// What the evaluator knows about a metric when comparing arms on it.
public struct MetricSpec: Sendable, Hashable, Codable {
    /// The metric's name (conversion, ctr, ndcg@10).
    public var name: String
    /// How the per-unit values are summarised.
    public var kind: MetricKind
    /// Which way is better.
    public var direction: Direction
    /// The tolerance when the metric is a guardrail; nil otherwise.
    public var guardrail: Guardrail?
    /// The minimum detectable relative effect the experiment is sized for (0.05 = 5%).
    public var minimumDetectableEffect: Double?

    public init(
        name: String,
        kind: MetricKind,
        direction: Direction = .higherIsBetter,
        guardrail: Guardrail? = nil,
        minimumDetectableEffect: Double? = nil
    ) {
        self.name = name
        self.kind = kind
        self.direction = direction
        self.guardrail = guardrail
        self.minimumDetectableEffect = minimumDetectableEffect
    }
}

/// One arm's data for one metric, as the SQL evaluator returns it.
public struct ArmData: Sendable, Hashable, Codable {
    /// The arm's key.
    public var arm: String
    /// The metric's sufficient statistics over the arm's units.
    public var statistics: SufficientStatistics
    /// Pre-period covariate sums for CUPED; nil when no covariate is available.
    public var covariate: CovariateStatistics?

    public init(arm: String, statistics: SufficientStatistics, covariate: CovariateStatistics? = nil) {
        self.arm = arm
        self.statistics = statistics
        self.covariate = covariate
    }
}

/// Analysis settings shared by every comparison of an experiment.
public struct AnalysisSettings: Sendable, Hashable, Codable {
    /// The significance level (and 1 − interval coverage).
    public var alpha: Double
    /// Whether decisions use the always-valid p-value (safe to peek) or the fixed-horizon one.
    public var sequential: Bool
    /// The total sample size at which the confidence sequence is tightest.
    public var sequentialTuningSampleSize: Double
    /// The Beta prior of conversion rates.
    public var betaPrior: BetaDistribution
    /// The normal prior on the relative lift; nil for the flat prior.
    public var liftPrior: GaussianPrior?
    /// The power the experiment is sized for.
    public var targetPower: Double
    /// The correction across arms × metrics.
    public var multipleTesting: MultipleTestingMethod

    public init(
        alpha: Double = 0.05,
        sequential: Bool = true,
        sequentialTuningSampleSize: Double = 5000,
        betaPrior: BetaDistribution = BetaDistribution(alpha: 1, beta: 1),
        liftPrior: GaussianPrior? = nil,
        targetPower: Double = 0.8,
        multipleTesting: MultipleTestingMethod = .holm
    ) {
        self.alpha = alpha
        self.sequential = sequential
        self.sequentialTuningSampleSize = sequentialTuningSampleSize
        self.betaPrior = betaPrior
        self.liftPrior = liftPrior
        self.targetPower = targetPower
        self.multipleTesting = multipleTesting
    }
}
