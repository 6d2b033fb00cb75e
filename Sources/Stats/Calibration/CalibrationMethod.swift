/// The estimators the calibration compares, each giving both lifts of treatment over
/// control from the periods seen so far.
public enum CalibrationMethod: String, Sendable, Hashable, CaseIterable {
    /// `PostStratification`: per-arm means weighted by period size, cell variances shrunk
    /// toward the period's pooled one, the relative interval on the log scale (the report's
    /// estimator).
    case postStratified = "post-stratified"
    /// The same with the relative interval by the delta method (symmetric) instead.
    case postStratifiedDeltaRelative = "post-stratified, delta-method relative interval"
    /// The same with each cell's own variance (zero in a cell without conversions).
    case postStratifiedOwnVariance = "post-stratified, own cell variance"
    /// The same with the period's pooled variance in every cell.
    case postStratifiedPooledVariance = "post-stratified, pooled cell variance"
    /// The report's estimator before: per-period lifts combined with period-size weights,
    /// periods where an arm has no variance left out, the relative lift as the weighted
    /// mean of per-period ratios.
    case perPeriodLifts = "per-period lifts (before)"
    /// Inverse-propensity weighting (Horvitz–Thompson) with the logged treatment shares.
    case inversePropensity = "inverse propensity"
    /// All units of an arm pooled, ignoring the periods.
    case pooled = "pooled"

    /// What a method says about one experiment: both lifts, and the relative interval when
    /// the method has one of its own (else the symmetric one from `relative`).
    public struct Analysis: Sendable {
        public var absolute: Lift?
        public var relative: Lift?
        public var relativeInterval: Interval?

        public init(absolute: Lift? = nil, relative: Lift? = nil, relativeInterval: Interval? = nil) {
            self.absolute = absolute
            self.relative = relative
            self.relativeInterval = relativeInterval
        }
    }

    /// The absolute and relative lifts (nil when the method cannot test) from `periods`.
    public func lifts(
        periods: [[String: SufficientStatistics]],
        treatmentShares: [Double],
        kind: MetricKind,
        alpha: Double = 0.05
    ) -> Analysis {
        let arms = CalibrationScenario.arms
        func fromEstimate(_ e: PostStratifiedEstimate, logInterval: Bool = true) -> Analysis {
            Analysis(
                absolute: try? e.lift(control: arms[0], treatment: arms[1], scale: .absolute),
                relative: try? e.lift(control: arms[0], treatment: arms[1], scale: .relative),
                relativeInterval: logInterval ? e.logRelativeTest(control: arms[0], treatment: arms[1], alpha: alpha)?.interval : nil
            )
        }
        switch self {
        case .postStratified:
            return fromEstimate(PostStratification.estimate(periods: periods, arms: arms, kind: kind))
        case .postStratifiedDeltaRelative:
            return fromEstimate(PostStratification.estimate(periods: periods, arms: arms, kind: kind), logInterval: false)
        case .postStratifiedOwnVariance:
            return fromEstimate(PostStratification.estimate(periods: periods, arms: arms, kind: kind, cellVariance: .own))
        case .postStratifiedPooledVariance:
            return fromEstimate(PostStratification.estimate(periods: periods, arms: arms, kind: kind, cellVariance: .pooledWithinPeriod))
        case .pooled:
            let merged = periods.reduce(into: [String: SufficientStatistics]()) { total, period in
                for (key, s) in period { total[key] = (total[key] ?? .zero) + s }
            }
            return fromEstimate(PostStratification.estimate(periods: [merged], arms: arms, kind: kind, cellVariance: .own), logInterval: false)
        case .perPeriodLifts:
            let strata = periods.map { PeriodStatistics(control: $0[arms[0]] ?? .zero, treatment: $0[arms[1]] ?? .zero) }
            func lift(_ scale: LiftScale) -> Lift? {
                let r = StratifiedAnalysis.compute(periods: strata, kind: kind, config: FrequentistConfig(scale: scale))
                guard r.standardError.isFinite, r.standardError > 0 else { return nil }
                return Lift(estimate: r.estimate, variance: r.standardError * r.standardError)
            }
            return Analysis(absolute: lift(.absolute), relative: lift(.relative))
        case .inversePropensity:
            let (absolute, relative) = inversePropensity(periods: periods, treatmentShares: treatmentShares, kind: kind)
            return Analysis(absolute: absolute, relative: relative)
        }
    }

    /// Horvitz–Thompson means Σ x/(N·w) per arm (and of the denominators for ratios), with
    /// the Bernoulli-design variance Σ r²(1 − w)/(N·w)² of the linearised residuals
    /// r = x − m·y.
    private func inversePropensity(
        periods: [[String: SufficientStatistics]],
        treatmentShares: [Double],
        kind: MetricKind
    ) -> (absolute: Lift?, relative: Lift?) {
        let arms = CalibrationScenario.arms
        let total = periods.reduce(0.0) { $0 + ($1[arms[0]]?.count ?? 0) + ($1[arms[1]]?.count ?? 0) }
        guard total > 0 else { return (nil, nil) }
        var means = [Double](repeating: 0, count: 2)
        var variances = [Double](repeating: 0, count: 2)
        for (index, arm) in arms.enumerated() {
            var (x, y) = (0.0, 0.0)
            for (period, share) in zip(periods, treatmentShares) {
                let w = index == 1 ? share : 1 - share
                guard let s = period[arm], w > 0 else { continue }
                x += s.sum / w
                y += (kind == .ratio ? (s.denominatorSum ?? 0) : s.count) / w
            }
            guard y > 0 else { return (nil, nil) }
            let m = x / y
            means[index] = m
            var v = 0.0
            for (period, share) in zip(periods, treatmentShares) {
                let w = index == 1 ? share : 1 - share
                guard let s = period[arm], w > 0 else { continue }
                let yy = kind == .ratio ? (s.denominatorSumOfSquares ?? 0) : s.count
                let xy = kind == .ratio ? (s.crossProductSum ?? 0) : s.sum
                let residualSquares = s.sumOfSquares - 2 * m * xy + m * m * yy
                v += residualSquares * (1 - w) / (w * w)
            }
            variances[index] = v / (y * y)
        }
        guard variances[0] + variances[1] > 0, means[0] != 0 else { return (nil, nil) }
        let m2 = means[0] * means[0]
        return (
            Lift(estimate: means[1] - means[0], variance: variances[0] + variances[1]),
            Lift(estimate: means[1] / means[0] - 1, variance: variances[1] / m2 + means[1] * means[1] * variances[0] / (m2 * m2))
        )
    }
}
