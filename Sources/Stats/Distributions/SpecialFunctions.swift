import RealModule

/// Special functions behind the distributions: log-gamma, log-beta and the regularized
/// incomplete beta and gamma functions (continued fractions and series of Numerical
/// Recipes, 3rd ed., §6.2 and §6.4, evaluated with the modified Lentz method).
public enum SpecialFunctions {
    /// ln Γ(x) for x > 0 (swift-numerics' `Double.logGamma`).
    public static func logGamma(_ x: Double) -> Double {
        Double.logGamma(x)
    }

    /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    /// The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1.
    public static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = a * Double.log(x) + b * Double.log(onePlus: -x) - logBeta(a, b)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the
        // symmetry I_x(a, b) = 1 − I_{1−x}(b, a) on the other side.
        if x < (a + 1) / (a + b + 2) {
            return Double.exp(logFront) * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - Double.exp(logFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    /// The complement 1 − I_x(a, b), computed without cancellation on the far side.
    public static func regularizedIncompleteBetaComplement(_ x: Double, a: Double, b: Double) -> Double {
        regularizedIncompleteBeta(1 - x, a: b, b: a)
    }

    /// The regularized lower incomplete gamma function P(a, x) for a > 0, x ≥ 0.
    public static func regularizedLowerGamma(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x < a + 1 { return gammaSeries(a, x) }
        return 1 - gammaContinuedFraction(a, x)
    }

    /// The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x).
    public static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x < a + 1 { return 1 - gammaSeries(a, x) }
        return gammaContinuedFraction(a, x)
    }

    private static let tiny = 1e-300
    private static let epsilon = 1e-16

    /// Continued fraction for I_x(a, b) without its prefactor (Numerical Recipes `betacf`).
    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...100_000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }

    /// Series for P(a, x), valid and fast for x < a + 1 (Numerical Recipes `gser`).
    private static func gammaSeries(_ a: Double, _ x: Double) -> Double {
        var ap = a
        var sum = 1 / a
        var term = sum
        for _ in 0..<100_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * epsilon { break }
        }
        return sum * Double.exp(-x + a * Double.log(x) - logGamma(a))
    }

    /// Continued fraction for Q(a, x), valid and fast for x ≥ a + 1 (Numerical Recipes `gcf`).
    private static func gammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return Double.exp(-x + a * Double.log(x) - logGamma(a)) * h
    }
}
