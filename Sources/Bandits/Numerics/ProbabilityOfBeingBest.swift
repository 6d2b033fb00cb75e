/// P(arm i has the largest mean) under independent posteriors, by numerical integration:
/// P_i = ∫ f_i(x) Π_{j≠i} F_j(x) dx, the probability that one Thompson draw picks arm i.
///
/// Arm i's integral runs over its own region (±12 posterior sd) on `pointsPerArm` evenly
/// spaced points (`MarginalOnGrid`), so every posterior, however narrow, is resolved by
/// its own points; the other arms' CDFs are evaluated there. Arms with a density use the
/// trapezoid rule on f_i·Π F_j; a Beta arm with a or b below 2 (density or its slope
/// unbounded at an end) uses the Stieltjes sum Σ ΔF_i · mean of Π F_j at the interval's
/// ends, with exact CDF values. Errors are second order in the step; with 400 points per arm
/// results agree with Evan Miller's closed form and scipy quadrature to ~1e-4 or better
/// (ThompsonExactTests), far inside the
/// 0.1-percentage-point target, for about K²·400 operations instead of the ~10⁶ posterior
/// draws per arm that Monte Carlo needs for a 0.05-point standard error (√(¼/10⁶)).
/// Identical posteriors get equal shares by symmetry. The result sums to 1.
func probabilityOfBeingBest(_ marginals: [PosteriorMarginal], pointsPerArm: Int = 400) -> [Double] {
    let k = marginals.count
    guard k > 1 else { return Array(repeating: 1, count: k) }
    let tables = marginals.map { MarginalOnGrid($0, points: pointsPerArm) }
    let shares = (0..<k).map { integrateBest(arm: $0, tables: tables) }
    let total = shares.reduce(0, +)
    guard total > 0, total.isFinite else { return Array(repeating: 1 / Double(k), count: k) }
    return shares.map { $0 / total }
}

/// P(arm `arm` is best) = ∫ f_arm Π_{j≠arm} F_j, for one arm only (K times cheaper than all
/// arms); not renormalised, so it carries the integration error (~1e-5) unscaled.
func probabilityOfBeingBest(_ marginals: [PosteriorMarginal], arm: Int, pointsPerArm: Int = 400) -> Double {
    guard marginals.count > 1 else { return 1 }
    let tables = marginals.map { MarginalOnGrid($0, points: pointsPerArm) }
    return min(1, integrateBest(arm: arm, tables: tables))
}

/// ∫ f_i(x) Π_{j≠i} F_j(x) dx on arm i's grid.
private func integrateBest(arm i: Int, tables: [MarginalOnGrid]) -> Double {
    let table = tables[i]
    let n = table.cdf.count
    var others = [Double](repeating: 1, count: n)
    var column = [Double](repeating: 0, count: n)
    for j in tables.indices where j != i {
        tables[j].cdf(at: table.lower, step: table.step, into: &column)
        multiply(&others, by: column)
    }
    return max(0, table.integrateAgainst(others))
}

/// values[x] *= factors[x], through raw buffers (fast also in unoptimised builds).
private func multiply(_ values: inout [Double], by factors: [Double]) {
    values.withUnsafeMutableBufferPointer { v in
        factors.withUnsafeBufferPointer { f in
            for x in 0..<v.count { v[x] *= f[x] }
        }
    }
}
