import Foundation
import Stats

/// Exact samplers the batched simulator needs beyond `RandomVariates`.
enum DiscreteVariates {
    /// A Binomial(n, p) draw by counting successes through geometric gaps between them
    /// (the waiting time to the next success is Geometric(p)); exact, in O(n·min(p, 1 − p) + 1).
    static func binomial<G: RandomNumberGenerator>(trials n: Int, probability p: Double, using generator: inout G) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        if p > 0.5 { return n - binomial(trials: n, probability: 1 - p, using: &generator) }
        let logFailure = log1p(-p)
        var successes = 0
        var position = 0.0
        while true {
            let u = 1 - generator.nextUnitDouble()  // in (0, 1]
            position += (log(u) / logFailure).rounded(.down) + 1
            if position > Double(n) { return successes }
            successes += 1
        }
    }

    /// A Multinomial(n, weights) draw by sequential conditional binomials:
    /// n_i ~ Binomial(n − Σ_{j<i} n_j, w_i / Σ_{j≥i} w_j).
    static func multinomial<G: RandomNumberGenerator>(trials n: Int, weights: [Double], using generator: inout G) -> [Int] {
        var counts = [Int](repeating: 0, count: weights.count)
        var remaining = n
        var remainingWeight = weights.reduce(0, +)
        for i in weights.indices where remaining > 0 {
            if i == weights.count - 1 || remainingWeight <= weights[i] {
                counts[i] = remaining
                break
            }
            let draw = binomial(trials: remaining, probability: weights[i] / remainingWeight, using: &generator)
            counts[i] = draw
            remaining -= draw
            remainingWeight -= weights[i]
        }
        return counts
    }

    /// A χ²(k) draw, 2·Gamma(k/2, 1); 0 for k = 0.
    static func chiSquared<G: RandomNumberGenerator>(degreesOfFreedom k: Int, using generator: inout G) -> Double {
        k > 0 ? 2 * RandomVariates.gamma(shape: Double(k) / 2, using: &generator) : 0
    }
}
