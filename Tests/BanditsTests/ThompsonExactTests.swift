import Foundation
import Stats
import Testing

@testable import Bandits

@Suite("Thompson weights against closed forms")
struct ThompsonExactTests {
    /// Evan Miller's closed form ("Formulas for Bayesian A/B testing", 2015) for independent
    /// p_A ~ Beta(αA, βA), p_B ~ Beta(αB, βB) with integer αB:
    /// P(p_B > p_A) = Σ_{i=0}^{αB−1} B(αA + i, βA + βB) / ((βB + i) · B(1 + i, βB) · B(αA, βA)),
    /// each term evaluated in log space.
    static func evanMiller(alphaA: Double, betaA: Double, alphaB: Double, betaB: Double) -> Double {
        func logB(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
        var total = 0.0
        for i in 0..<Int(alphaB) {
            let i = Double(i)
            total += exp(logB(alphaA + i, betaA + betaB) - log(betaB + i) - logB(1 + i, betaB) - logB(alphaA, betaA))
        }
        return total
    }

    /// (successes, trials) of arms A and B; prior Beta(1, 1).
    static let cases: [(Double, Double, Double, Double)] = [
        (0, 0, 0, 0), (3, 10, 5, 10), (40, 1000, 55, 1000), (120, 2400, 118, 2300), (1, 50, 0, 3),
        (500, 10_000, 560, 10_000), (5_000, 100_000, 5_050, 100_000), (9, 10, 1, 10), (0, 100, 2, 100),
    ]

    @Test("Two arms with 10¹² trials each: P(p_B > p_A) against the normal limit Φ(Δ / √(v_A + v_B))")
    func hugeCounts() throws {
        // At 10¹² trials the Beta posteriors are normal to ~1e-6 (skewness ∝ 1/√n).
        let n = 1e12
        let (sA, sB) = (5e10, 5e10 + 1.6e5)
        let policy = try AllocationPolicies.make(.thompson(.uniformBernoulli))
        var generator = SplitMix64(seed: 1)
        let w = try policy.weights(
            for: [ArmStatistics(arm: "A", successes: sA, trials: n), ArmStatistics(arm: "B", successes: sB, trials: n)],
            update: 0,
            using: &generator
        )
        func moments(_ s: Double) -> (Double, Double) {
            let (a, b) = (1 + s, 1 + n - s)
            return (a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1)))
        }
        let (mA, vA) = moments(sA)
        let (mB, vB) = moments(sB)
        let expected = 0.5 * erfc(-(mB - mA) / (vA + vB).squareRoot() / 2.0.squareRoot())  // ≈ 0.70
        #expect(abs(w.values[1] - expected) < 0.001)
    }

    @Test("Two Beta arms: weight of B equals P(p_B > p_A) to 0.001", arguments: cases)
    func twoArms(_ c: (Double, Double, Double, Double)) throws {
        let (sA, nA, sB, nB) = c
        let policy = try AllocationPolicies.make(.thompson(.uniformBernoulli))
        var generator = SplitMix64(seed: 1)
        let weights = try policy.weights(
            for: [ArmStatistics(arm: "A", successes: sA, trials: nA), ArmStatistics(arm: "B", successes: sB, trials: nB)],
            update: 0,
            using: &generator
        )
        let expected = Self.evanMiller(alphaA: 1 + sA, betaA: 1 + nA - sA, alphaB: 1 + sB, betaB: 1 + nB - sB)
        #expect(abs(weights.values[1] - expected) < 0.001)
        #expect(abs(weights.values[0] + weights.values[1] - 1) < 1e-12)
    }
}
