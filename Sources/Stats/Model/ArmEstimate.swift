/// One arm's estimate of a metric mean: the input of every test. It comes from
/// `SufficientStatistics.estimate(kind:)` or from CUPED, which changes the mean and the
/// variance but keeps the unadjusted mean as the denominator of relative lifts (as gbstats).
public struct ArmEstimate: Sendable, Hashable, Codable {
    /// Number of units.
    public var count: Double
    /// The (possibly adjusted) mean or ratio.
    public var mean: Double
    /// The mean before any variance reduction; the base of relative lifts.
    public var unadjustedMean: Double
    /// The per-unit variance, so that Var(mean) = variance / count.
    public var variance: Double

    public init(count: Double, mean: Double, unadjustedMean: Double? = nil, variance: Double) {
        self.count = count
        self.mean = mean
        self.unadjustedMean = unadjustedMean ?? mean
        self.variance = variance
    }

    /// Var(mean) = σ² / n.
    public var varianceOfMean: Double { variance / count }

    /// Why this arm cannot be tested, or nil when it can.
    public var degeneracy: Degeneracy? {
        if !(count.isFinite && mean.isFinite && variance.isFinite && unadjustedMean.isFinite) { return .nonFiniteInput }
        if count <= 0 { return .emptyArm }
        if count < 2 { return .tooFewUnits }
        if variance <= 0 { return .zeroVariance }
        return nil
    }
}
