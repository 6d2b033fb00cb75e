/// The χ² distribution with k degrees of freedom, through the regularized gamma functions.
public enum ChiSquared {
    /// P(X ≤ x) = P(k/2, x/2).
    public static func cdf(_ x: Double, degreesOfFreedom k: Double) -> Double {
        SpecialFunctions.regularizedLowerGamma(k / 2, x / 2)
    }

    /// P(X > x) = Q(k/2, x/2), the p-value of a χ² statistic.
    public static func survival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        SpecialFunctions.regularizedUpperGamma(k / 2, x / 2)
    }
}
