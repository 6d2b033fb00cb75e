import Testing

@testable import Stats

/// Changing allocations: a Simpson's-paradox example built by hand where pooling the periods
/// reverses the sign of the lift and the per-period analysis recovers it.
@Suite struct StratifiedAnalysisTests {
    static func arm(_ units: Double, _ conversions: Double) -> SufficientStatistics {
        SufficientStatistics(count: units, sum: conversions, sumOfSquares: conversions)
    }

    /// Period 1: base rate 20%, weights 50/50, 10,000 units: 1000/5000 vs 1050/5000 (+5%).
    /// Period 2: base rate 5%, a bandit moved to 10/90, 20,000 units: 100/2000 vs 945/18000 (+5%).
    /// Pooled: control 1100/7000 = 15.7%, treatment 1995/23000 = 8.7%: a "45% loss".
    static let periods = [
        PeriodStatistics(control: arm(5000, 1000), treatment: arm(5000, 1050)),
        PeriodStatistics(control: arm(2000, 100), treatment: arm(18000, 945)),
    ]

    @Test func pooledComparisonIsWrong() {
        let pooledControl = Self.periods.map(\.control).reduce(.zero, +)
        let pooledTreatment = Self.periods.map(\.treatment).reduce(.zero, +)
        let naive = TwoProportionZTest.compute(control: pooledControl, treatment: pooledTreatment)
        #expect(naive.estimate < -0.4)
        #expect(naive.pValue < 1e-10)
    }

    @Test(arguments: PeriodWeighting.allCases)
    func perPeriodAnalysisRecoversTheLift(weighting: PeriodWeighting) {
        // Both periods have a relative lift of exactly 0.05, so any weighted mean is 0.05.
        let r = StratifiedAnalysis.compute(periods: Self.periods, kind: .proportion, weighting: weighting)
        #expect(isClose(r.estimate, 0.05, relative: 1e-12))
        #expect(r.interval.contains(0.05))
        #expect(r.message == nil)
    }

    @Test func periodSizeWeightsAbsoluteLiftsByTraffic() {
        // Absolute lifts 0.01 (10,000 units) and 0.0025 (20,000 units): (0.01 + 2·0.0025)/3 = 0.005.
        let r = StratifiedAnalysis.compute(periods: Self.periods, kind: .proportion, config: FrequentistConfig(scale: .absolute))
        #expect(isClose(r.estimate, 0.005, relative: 1e-12))
    }

    @Test func periodsWithoutTrafficAreSkippedWithAMessage() {
        let starved = Self.periods + [PeriodStatistics(control: .zero, treatment: Self.arm(100, 5))]
        let r = StratifiedAnalysis.compute(periods: starved, kind: .proportion)
        #expect(isClose(r.estimate, 0.05, relative: 1e-12))
        #expect(r.message != nil)
    }

    @Test func perPeriodAnalysisKeepsItsErrorRateUnderDriftAndShiftingWeights() {
        // 1,000 seeded A/A experiments: period 1 at 20% conversion with 50/50 weights over
        // 5,000 units, period 2 at 5% with 10/90 over 10,000 units. Pooling rejects almost
        // always; the period-size combination rejects at alpha (0.05 ± 3·0.0069).
        var rng = SplitMix64(seed: 31)
        var pooledRejections = 0
        var stratifiedRejections = 0
        let runs = 1000
        for _ in 0..<runs {
            let periods = [
                PeriodStatistics(control: CalibrationTests.conversions(2500, 0.2, &rng), treatment: CalibrationTests.conversions(2500, 0.2, &rng)),
                PeriodStatistics(control: CalibrationTests.conversions(1000, 0.05, &rng), treatment: CalibrationTests.conversions(9000, 0.05, &rng)),
            ]
            let pooled = TwoProportionZTest.compute(
                control: periods.map(\.control).reduce(.zero, +),
                treatment: periods.map(\.treatment).reduce(.zero, +)
            )
            if pooled.pValue < 0.05 { pooledRejections += 1 }
            if StratifiedAnalysis.compute(periods: periods, kind: .proportion).pValue < 0.05 { stratifiedRejections += 1 }
        }
        let stratifiedRate = Double(stratifiedRejections) / Double(runs)
        #expect(Double(pooledRejections) / Double(runs) > 0.99)
        #expect((0.029...0.071).contains(stratifiedRate), "stratified FPR \(stratifiedRate)")
    }
}
