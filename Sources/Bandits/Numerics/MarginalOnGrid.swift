import Foundation

/// One posterior tabulated on `points` evenly spaced points across its region: density and
/// CDF there, and the CDF anywhere, cheaply.
///
/// Normal: exact density and CDF (erfc) at the points. Beta with bounded density (a, b ≥ 1):
/// the exact density, rescaled so its trapezoid integral over the region is 1, and the CDF
/// as its cumulative trapezoid. Between points the CDF is interpolated linearly (0 below
/// the region, 1 above); errors are second order in the step (24 sd / points). Beta with a
/// or b below 2 (`usesExactCDF`): no density, and the exact incomplete beta for every CDF value.
struct MarginalOnGrid {
    let marginal: PosteriorMarginal
    let lower: Double
    let step: Double
    let density: [Double]?
    let cdf: [Double]

    init(_ marginal: PosteriorMarginal, points: Int) {
        self.marginal = marginal
        let region = marginal.region
        let h = (region.upperBound - region.lowerBound) / Double(points - 1)
        lower = region.lowerBound
        step = h
        let grid = (0..<points).map { region.lowerBound + Double($0) * h }
        if marginal.usesExactCDF {
            density = nil
            cdf = grid.map { marginal.exactCDF(at: $0) }
            return
        }
        var values: [Double]
        if case .beta = marginal {
            // The bounded Beta density up to its constant; the normalisation below divides it out.
            values = grid.map { x in x < 0 || x > 1 ? 0 : exp(marginal.logRelativeDensity(at: x)) }
        } else {
            values = grid.map { marginal.density(at: $0) }
        }
        var cumulative = [Double](repeating: 0, count: points)
        for k in 1..<points { cumulative[k] = cumulative[k - 1] + 0.5 * (values[k] + values[k - 1]) * h }
        if case .beta = marginal, let total = cumulative.last, total > 0 {
            for k in 0..<points {
                values[k] /= total
                cumulative[k] /= total
            }
        }
        if case .normal = marginal {
            cumulative = grid.map { marginal.exactCDF(at: $0) }
        }
        density = values
        cdf = cumulative
    }

    /// The grid's x-coordinate at index `k`.
    func point(_ k: Int) -> Double { lower + Double(k) * step }

    /// The CDF at any `x`.
    func cdf(at x: Double) -> Double {
        switch marginal {
        case .beta where density == nil: return marginal.exactCDF(at: x)
        default:
            guard step > 0 else { return x < lower ? 0 : 1 }
            let position = (x - lower) / step
            if position <= 0 { return 0 }
            if position >= Double(cdf.count - 1) { return 1 }
            let k = Int(position)
            let fraction = position - Double(k)
            return cdf[k] + fraction * (cdf[k + 1] - cdf[k])
        }
    }

    /// The CDF at lower + x·step for every x of `output`, written into it.
    func cdf(at start: Double, step gridStep: Double, into output: inout [Double]) {
        if density == nil || !(step > 0) {
            for x in output.indices { output[x] = cdf(at: start + Double(x) * gridStep) }
            return
        }
        let last = Double(cdf.count - 1)
        cdf.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { out in
                for x in 0..<out.count {
                    let position = (start + Double(x) * gridStep - lower) / step
                    if position <= 0 {
                        out[x] = 0
                    } else if position >= last {
                        out[x] = 1
                    } else {
                        let k = Int(position)
                        out[x] = table[k] + (position - Double(k)) * (table[k + 1] - table[k])
                    }
                }
            }
        }
    }

    /// ∫ f(x)·g(x) dx over the grid for g tabulated on it (trapezoid rule), or the
    /// Stieltjes sum Σ ΔF·mean(g) with exact CDF values (`usesExactCDF`); mass outside the grid
    /// meets g at the nearest end.
    func integrateAgainst(_ g: [Double]) -> Double {
        let n = g.count
        var total = 0.0
        if let density {
            density.withUnsafeBufferPointer { f in
                g.withUnsafeBufferPointer { g in
                    for x in 1..<n { total += 0.5 * (f[x] * g[x] + f[x - 1] * g[x - 1]) }
                }
            }
            return total * step
        }
        total = cdf[0] * g[0] + (1 - cdf[n - 1]) * g[n - 1]
        for x in 1..<n { total += (cdf[x] - cdf[x - 1]) * 0.5 * (g[x] + g[x - 1]) }
        return total
    }
}
