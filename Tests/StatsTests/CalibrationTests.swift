import Testing

@testable import Stats

/// Error rates over seeded simulated experiments. Per-arm sufficient statistics are drawn
/// directly: conversions ~ Binomial(n, p) by its normal approximation (np ≥ 200 here,
/// rounded and clamped to 0…n), so thousands of experiments take milliseconds.
@Suite struct CalibrationTests {
    /// Converting units out of n at rate p.
    static func conversions(_ n: Double, _ p: Double, _ rng: inout SplitMix64) -> SufficientStatistics {
        let x = RandomVariates.normal(mean: n * p, standardDeviation: (n * p * (1 - p)).squareRoot(), using: &rng)
        let k = min(n, max(0, x.rounded()))
        return SufficientStatistics(count: n, sum: k, sumOfSquares: k)
    }

    /// Statistics of n normal values N(μ, σ²): Σx ~ N(nμ, nσ²), (n − 1)s² ~ σ²χ²_{n−1} = 2σ²Γ((n − 1)/2).
    static func normalValues(_ n: Double, _ mu: Double, _ sigma: Double, _ rng: inout SplitMix64) -> SufficientStatistics {
        let sum = RandomVariates.normal(mean: n * mu, standardDeviation: n.squareRoot() * sigma, using: &rng)
        let ss = 2 * sigma * sigma * RandomVariates.gamma(shape: (n - 1) / 2, using: &rng)
        return SufficientStatistics(count: n, sum: sum, sumOfSquares: ss + sum * sum / n)
    }

    static let runs = 2000

    @Test func fixedHorizonFalsePositiveRateIsAlpha() {
        // A/A, 5% conversion, 4,000 units per arm: the rejection rate must be 0.05 ± 0.012
        // (≈ ±2.4 binomial standard errors of √(0.05·0.95/2000) = 0.0049).
        var rng = SplitMix64(seed: 2024)
        var zRejections = 0
        var welchRejections = 0
        for _ in 0..<Self.runs {
            let a = Self.conversions(4000, 0.05, &rng)
            let b = Self.conversions(4000, 0.05, &rng)
            if TwoProportionZTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: .absolute)).pValue < 0.05 { zRejections += 1 }
            let x = Self.normalValues(3000, 10, 4, &rng)
            let y = Self.normalValues(3000, 10, 4, &rng)
            let welch = WelchTTest.compute(
                control: x.estimate(kind: .mean),
                treatment: y.estimate(kind: .mean),
                config: FrequentistConfig(scale: .absolute)
            )
            if welch.pValue < 0.05 { welchRejections += 1 }
        }
        let zRate = Double(zRejections) / Double(Self.runs)
        let welchRate = Double(welchRejections) / Double(Self.runs)
        #expect((0.038...0.062).contains(zRate), "z test FPR \(zRate)")
        #expect((0.038...0.062).contains(welchRate), "Welch FPR \(welchRate)")
    }

    @Test func sequentialFalsePositiveRateStaysBelowAlphaWithPeeking() {
        // Ten interim looks of 400 units per arm each (4,000 at the end): rejecting at any look.
        var rng = SplitMix64(seed: 77)
        var sequentialRejections = 0
        var naivePeekingRejections = 0
        for _ in 0..<Self.runs {
            var a = SufficientStatistics.zero
            var b = SufficientStatistics.zero
            var sequentialRejected = false
            var naiveRejected = false
            for _ in 0..<10 {
                a = a + Self.conversions(400, 0.05, &rng)
                b = b + Self.conversions(400, 0.05, &rng)
                let ea = a.estimate(kind: .proportion)
                let eb = b.estimate(kind: .proportion)
                if MixtureSPRT.compute(control: ea, treatment: eb, config: SequentialConfig(scale: .absolute)).pValue < 0.05 {
                    sequentialRejected = true
                }
                if TwoProportionZTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: .absolute)).pValue < 0.05 {
                    naiveRejected = true
                }
            }
            if sequentialRejected { sequentialRejections += 1 }
            if naiveRejected { naivePeekingRejections += 1 }
        }
        let sequentialRate = Double(sequentialRejections) / Double(Self.runs)
        let naiveRate = Double(naivePeekingRejections) / Double(Self.runs)
        #expect(sequentialRate <= 0.062, "mSPRT FPR with 10 looks \(sequentialRate)")
        // The control experiment: peeking at the fixed-horizon test ten times inflates the
        // error rate to roughly 0.19 (Armitage, McPherson and Rowe 1969), far above alpha.
        #expect(naiveRate > 0.1, "naive peeking FPR \(naiveRate)")
    }

    @Test func confidenceSequenceCoversTheTrueLiftAtEveryLook() {
        // 10% vs 10.5% conversion (true absolute lift 0.005), ten looks of 2,000 units per arm:
        // the always-valid interval must contain 0.005 at all ten looks in ≥ 95% of runs
        // (−0.012 for simulation error); the fixed interval, peeked at, does not.
        var rng = SplitMix64(seed: 123)
        var sequentialCovered = 0
        var fixedCovered = 0
        for _ in 0..<Self.runs {
            var a = SufficientStatistics.zero
            var b = SufficientStatistics.zero
            var sequentialOK = true
            var fixedOK = true
            for _ in 0..<10 {
                a = a + Self.conversions(2000, 0.10, &rng)
                b = b + Self.conversions(2000, 0.105, &rng)
                let config = SequentialConfig(tuningSampleSize: 20000, scale: .absolute)
                let sequential = MixtureSPRT.compute(control: a.estimate(kind: .proportion), treatment: b.estimate(kind: .proportion), config: config)
                if !sequential.interval.contains(0.005) { sequentialOK = false }
                let fixed = TwoProportionZTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: .absolute))
                if !fixed.interval.contains(0.005) { fixedOK = false }
            }
            if sequentialOK { sequentialCovered += 1 }
            if fixedOK { fixedCovered += 1 }
        }
        let sequentialCoverage = Double(sequentialCovered) / Double(Self.runs)
        #expect(sequentialCoverage >= 0.938, "confidence sequence coverage \(sequentialCoverage)")
        #expect(Double(fixedCovered) / Double(Self.runs) < 0.9, "peeked fixed-interval coverage")
    }

    @Test(arguments: [(0.30, 0.90165), (0.10, 0.37790)])
    func plantedLiftIsDetectedAtTheTheoreticalPower(baseRate: Double, theoreticalPower: Double) {
        // A 5% relative lift at 20,000 units per arm. Theoretical power of the two-sided z test
        // at alpha 0.05 (PowerAnalysis.proportionPower, hand check for p = 0.3: δ = 0.015,
        // se = √((0.21 + 0.315·0.685)/20000) = 0.004614, Φ(0.015/0.004614 − 1.96) = Φ(1.291) ≈ 0.9017 (scipy.stats.norm.cdf);
        // for p = 0.1 only Φ(1.6486 − 1.96) ≈ 0.378, so a 10% base rate needs ~58k units per arm).
        #expect(
            isClose(PowerAnalysis.proportionPower(baseRate: baseRate, relativeEffect: 0.05, unitsPerArm: 20000), theoreticalPower, relative: 1e-3)
        )
        var rng = SplitMix64(seed: 99)
        var detected = 0
        let runs = 1000
        for _ in 0..<runs {
            let a = Self.conversions(20000, baseRate, &rng)
            let b = Self.conversions(20000, baseRate * 1.05, &rng)
            let r = TwoProportionZTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: .absolute))
            if r.pValue < 0.05 && r.estimate > 0 { detected += 1 }
        }
        let rate = Double(detected) / Double(runs)
        // ±3 binomial standard errors (0.0095 at power 0.9, 0.0153 at 0.38).
        let tolerance = 3 * (theoreticalPower * (1 - theoreticalPower) / Double(runs)).squareRoot()
        #expect(abs(rate - theoreticalPower) <= tolerance, "empirical power \(rate) vs \(theoreticalPower)")
    }

    @Test func sampleRatioMismatchTripsAt52To48ButNotAt50Point1() {
        // 100,000 units at 50/50. 52/48: χ² = 2·2000²/50000 = 160 → p ≈ 1e-36.
        // 50.1/49.9: χ² = 2·100²/50000 = 0.4 → p = 0.527.
        let bad = SampleRatioMismatch.compute(periods: [AllocationPeriod(unitCounts: [52000, 48000], weights: [0.5, 0.5])])
        let fine = SampleRatioMismatch.compute(periods: [AllocationPeriod(unitCounts: [50100, 49900], weights: [0.5, 0.5])])
        #expect(bad.isMismatch && isClose(bad.chiSquare, 160, relative: 1e-12))
        #expect(!fine.isMismatch && isClose(fine.chiSquare, 0.4, relative: 1e-12))
        #expect(isClose(fine.pValue, 0.5270892568655381, relative: 1e-9))  // scipy.stats.chi2.sf(0.4, 1)
    }

    @Test func sampleRatioMismatchRarelyTripsUnderCorrectAssignment() {
        // 2,000 simulated 50/50 assignments of 100,000 units: the 0.001 threshold should trip
        // about twice; more than 8 times (Poisson(2) tail < 1e-3) would mean a miscalibrated test.
        var rng = SplitMix64(seed: 5)
        var trips = 0
        for _ in 0..<Self.runs {
            let first = Self.conversions(100_000, 0.5, &rng).sum
            if SampleRatioMismatch.compute(periods: [AllocationPeriod(unitCounts: [first, 100_000 - first], weights: [1, 1])]).isMismatch {
                trips += 1
            }
        }
        #expect(trips <= 8, "SRM tripped \(trips) times in \(Self.runs) correct assignments")
    }
}
