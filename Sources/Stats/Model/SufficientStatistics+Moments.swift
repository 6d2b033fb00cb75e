/// Means and variances of the sufficient statistics, per metric kind.
extension SufficientStatistics {
    /// Σx / n, or 0 with no units.
    public var mean: Double { count > 0 ? sum / count : 0 }

    /// The sample variance (Σx² − (Σx)²/n) / (n − 1), or 0 with fewer than two units.
    public var sampleVariance: Double {
        count > 1 ? max(0, (sumOfSquares - sum * sum / count) / (count - 1)) : 0
    }

    /// Σy / n for ratio metrics.
    public var denominatorMean: Double { count > 0 ? (denominatorSum ?? 0) / count : 0 }

    /// The sample variance of the per-unit denominators.
    public var denominatorSampleVariance: Double {
        guard count > 1, let sy = denominatorSum, let syy = denominatorSumOfSquares else { return 0 }
        return max(0, (syy - sy * sy / count) / (count - 1))
    }

    /// The sample covariance of per-unit numerator and denominator.
    public var numeratorDenominatorCovariance: Double {
        guard count > 1, let sy = denominatorSum, let sxy = crossProductSum else { return 0 }
        return (sxy - sum * sy / count) / (count - 1)
    }

    /// The arm's estimate for a metric of the given kind. Ratios use the delta method:
    /// Var(x̄/ȳ)·n ≈ σ²ₓ/ȳ² − 2σₓᵧx̄/ȳ³ + x̄²σ²ᵧ/ȳ⁴ (gbstats `RatioStatistic`).
    public func estimate(kind: MetricKind) -> ArmEstimate {
        switch kind {
        case .mean:
            return ArmEstimate(count: count, mean: mean, variance: sampleVariance)
        case .proportion:
            let p = mean
            return ArmEstimate(count: count, mean: p, variance: p * (1 - p))
        case .ratio:
            let mx = mean
            let my = denominatorMean
            guard my != 0 else { return ArmEstimate(count: count, mean: 0, variance: 0) }
            let variance =
                sampleVariance / (my * my) - 2 * numeratorDenominatorCovariance * mx / (my * my * my)
                + mx * mx * denominatorSampleVariance / (my * my * my * my)
            return ArmEstimate(count: count, mean: mx / my, variance: variance)
        }
    }

    /// Why statistics of this kind cannot be tested, or nil when they can.
    public func degeneracy(kind: MetricKind) -> Degeneracy? {
        if kind == .ratio, count > 0, (denominatorSum ?? 0) == 0 { return .zeroDenominator }
        return estimate(kind: kind).degeneracy
    }
}
