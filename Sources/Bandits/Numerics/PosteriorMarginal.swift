import Foundation
import Stats

/// The posterior of one arm's mean reward, in the two families Thompson sampling uses.
enum PosteriorMarginal: Sendable, Hashable {
    /// Beta(a, b) on a success rate.
    case beta(a: Double, b: Double)
    /// Normal(mean, sd²) on a mean reward.
    case normal(mean: Double, standardDeviation: Double)

    /// Half-width of the region integrated, in posterior standard deviations: the mass
    /// outside ±12 sd is below 1e-30 for a normal and below 1e-6 even for very skewed
    /// betas such as Beta(1, 1000) (P(X > mean + 12 sd) = (1 − 0.013)^1000 ≈ e^−13).
    static let halfWidth = 12.0

    /// Posterior mean.
    var mean: Double {
        switch self {
        case .beta(let a, let b): a / (a + b)
        case .normal(let mean, _): mean
        }
    }

    /// Posterior standard deviation.
    var standardDeviation: Double {
        switch self {
        case .beta(let a, let b): (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot()
        case .normal(_, let sd): sd
        }
    }

    /// The interval holding all but a negligible part of the mass.
    var region: ClosedRange<Double> {
        let lower = mean - Self.halfWidth * standardDeviation
        let upper = mean + Self.halfWidth * standardDeviation
        switch self {
        case .beta:
            let (low, high) = (min(max(0, lower), 1), max(min(1, upper), 0))
            return low <= high ? low...high : high...high
        case .normal:
            return lower <= upper ? lower...upper : mean...mean
        }
    }

    /// Whether integration should use exact CDF values (the incomplete beta function) rather
    /// than the density: Beta posteriors with a or b below 2, whose density is unbounded or
    /// has an unbounded derivative at 0 or 1, so the trapezoid rule loses accuracy there
    /// (~1e-3 for Beta(1.5, ·) on 400 points). Above a + b = 10⁶ the continued fraction gets
    /// slow, and the density route is kept.
    var usesExactCDF: Bool {
        if case .beta(let a, let b) = self { return (a < 2 || b < 2) && a + b < 1e6 }
        return false
    }

    /// For a bounded Beta (a, b ≥ 1, not both 1), log of its unnormalised density relative
    /// to the mode m: (a − 1)·log(x/m) + (b − 1)·log((1 − x)/(1 − m)), written with log1p so
    /// that parameters near 10¹⁵ keep full precision (the plain form subtracts two numbers
    /// near 10¹⁴). Exponentiated, it is 1 at the mode and never overflows.
    func logRelativeDensity(at x: Double) -> Double {
        guard case .beta(let a, let b) = self, a + b > 2 else { return 0 }
        let mode = (a - 1) / (a + b - 2)
        let left = a == 1 ? 0 : (a - 1) * log1p((x - mode) / mode)
        let right = b == 1 ? 0 : (b - 1) * log1p((mode - x) / (1 - mode))
        return left + right
    }

    /// The exact density at `x` (for Beta, only called when it is bounded).
    func density(at x: Double) -> Double {
        switch self {
        case .normal(let mean, let sd):
            let z = (x - mean) / sd
            return exp(-0.5 * z * z) / (sd * (2 * Double.pi).squareRoot())
        case .beta(let a, let b):
            guard x >= 0, x <= 1 else { return 0 }
            let left = a == 1 ? 0 : (a - 1) * log(x)
            let right = b == 1 ? 0 : (b - 1) * log1p(-x)
            return exp(left + right - SpecialFunctions.logBeta(a, b))
        }
    }

    /// The exact CDF at `x` (erfc for normal, incomplete beta for Beta).
    func exactCDF(at x: Double) -> Double {
        switch self {
        case .normal(let mean, let sd): 0.5 * erfc(-(x - mean) / (sd * 2.0.squareRoot()))
        case .beta(let a, let b): SpecialFunctions.regularizedIncompleteBeta(x, a: a, b: b)
        }
    }
}
