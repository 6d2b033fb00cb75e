/// A normal prior on the lift; nil in the config means the flat (improper) prior.
public struct GaussianPrior: Sendable, Hashable, Codable {
    /// The prior mean of the lift.
    public var mean: Double
    /// The prior variance of the lift.
    public var variance: Double

    public init(mean: Double = 0, variance: Double = 1) {
        self.mean = mean
        self.variance = variance
    }
}

/// Settings of the normal-posterior test.
public struct BayesianConfig: Sendable, Hashable, Codable {
    /// The credible interval has probability 1 − alpha.
    public var alpha: Double
    /// The lift's scale; the prior is on this scale.
    public var scale: LiftScale
    /// A proper prior on the lift, or nil for the flat prior (gbstats' default).
    public var prior: GaussianPrior?
    /// Which way is better.
    public var direction: Direction

    public init(alpha: Double = 0.05, scale: LiftScale = .relative, prior: GaussianPrior? = nil, direction: Direction = .higherIsBetter) {
        self.alpha = alpha
        self.scale = scale
        self.prior = prior
        self.direction = direction
    }
}

/// The outcome of the normal-posterior test.
public struct BayesianResult: Sendable, Hashable, Codable {
    /// The lift's scale.
    public var scale: LiftScale
    /// The posterior mean of the lift.
    public var posteriorMean: Double
    /// The posterior standard deviation of the lift.
    public var posteriorStandardDeviation: Double
    /// P(treatment is better), direction-aware.
    public var chanceToBeatControl: Double
    /// E[loss] of choosing treatment: E[max(−Δ, 0)] (or E[max(Δ, 0)] when lower is better).
    public var expectedLoss: Double
    /// E[loss] of keeping control.
    public var expectedLossOfControl: Double
    /// The equal-tailed 1 − alpha credible interval of the lift.
    public var interval: Interval
    /// Why the test could not run; nil when it did.
    public var message: String?
}

/// gbstats' `EffectBayesianABTest`: the lift's likelihood is N(Δ̂, V) (the frequentist
/// estimate and its delta-method variance); with prior N(m, s²) the posterior is normal with
/// precision 1/V + 1/s² and mean (Δ̂/V + m/s²)/precision (flat prior: N(Δ̂, V)). Chance to
/// win P(Δ > 0) = Φ(μ/σ); expected losses from the normal partial expectations
/// E[max(−Δ, 0)] = σφ(μ/σ) − μΦ(−μ/σ) and E[max(Δ, 0)] = σφ(μ/σ) + μΦ(μ/σ).
public enum NormalPosteriorTest {
    /// Runs the test; degenerate data returns chance 0.5 and a message.
    public static func compute(control a: ArmEstimate, treatment b: ArmEstimate, config: BayesianConfig = .init()) -> BayesianResult {
        let lift: Lift
        do {
            lift = try Lift.between(control: a, treatment: b, scale: config.scale)
        } catch {
            return BayesianResult(
                scale: config.scale,
                posteriorMean: 0,
                posteriorStandardDeviation: 0,
                chanceToBeatControl: 0.5,
                expectedLoss: 0,
                expectedLossOfControl: 0,
                interval: Interval(lower: 0, upper: 0),
                message: error.description
            )
        }
        var precision = 1 / lift.variance
        var mu = lift.estimate
        if let prior = config.prior, prior.variance > 0 {
            precision += 1 / prior.variance
            mu = (lift.estimate / lift.variance + prior.mean / prior.variance) / precision
        }
        let sigma = (1 / precision).squareRoot()
        let z = mu / sigma
        let lossIfTreatment = sigma * Normal.pdf(z) - mu * Normal.cdf(-z)
        let lossIfControl = sigma * Normal.pdf(z) + mu * Normal.cdf(z)
        let q = Normal.quantile(1 - config.alpha / 2)
        let higher = config.direction == .higherIsBetter
        return BayesianResult(
            scale: config.scale,
            posteriorMean: mu,
            posteriorStandardDeviation: sigma,
            chanceToBeatControl: higher ? Normal.cdf(z) : Normal.cdf(-z),
            expectedLoss: max(0, higher ? lossIfTreatment : lossIfControl),
            expectedLossOfControl: max(0, higher ? lossIfControl : lossIfTreatment),
            interval: Interval(mu - q * sigma, mu + q * sigma),
            message: nil
        )
    }
}
