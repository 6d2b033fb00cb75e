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

    /// P(best) per arm from `python3 scripts/bandits_thompson_reference.py` (scipy 1.17.1
    /// `integrate.quad` of f_i·Π F_j, tolerance 1e-12).
    func weights(_ model: PolicyDescription.RewardModel, _ arms: [(Double, Double)]) throws -> [Double] {
        var generator = SplitMix64(seed: 1)
        let statistics = arms.enumerated().map { ArmStatistics(arm: "arm\($0.offset)", successes: $0.element.0, trials: $0.element.1) }
        return try AllocationPolicies.make(.thompson(model)).weights(for: statistics, update: 0, using: &generator).values
    }

    @Test("Three Beta(1, 1)-prior arms against scipy quadrature to 0.001")
    func threeBetaArms() throws {
        let w = try weights(.uniformBernoulli, [(40, 1000), (55, 1000), (50, 900)])
        let expected = [0.0150660084, 0.4689362577, 0.5159977338]
        #expect(zip(w, expected).allSatisfy { abs($0 - $1) < 0.001 })
    }

    @Test("Jeffreys Beta(½, ½) prior with zero successes (unbounded densities) against scipy to 0.001")
    func jeffreysArms() throws {
        let w = try weights(.bernoulli(priorAlpha: 0.5, priorBeta: 0.5), [(0, 20), (1, 20), (0, 5)])
        let expected = [0.0981884365, 0.4936393817, 0.4081721819]
        #expect(zip(w, expected).allSatisfy { abs($0 - $1) < 0.001 })
    }

    @Test("Four normal posteriors against scipy to 0.001")
    func fourNormals() {
        let marginals: [PosteriorMarginal] = [
            .normal(mean: 1, standardDeviation: 0.2), .normal(mean: 1.1, standardDeviation: 0.3),
            .normal(mean: 0.9, standardDeviation: 0.05), .normal(mean: 1.05, standardDeviation: 0.1),
        ]
        let expected = [0.2371301852, 0.4801325426, 0.0107756483, 0.2719616239]
        #expect(zip(probabilityOfBeingBest(marginals), expected).allSatisfy { abs($0 - $1) < 0.001 })
        #expect(abs(probabilityOfBeingBest(marginals, arm: 1) - expected[1]) < 0.001)
    }
}
