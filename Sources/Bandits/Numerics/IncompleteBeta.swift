import Foundation

/// The regularized incomplete beta function I_x(a, b) (the Beta(a, b) CDF), by the
/// continued fraction of Numerical Recipes §6.4 (modified Lentz), using the symmetry
/// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront = a * log(x) + b * log1p(-x) - logBeta(a, b)
    if x < (a + 1) / (a + b + 2) {
        return exp(logFront) * betaContinuedFraction(x, a: a, b: b) / a
    }
    return 1 - exp(logFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
}

/// log B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b).
func logBeta(_ a: Double, _ b: Double) -> Double {
    lgamma(a) + lgamma(b) - lgamma(a + b)
}

/// The continued fraction of the incomplete beta function (Numerical Recipes `betacf`).
private func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    let qab = a + b
    let qap = a + 1
    let qam = a - 1
    var c = 1.0
    var d = 1 - qab * x / qap
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...10_000 {
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
        if abs(delta - 1) < 1e-15 { break }
    }
    return h
}
