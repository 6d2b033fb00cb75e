import RealModule

/// Settings of the always-valid test.
public struct SequentialConfig: Sendable, Hashable, Codable {
    /// The significance level; the confidence sequence has coverage 1 − alpha at all looks.
    public var alpha: Double
    /// The total sample size n* (both arms) at which the confidence sequence is tightest;
    /// it fixes the mixing variance (gbstats' `sequential_tuning_parameter`, default 5000).
    public var tuningSampleSize: Double
    /// Whether the lift is absolute or relative.
    public var scale: LiftScale
    /// The lift under the null hypothesis.
    public var nullValue: Double

    public init(alpha: Double = 0.05, tuningSampleSize: Double = 5000, scale: LiftScale = .relative, nullValue: Double = 0) {
        self.alpha = alpha
        self.tuningSampleSize = tuningSampleSize
        self.scale = scale
        self.nullValue = nullValue
    }

    /// ρ² = (−2 ln α + ln(1 − 2 ln α)) / n*, the mixing variance per unit of per-unit
    /// variance (Waudby-Smith et al. 2023, eq. 161), so that the boundary is tightest at n*.
    public var mixingPrecisionRatio: Double {
        let l = -2 * Double.log(alpha)
        return (l + Double.log(onePlus: l)) / tuningSampleSize
    }
}

/// The outcome of the always-valid test at one look.
public struct SequentialResult: Sendable, Hashable, Codable {
    /// The lift's scale.
    public var scale: LiftScale
    /// The point estimate of the lift.
    public var estimate: Double
    /// The always-valid p-value at this look (1 / mixture likelihood ratio, capped at 1).
    public var pValue: Double
    /// The confidence sequence at this look: covers the true lift at every look at once.
    public var interval: Interval
    /// The mixing variance τ² used, on the scale of the lift.
    public var mixingVariance: Double
    /// Why the test could not run; nil when it did.
    public var message: String?
}

/// The normal-mixture sequential probability ratio test (mSPRT, Johari, Koomen, Pekelis and
/// Walsh 2017) for a lift with estimate Δ̂ and variance V at a look, mixing N(θ₀, τ²) over
/// the alternative:
///   Λ = √(V/(V + τ²)) · exp(τ²(Δ̂ − θ₀)² / (2V(V + τ²))),  p = min(1, 1/Λ),
/// and its confidence sequence Δ̂ ± √(V(V + τ²)/τ² · (2 ln(1/α) + ln((V + τ²)/V))).
/// With τ² = ρ²·N·V (N units in both arms, N·V the per-unit variance) this is exactly the
/// asymptotic confidence sequence of Waudby-Smith et al. (2023) that gbstats'
/// `SequentialTwoSidedTTest` implements.
public enum MixtureSPRT {
    /// The p-value and confidence sequence at one look, from the statistics at that look.
    /// Taking the running minimum over looks (`runningMinimum`) keeps the p-value monotone.
    public static func compute(control a: ArmEstimate, treatment b: ArmEstimate, config: SequentialConfig = .init()) -> SequentialResult {
        let lift: Lift
        do {
            lift = try Lift.between(control: a, treatment: b, scale: config.scale)
        } catch {
            return SequentialResult(
                scale: config.scale,
                estimate: 0,
                pValue: 1,
                interval: Interval(lower: 0, upper: 0),
                mixingVariance: 0,
                message: error.description
            )
        }
        let n = a.count + b.count
        let v = lift.variance
        let tau2 = config.mixingPrecisionRatio * n * v
        let d = lift.estimate - config.nullValue
        let logLambda = 0.5 * Double.log(v / (v + tau2)) + tau2 * d * d / (2 * v * (v + tau2))
        let pValue = min(1, Double.exp(-logLambda))
        let halfWidth = (v * (v + tau2) / tau2 * (2 * Double.log(1 / config.alpha) + Double.log((v + tau2) / v))).squareRoot()
        return SequentialResult(
            scale: config.scale,
            estimate: lift.estimate,
            pValue: pValue,
            interval: Interval(lift.estimate - halfWidth, lift.estimate + halfWidth),
            mixingVariance: tau2,
            message: nil
        )
    }

    /// The always-valid p-value over a series of looks: p_k = min_{j ≤ k} p_j.
    public static func runningMinimum(_ pValues: [Double]) -> [Double] {
        var best = 1.0
        return pValues.map { p in
            best = min(best, p)
            return best
        }
    }
}
