/// P(arm i has the largest mean) under independent posteriors, by numerical integration:
/// P_i = ∫ f_i(x) Π_{j≠i} F_j(x) dx, the probability that one Thompson draw picks arm i.
///
/// Arm i's integral runs over its own region (±12 posterior sd) on `pointsPerArm` evenly
/// spaced points (`MarginalOnGrid`), so every posterior, however narrow, is resolved by
/// its own points; the other arms' CDFs are evaluated there. Arms with a density use the
/// trapezoid rule on f_i·Π F_j; an arm whose density is unbounded (Beta with a parameter
/// < 1) uses the Stieltjes sum Σ ΔF_i · mean of Π F_j at the interval's ends, with exact CDF
/// values. Errors are second order in the step; with 400 points per arm two-arm results
/// agree with Evan Miller's closed form to ~3e-5 (BanditsTests), far inside the
/// 0.1-percentage-point target, for about K²·400 operations instead of the ~10⁶ posterior
/// draws per arm that Monte Carlo needs for a 0.05-point standard error (√(¼/10⁶)).
/// Identical posteriors get equal shares by symmetry. The result sums to 1.
func probabilityOfBeingBest(_ marginals: [PosteriorMarginal], pointsPerArm: Int = 400) -> [Double] {
    let k = marginals.count
    guard k > 1 else { return Array(repeating: 1, count: k) }
    let tables = marginals.map { MarginalOnGrid($0, points: pointsPerArm) }
    var shares = [Double](repeating: 0, count: k)
    var others = [Double](repeating: 1, count: pointsPerArm)
    var column = [Double](repeating: 0, count: pointsPerArm)
    for i in 0..<k {
        let table = tables[i]
        // others[x] = Π_{j≠i} F_j(x) on arm i's grid.
        for x in 0..<pointsPerArm { others[x] = 1 }
        for j in 0..<k where j != i {
            tables[j].cdf(at: table.lower, step: table.step, into: &column)
            multiply(&others, by: column)
        }
        shares[i] = max(0, table.integrateAgainst(others))
    }
    let total = shares.reduce(0, +)
    guard total > 0, total.isFinite else { return Array(repeating: 1 / Double(k), count: k) }
    return shares.map { $0 / total }
}

/// values[x] *= factors[x], through raw buffers (fast also in unoptimised builds).
private func multiply(_ values: inout [Double], by factors: [Double]) {
    values.withUnsafeMutableBufferPointer { v in
        factors.withUnsafeBufferPointer { f in
            for x in 0..<v.count { v[x] *= f[x] }
        }
    }
}
