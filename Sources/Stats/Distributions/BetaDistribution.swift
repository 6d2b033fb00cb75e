import RealModule

/// The Beta(α, β) distribution, the posterior of a conversion rate under a Beta prior.
public struct BetaDistribution: Sendable, Hashable, Codable {
    /// Shape α (prior successes + observed successes).
    public var alpha: Double
    /// Shape β (prior failures + observed failures).
    public var beta: Double

    public init(alpha: Double, beta: Double) {
        self.alpha = alpha
        self.beta = beta
    }

    /// E[X] = α / (α + β).
    public var mean: Double { alpha / (alpha + beta) }

    /// Var[X] = αβ / ((α + β)²(α + β + 1)).
    public var variance: Double {
        let s = alpha + beta
        return alpha * beta / (s * s * (s + 1))
    }

    /// The density at x.
    public func pdf(_ x: Double) -> Double {
        if x <= 0 || x >= 1 { return 0 }
        return Double.exp(
            (alpha - 1) * Double.log(x) + (beta - 1) * Double.log(onePlus: -x) - SpecialFunctions.logBeta(alpha, beta)
        )
    }

    /// P(X ≤ x) = I_x(α, β).
    public func cdf(_ x: Double) -> Double {
        SpecialFunctions.regularizedIncompleteBeta(x, a: alpha, b: beta)
    }
}
