/// Power and sample size of a two-sided two-arm z test with equal units per arm.
public enum PowerAnalysis {
    /// The power to detect a relative lift `relativeEffect` on a metric with control mean
    /// `mean` and per-unit variances σ²_A, σ²_B at n units per arm:
    /// Φ(δ/se − z_{1−α/2}) + Φ(−δ/se − z_{1−α/2}), δ = |m·μ|, se = √((σ²_A + σ²_B)/n).
    public static func power(
        mean: Double,
        controlVariance: Double,
        treatmentVariance: Double? = nil,
        relativeEffect: Double,
        unitsPerArm n: Double,
        alpha: Double = 0.05
    ) -> Double {
        let delta = abs(relativeEffect * mean)
        let variance = controlVariance + (treatmentVariance ?? controlVariance)
        guard n > 0, variance > 0, delta > 0 else { return alpha }
        let z = Normal.quantile(1 - alpha / 2)
        let shift = delta / (variance / n).squareRoot()
        return Normal.cdf(shift - z) + Normal.cdf(-shift - z)
    }

    /// The units per arm for the given power, solving `power(…) = power` (both tails, as
    /// statsmodels `NormalIndPower.solve_power`) from the start (z_{1−α/2} + z_power)²(σ²_A + σ²_B)/δ².
    /// Returns nil when no sample can reach it (zero effect or variance).
    public static func unitsPerArm(
        mean: Double,
        controlVariance: Double,
        treatmentVariance: Double? = nil,
        relativeEffect: Double,
        alpha: Double = 0.05,
        power target: Double = 0.8
    ) -> Double? {
        let delta = abs(relativeEffect * mean)
        let variance = controlVariance + (treatmentVariance ?? controlVariance)
        guard delta > 0, variance > 0, target > alpha, target < 1 else { return nil }
        let za = Normal.quantile(1 - alpha / 2)
        let zb = Normal.quantile(target)
        var n = (za + zb) * (za + zb) * variance / (delta * delta)
        // Newton on n: the opposite tail makes the closed form a slight overestimate.
        for _ in 0..<50 {
            let se = (variance / n).squareRoot()
            let shift = delta / se
            let f = Normal.cdf(shift - za) + Normal.cdf(-shift - za) - target
            let dShift = shift / (2 * n)
            let derivative = (Normal.pdf(shift - za) - Normal.pdf(-shift - za)) * dShift
            guard derivative > 0 else { break }
            let step = f / derivative
            n -= step
            if abs(step) < 1e-10 * n { break }
        }
        return n
    }

    /// Power for a conversion rate p with a relative lift m: variances p(1−p) and p'(1−p'), p' = p(1 + m).
    public static func proportionPower(baseRate p: Double, relativeEffect m: Double, unitsPerArm n: Double, alpha: Double = 0.05) -> Double {
        let q = p * (1 + m)
        return power(mean: p, controlVariance: p * (1 - p), treatmentVariance: q * (1 - q), relativeEffect: m, unitsPerArm: n, alpha: alpha)
    }

    /// Units per arm for a conversion rate p and relative lift m.
    public static func proportionUnitsPerArm(baseRate p: Double, relativeEffect m: Double, alpha: Double = 0.05, power: Double = 0.8) -> Double? {
        let q = p * (1 + m)
        return unitsPerArm(
            mean: p,
            controlVariance: p * (1 - p),
            treatmentVariance: q * (1 - q),
            relativeEffect: m,
            alpha: alpha,
            power: power
        )
    }
}
