/// Pre-period covariate sums of one arm for CUPED: z is the unit's pre-period value of the
/// metric (or any covariate unaffected by treatment), x its in-experiment value.
public struct CovariateStatistics: Sendable, Hashable, Codable {
    /// Σ z over the arm's units.
    public var sum: Double
    /// Σ z² over the arm's units.
    public var sumOfSquares: Double
    /// Σ x·z over the arm's units.
    public var crossProductSum: Double

    public init(sum: Double, sumOfSquares: Double, crossProductSum: Double) {
        self.sum = sum
        self.sumOfSquares = sumOfSquares
        self.crossProductSum = crossProductSum
    }
}

/// Both arms' CUPED-adjusted estimates and the θ used.
public struct CUPEDAdjustment: Sendable, Hashable, Codable {
    /// The control's adjusted estimate (its unadjusted mean is kept for relative lifts).
    public var control: ArmEstimate
    /// The treatment's adjusted estimate.
    public var treatment: ArmEstimate
    /// θ = cov(x, z) / var(z), pooled over both arms; 0 when it cannot be estimated.
    public var theta: Double
}

/// CUPED (Deng, Xu, Kohavi and Walker, WSDM 2013) as gbstats implements it: θ from the
/// pooled arms, then per arm x̄ − θz̄ with variance σ²ₓ + θ²σ²_z − 2θσ_xz, and the same
/// tests on the adjusted estimates. The metric may be a mean or a proportion; the covariate
/// is treated as a mean (sample variance). Ratio metrics are not adjusted.
public enum CUPED {
    /// Adjusts both arms; falls back to θ = 0 (no adjustment) when the pooled covariate or
    /// metric has no variance, as gbstats does.
    public static func adjust(
        control: (metric: SufficientStatistics, covariate: CovariateStatistics),
        treatment: (metric: SufficientStatistics, covariate: CovariateStatistics),
        kind: MetricKind
    ) -> CUPEDAdjustment {
        let theta = kind == .ratio ? 0 : pooledTheta(control, treatment, kind: kind)
        return CUPEDAdjustment(
            control: adjusted(control.metric, control.covariate, theta: theta, kind: kind),
            treatment: adjusted(treatment.metric, treatment.covariate, theta: theta, kind: kind),
            theta: theta
        )
    }

    /// θ = cov(x, z) / var(z) over the union of both arms (gbstats `compute_theta`).
    static func pooledTheta(
        _ a: (metric: SufficientStatistics, covariate: CovariateStatistics),
        _ b: (metric: SufficientStatistics, covariate: CovariateStatistics),
        kind: MetricKind
    ) -> Double {
        let metric = a.metric + b.metric
        let covariate = CovariateStatistics(
            sum: a.covariate.sum + b.covariate.sum,
            sumOfSquares: a.covariate.sumOfSquares + b.covariate.sumOfSquares,
            crossProductSum: a.covariate.crossProductSum + b.covariate.crossProductSum
        )
        let varianceZ = covariate.variance(count: metric.count)
        guard varianceZ > 0, metric.estimate(kind: kind).variance > 0 else { return 0 }
        return covariate.covariance(with: metric) / varianceZ
    }

    private static func adjusted(_ x: SufficientStatistics, _ z: CovariateStatistics, theta: Double, kind: MetricKind) -> ArmEstimate {
        let plain = x.estimate(kind: kind)
        guard theta != 0, x.count > 1 else { return plain }
        let zMean = z.sum / x.count
        let variance = plain.variance + theta * theta * z.variance(count: x.count) - 2 * theta * z.covariance(with: x)
        return ArmEstimate(count: x.count, mean: plain.mean - theta * zMean, unadjustedMean: plain.mean, variance: variance)
    }
}

extension CovariateStatistics {
    /// The sample variance of z over `count` units.
    func variance(count n: Double) -> Double {
        n > 1 ? max(0, (sumOfSquares - sum * sum / n) / (n - 1)) : 0
    }

    /// The sample covariance of x and z.
    func covariance(with x: SufficientStatistics) -> Double {
        x.count > 1 ? (crossProductSum - x.sum * sum / x.count) / (x.count - 1) : 0
    }
}
