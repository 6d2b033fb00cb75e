import Foundation

/// Random variates from the distributions the bandits and simulations draw from.
public enum RandomVariates {
    /// A standard normal draw (Marsaglia's polar method).
    public static func standardNormal<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        while true {
            let u = 2 * generator.nextUnitDouble() - 1
            let v = 2 * generator.nextUnitDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * log(s) / s).squareRoot()
            }
        }
    }

    /// A normal draw with the given mean and standard deviation.
    public static func normal<G: RandomNumberGenerator>(mean: Double, standardDeviation: Double, using generator: inout G) -> Double {
        mean + standardDeviation * standardNormal(using: &generator)
    }

    /// A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shape < 1 boosted by U^(1/shape)).
    public static func gamma<G: RandomNumberGenerator>(shape: Double, using generator: inout G) -> Double {
        precondition(shape > 0, "gamma shape must be positive")
        if shape < 1 {
            let u = max(generator.nextUnitDouble(), Double.leastNonzeroMagnitude)
            return gamma(shape: shape + 1, using: &generator) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = standardNormal(using: &generator)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = generator.nextUnitDouble()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Beta(alpha, beta) draw from two gamma draws.
    public static func beta<G: RandomNumberGenerator>(alpha: Double, beta: Double, using generator: inout G) -> Double {
        let x = gamma(shape: alpha, using: &generator)
        let y = gamma(shape: beta, using: &generator)
        return x / (x + y)
    }

    /// A Bernoulli draw that is true with probability `p`.
    public static func bernoulli<G: RandomNumberGenerator>(_ p: Double, using generator: inout G) -> Bool {
        generator.nextUnitDouble() < p
    }

    /// A Poisson draw (Knuth's method for small means, normal approximation above 500).
    public static func poisson<G: RandomNumberGenerator>(mean: Double, using generator: inout G) -> Int {
        if mean > 500 {
            return max(0, Int((mean + mean.squareRoot() * standardNormal(using: &generator)).rounded()))
        }
        let limit = exp(-mean)
        var k = 0
        var p = generator.nextUnitDouble()
        while p > limit {
            k += 1
            p *= generator.nextUnitDouble()
        }
        return k
    }
}
