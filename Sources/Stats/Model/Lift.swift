/// A lift of treatment over control with the variance of its estimate.
public struct Lift: Sendable, Hashable, Codable {
    /// The point estimate (difference, or difference over the control mean).
    public var estimate: Double
    /// The variance of the estimate.
    public var variance: Double

    public init(estimate: Double, variance: Double) {
        self.estimate = estimate
        self.variance = variance
    }

    /// The standard error √variance.
    public var standardError: Double { variance.squareRoot() }

    /// The lift between two arms. Absolute: Δ = μ_B − μ_A, Var = σ²_A/n_A + σ²_B/n_B.
    /// Relative (delta method on the ratio of means, gbstats `frequentist_variance`):
    /// Δ = (μ_B − μ_A)/μ_A, Var = σ²_B/(μ_A² n_B) + σ²_A μ_B²/(μ_A⁴ n_A), with unadjusted means.
    /// Throws the reason when the arms cannot be compared.
    public static func between(
        control a: ArmEstimate,
        treatment b: ArmEstimate,
        scale: LiftScale
    ) throws(Degeneracy) -> Lift {
        if let reason = a.degeneracy ?? b.degeneracy { throw reason }
        switch scale {
        case .absolute:
            return Lift(estimate: b.mean - a.mean, variance: a.varianceOfMean + b.varianceOfMean)
        case .relative:
            let ma = a.unadjustedMean
            let mb = b.unadjustedMean
            guard ma != 0, a.mean != 0 else { throw .zeroControlMean }
            let variance = b.variance / (ma * ma * b.count) + a.variance * mb * mb / (ma * ma * ma * ma * a.count)
            return Lift(estimate: (b.mean - a.mean) / ma, variance: variance)
        }
    }
}
