import Stats
import Testing

@testable import Bandits

/// The batched simulator's samplers against the moments of the laws they claim to draw from,
/// each with a tolerance of 4 standard errors over 20,000 draws.
@Suite("Simulator samplers")
struct SimulatorSamplingTests {
    static let draws = 20_000

    /// Mean and variance of `values`.
    static func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        return (mean, values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1))
    }

    @Test("Binomial(n, p): mean np, variance np(1 − p)", arguments: [(1_000, 0.05), (1_000, 0.7), (37, 0.5), (5, 0.98)])
    func binomial(_ c: (Int, Double)) {
        let (n, p) = c
        var g = SplitMix64(seed: 4)
        let values = (0..<Self.draws).map { _ in Double(DiscreteVariates.binomial(trials: n, probability: p, using: &g)) }
        let (mean, variance) = Self.moments(values)
        let expectedVariance = Double(n) * p * (1 - p)
        #expect(abs(mean - Double(n) * p) <= 4 * (expectedVariance / Double(Self.draws)).squareRoot())
        // The sample variance's SE is σ²·√((2 + excess kurtosis)/draws); the binomial's excess
        // kurtosis is (1 − 6p(1 − p)) / (np(1 − p)).
        let kurtosis = (1 - 6 * p * (1 - p)) / expectedVariance
        #expect(abs(variance - expectedVariance) <= 4 * expectedVariance * ((2 + kurtosis) / Double(Self.draws)).squareRoot())
        #expect(values.allSatisfy { $0 >= 0 && $0 <= Double(n) })
    }

    @Test("Multinomial counts sum to n and each is Binomial(n, w_i) in mean")
    func multinomial() {
        var g = SplitMix64(seed: 5)
        let weights = [0.2, 0.5, 0.3]
        var totals = [0.0, 0.0, 0.0]
        for _ in 0..<Self.draws {
            let counts = DiscreteVariates.multinomial(trials: 100, weights: weights, using: &g)
            #expect(counts.reduce(0, +) == 100)
            for i in 0..<3 { totals[i] += Double(counts[i]) }
        }
        for i in 0..<3 {
            let se = (100 * weights[i] * (1 - weights[i]) / Double(Self.draws)).squareRoot()
            #expect(abs(totals[i] / Double(Self.draws) - 100 * weights[i]) <= 4 * se)
        }
    }

    @Test("Gaussian batch statistics: E[Σx] = nμ, Var(Σx) = nσ², E[Σx²] = n(σ² + μ²)")
    func gaussianStatistics() throws {
        let environment = try BanditEnvironment(means: [2], rewards: .gaussian(standardDeviation: 3))
        var g = SplitMix64(seed: 6)
        let n = 10.0
        let stats = (0..<Self.draws).map { _ in environment.rewardStatistics(arm: 0, units: 10, using: &g) }
        let sums = Self.moments(stats.map(\.sum))
        let squares = Self.moments(stats.map(\.sumOfSquares))
        #expect(stats.allSatisfy { $0.count == n })
        #expect(abs(sums.mean - n * 2) <= 4 * (n * 9 / Double(Self.draws)).squareRoot())
        #expect(abs(sums.variance - n * 9) <= 4 * n * 9 * (2 / Double(Self.draws)).squareRoot())
        #expect(abs(squares.mean - n * (9 + 4)) <= 4 * (squares.variance / Double(Self.draws)).squareRoot())
    }
}
