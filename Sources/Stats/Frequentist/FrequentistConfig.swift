/// Settings shared by the fixed-horizon tests.
public struct FrequentistConfig: Sendable, Hashable, Codable {
    /// The significance level; intervals have coverage 1 − alpha.
    public var alpha: Double
    /// The alternative hypothesis.
    public var alternative: Alternative
    /// Whether the lift is absolute or relative.
    public var scale: LiftScale
    /// The lift under the null hypothesis (0: no difference).
    public var nullValue: Double

    public init(alpha: Double = 0.05, alternative: Alternative = .twoSided, scale: LiftScale = .relative, nullValue: Double = 0) {
        self.alpha = alpha
        self.alternative = alternative
        self.scale = scale
        self.nullValue = nullValue
    }
}

/// The outcome of a fixed-horizon test on one lift.
public struct FrequentistResult: Sendable, Hashable, Codable {
    /// The test and its variance choices, in words (e.g. pooled p-value, unpooled interval).
    public var method: String
    /// The lift's scale.
    public var scale: LiftScale
    /// The point estimate of the lift.
    public var estimate: Double
    /// The standard error of the estimate.
    public var standardError: Double
    /// The test statistic (t or z).
    public var statistic: Double
    /// Degrees of freedom of the t distribution; nil for z tests.
    public var degreesOfFreedom: Double?
    /// The p-value for the configured alternative.
    public var pValue: Double
    /// The 1 − alpha confidence interval of the lift (one-sided for one-sided alternatives).
    public var interval: Interval
    /// Why the test could not run, or a note on the method; nil when all is well.
    public var message: String?

    /// The uninformative result of a test that could not run (gbstats `_default_output`).
    public static func degenerate(_ reason: Degeneracy, scale: LiftScale, method: String) -> FrequentistResult {
        FrequentistResult(
            method: method,
            scale: scale,
            estimate: 0,
            standardError: 0,
            statistic: 0,
            degreesOfFreedom: nil,
            pValue: 1,
            interval: Interval(lower: 0, upper: 0),
            message: reason.description
        )
    }
}

/// p-values and intervals from a pivot with a given reference distribution.
enum Pivot {
    /// p-value of statistic s given the survival function of a symmetric distribution.
    static func pValue(_ s: Double, alternative: Alternative, survival: (Double) -> Double) -> Double {
        switch alternative {
        case .twoSided: min(1, 2 * survival(abs(s)))
        case .greater: survival(s)
        case .less: survival(-s)
        }
    }

    /// The interval estimate ± q·se with q the upper alpha/2 (two-sided) or alpha quantile.
    static func interval(
        estimate: Double,
        standardError se: Double,
        alpha: Double,
        alternative: Alternative,
        quantile: (Double) -> Double
    ) -> Interval {
        switch alternative {
        case .twoSided:
            let w = quantile(1 - alpha / 2) * se
            return Interval(estimate - w, estimate + w)
        case .greater:
            return Interval(lower: estimate - quantile(1 - alpha) * se, upper: nil)
        case .less:
            return Interval(lower: nil, upper: estimate + quantile(1 - alpha) * se)
        }
    }
}
