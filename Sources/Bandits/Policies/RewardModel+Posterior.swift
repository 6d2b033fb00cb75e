import Stats

extension PolicyDescription.RewardModel {
    /// The posterior of an arm's mean reward given its statistics.
    ///
    /// Bernoulli: Beta(α + s, β + n − s), with s clamped into [0, n] so malformed sums
    /// cannot make a parameter negative. Normal: the conjugate update of a Normal(μ₀, τ₀²)
    /// prior with the reward variance σ² taken as known, equal to the sample variance
    /// (τ₀² until two units are seen): precision 1/τ₀² + n/σ², mean (μ₀/τ₀² + Σx/σ²)/precision.
    /// The variance is floored at 1e-12·max(1, x̄²) and the standard deviation at 1e-12·(1 + |mean|),
    /// so constant rewards and counts near 10¹⁵ stay finite and integrable.
    func posterior(of reward: SufficientStatistics) -> PosteriorMarginal {
        let n = reward.count
        switch self {
        case .bernoulli(let alpha, let beta):
            let successes = min(max(reward.sum, 0), n)
            return .beta(a: alpha + successes, b: beta + n - successes)
        case .normal(let priorMean, let priorSD):
            let priorPrecision = 1 / (priorSD * priorSD)
            var variance = priorSD * priorSD
            if n >= 2 {
                variance = max(0, (reward.sumOfSquares - reward.sum * reward.sum / n) / (n - 1))
            }
            // Constant rewards (or rounding at huge counts) give a zero sample variance; a floor
            // relative to the mean's scale keeps the precision finite.
            let scale = n > 0 ? reward.sum / n : priorMean
            variance = max(variance, 1e-12 * max(1, scale * scale))
            let precision = priorPrecision + n / variance
            let mean = (priorMean * priorPrecision + reward.sum / variance) / precision
            let sd = max((1 / precision).squareRoot(), 1e-12 * (1 + abs(mean)))
            return .normal(mean: mean, standardDeviation: sd)
        }
    }
}
