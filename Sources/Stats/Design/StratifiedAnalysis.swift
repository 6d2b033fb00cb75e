/// One period of constant allocation: each arm's statistics accumulated within it.
public struct PeriodStatistics: Sendable, Hashable, Codable {
    /// The control arm's statistics in the period.
    public var control: SufficientStatistics
    /// The treatment arm's statistics in the period.
    public var treatment: SufficientStatistics

    public init(control: SufficientStatistics, treatment: SufficientStatistics) {
        self.control = control
        self.treatment = treatment
    }
}

/// How per-period lifts are combined.
public enum PeriodWeighting: String, Sendable, Hashable, Codable, CaseIterable {
    /// w_p ∝ units in the period (both arms): estimates the lift averaged over the traffic
    /// of the whole experiment, unbiased however the allocation moved (post-stratification).
    case periodSize
    /// w_p ∝ 1/V_p: the minimum-variance combination when the lift is the same in every
    /// period (fixed-effect meta-analysis); periods starved of traffic count little.
    case inverseVariance
}

/// Analysis under changing allocations (bandits): the lift is estimated within each period
/// of constant weights and the estimates are combined, so a drift of the base rate that
/// coincides with a shift of traffic cannot masquerade as a lift (Simpson's paradox).
/// Δ = Σ w_p Δ_p, Var = Σ w_p² V_p, a z test on Δ / √Var.
public enum StratifiedAnalysis {
    /// Combines the periods; periods where an arm cannot be tested are skipped and named
    /// in the message.
    public static func compute(
        periods: [PeriodStatistics],
        kind: MetricKind,
        weighting: PeriodWeighting = .periodSize,
        config: FrequentistConfig = .init()
    ) -> FrequentistResult {
        let method = "per-period lifts combined with \(weighting == .periodSize ? "period-size" : "inverse-variance") weights, z test"
        var lifts: [(lift: Lift, units: Double)] = []
        var skipped = 0
        for period in periods {
            let a = period.control.estimate(kind: kind)
            let b = period.treatment.estimate(kind: kind)
            if let lift = try? Lift.between(control: a, treatment: b, scale: config.scale) {
                lifts.append((lift, a.count + b.count))
            } else {
                skipped += 1
            }
        }
        guard !lifts.isEmpty else { return .degenerate(.tooFewUnits, scale: config.scale, method: method) }
        let raw = lifts.map { weighting == .periodSize ? $0.units : 1 / $0.lift.variance }
        let total = raw.reduce(0, +)
        var estimate = 0.0
        var variance = 0.0
        for (item, w) in zip(lifts, raw) {
            estimate += w / total * item.lift.estimate
            variance += (w / total) * (w / total) * item.lift.variance
        }
        let se = variance.squareRoot()
        let z = (estimate - config.nullValue) / se
        return FrequentistResult(
            method: method,
            scale: config.scale,
            estimate: estimate,
            standardError: se,
            statistic: z,
            degreesOfFreedom: nil,
            pValue: Pivot.pValue(z, alternative: config.alternative, survival: Normal.survival),
            interval: Pivot.interval(
                estimate: estimate,
                standardError: se,
                alpha: config.alpha,
                alternative: config.alternative,
                quantile: Normal.quantile
            ),
            message: skipped > 0 ? "\(skipped) period(s) without testable data in both arms were left out." : nil
        )
    }
}
