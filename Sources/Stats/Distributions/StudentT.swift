import RealModule

/// Student's t distribution with ν degrees of freedom (ν may be fractional, as Welch's is).
public enum StudentT {
    /// The density at t.
    public static func pdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let logNorm =
            SpecialFunctions.logGamma((nu + 1) / 2) - SpecialFunctions.logGamma(nu / 2)
            - 0.5 * Double.log(nu * Double.pi)
        return Double.exp(logNorm - (nu + 1) / 2 * Double.log(onePlus: t * t / nu))
    }

    /// P(T ≤ t), from I_x(ν/2, 1/2) with x = ν/(ν + t²); the normal beyond ν = 1e10.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if nu > 1e10 { return Normal.cdf(t) }
        if t == 0 { return 0.5 }
        let tail = 0.5 * tailBeta(t, nu)
        return t > 0 ? 1 - tail : tail
    }

    /// P(T > t) without cancellation in the upper tail.
    public static func survival(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        cdf(-t, degreesOfFreedom: nu)
    }

    /// The quantile t with P(T ≤ t) = p: safeguarded Newton steps from a Cornish–Fisher start.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p == 0.5 { return 0 }
        if nu > 1e10 { return Normal.quantile(p) }
        // Solve in the upper half and reflect: t(p) = −t(1 − p). Newton's method on the
        // survival function from the Cornish–Fisher start, bisecting whenever a step leaves
        // the bracket [lo, hi] known to hold the root.
        let upper = max(p, 1 - p)
        let target = 1 - upper
        var lo = 0.0
        var hi = Double.infinity
        var x = startingPoint(upper, nu)
        for _ in 0..<200 {
            let f = survival(x, degreesOfFreedom: nu) - target
            if f > 0 { lo = x } else { hi = x }
            var next = x + f / pdf(x, degreesOfFreedom: nu)
            if !(next > lo && next < hi) { next = hi.isFinite ? (lo + hi) / 2 : 2 * x + 1 }
            let converged = abs(next - x) <= 1e-13 * max(1, abs(x))
            x = next
            if converged { break }
        }
        return p < 0.5 ? -x : x
    }

    /// The Cornish–Fisher expansion of the t quantile in powers of 1/ν (Abramowitz and Stegun
    /// 26.7.5); for ν < 3 the normal quantile, where the expansion is poor.
    private static func startingPoint(_ p: Double, _ nu: Double) -> Double {
        let z = Normal.quantile(p)
        guard nu >= 3 else { return z }
        let z2 = z * z
        let g1 = (z2 + 1) * z / 4
        let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
        let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu)
    }

    /// I_x(ν/2, 1/2) with x = ν/(ν + t²) = 2·P(T > |t|), taking the accurate side for small t².
    private static func tailBeta(_ t: Double, _ nu: Double) -> Double {
        let t2 = t * t
        if t2 < nu {
            // 1 − I_{t²/(ν+t²)}(1/2, ν/2) keeps precision when x is close to 1.
            return SpecialFunctions.regularizedIncompleteBetaComplement(t2 / (nu + t2), a: 0.5, b: nu / 2)
        }
        return SpecialFunctions.regularizedIncompleteBeta(nu / (nu + t2), a: nu / 2, b: 0.5)
    }
}
