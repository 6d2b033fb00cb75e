import Testing

@testable import Stats

/// The estimator of adaptively allocated experiments on data small enough to check by hand;
/// expected values from scripts/stats_poststratification_reference.py, which writes the
/// formulas of docs/statistics.md out unit by unit in plain Python.
@Suite struct PostStratificationTests {
    static func means(_ values: [Double]) -> SufficientStatistics { SufficientStatistics(values: values) }

    static func ratio(_ units: [(Double, Double)]) -> SufficientStatistics {
        SufficientStatistics(
            count: Double(units.count),
            sum: units.reduce(0) { $0 + $1.0 },
            sumOfSquares: units.reduce(0) { $0 + $1.0 * $1.0 },
            denominatorSum: units.reduce(0) { $0 + $1.1 },
            denominatorSumOfSquares: units.reduce(0) { $0 + $1.1 * $1.1 },
            crossProductSum: units.reduce(0) { $0 + $1.0 * $1.1 }
        )
    }

    /// Two periods of 10 units each (weights 1/2, 1/2); the control's second cell has no
    /// conversion, so its own variance is 0 and only the shrinkage keeps it from vanishing.
    static let meanPeriods: [[String: SufficientStatistics]] = [
        ["control": means([1, 0, 0, 1]), "treatment": means([1, 1, 0, 1, 0, 1])],
        ["control": means([0, 0]), "treatment": means([1, 0, 0, 0, 0, 0, 0, 1])],
    ]

    @Test func meansAreWeightedByPeriodSizeNotArmSize() throws {
        let e = PostStratification.estimate(periods: Self.meanPeriods, arms: ["control", "treatment"], kind: .mean)
        // control: (2/4 + 0/2)/2 = 0.25; treatment: (4/6 + 2/8)/2 = 0.458333…
        #expect(isClose(try #require(e.arm("control")).mean, 0.25, relative: 1e-14))
        #expect(isClose(try #require(e.arm("treatment")).mean, 0.4583333333333333, relative: 1e-14))
        #expect(isClose(try #require(e.arm("control")).variance, 0.04151046172578423, relative: 1e-12))
        #expect(isClose(try #require(e.arm("treatment")).variance, 0.018017310117193295, relative: 1e-12))
        #expect(e.periodsLeftOut == 0)

        let absolute = try e.lift(control: "control", treatment: "treatment", scale: .absolute)
        #expect(isClose(absolute.estimate, 0.20833333333333331, relative: 1e-13))
        #expect(isClose(absolute.variance, 0.05952777184297753, relative: 1e-12))
        let relative = try e.lift(control: "control", treatment: "treatment", scale: .relative)
        #expect(isClose(relative.estimate, 0.1016520014633111, relative: 1e-12))
        #expect(isClose(relative.variance, 2.5206173480172667, relative: 1e-12))
        let log = try #require(e.logRelativeTest(control: "control", treatment: "treatment", alpha: 0.05))
        #expect(isClose(try #require(log.interval.lower), -0.6641766764837693, relative: 1e-10))
        #expect(isClose(try #require(log.interval.upper), 9.008569613089023, relative: 1e-10))
    }

    @Test func zeroVarianceCellKeepsTheVarianceOfItsPeriod() throws {
        // With each cell's own variance the control's empty second cell adds nothing:
        // Var = (1/2)²·(1/3)/4 = 1/48 only; the default must add that period's share.
        let own = PostStratification.estimate(periods: Self.meanPeriods, arms: ["control", "treatment"], kind: .mean, cellVariance: .own)
        #expect(isClose(try #require(own.arm("control")).variance, 1.0 / 48, relative: 1e-14))
        let shrunk = PostStratification.estimate(periods: Self.meanPeriods, arms: ["control", "treatment"], kind: .mean)
        #expect(try #require(shrunk.arm("control")).variance > 1.0 / 48 + 0.02)
    }

    @Test func ratioMetricsUseTheCombinedRatioEstimator() throws {
        let periods: [[String: SufficientStatistics]] = [
            ["control": Self.ratio([(1, 2), (0, 1), (2, 3)]), "treatment": Self.ratio([(1, 1), (0, 2), (1, 2), (0, 1)])],
            ["control": Self.ratio([(0, 1), (1, 1)]), "treatment": Self.ratio([(1, 3), (2, 2), (0, 1), (1, 1), (0, 2), (1, 1)])],
        ]
        let e = PostStratification.estimate(periods: periods, arms: ["control", "treatment"], kind: .ratio)
        #expect(isClose(try #require(e.arm("control")).mean, 0.5, relative: 1e-14))
        #expect(isClose(try #require(e.arm("treatment")).mean, 0.42657342657342656, relative: 1e-14))
        #expect(isClose(try #require(e.arm("control")).variance, 0.048401759041554776, relative: 1e-12))
        #expect(isClose(try #require(e.arm("treatment")).variance, 0.017852554062733835, relative: 1e-12))
        let relative = try e.lift(control: "control", treatment: "treatment", scale: .relative)
        #expect(isClose(relative.estimate, -0.28523640754741175, relative: 1e-12))
    }

    @Test func periodsAreLeftOutByCountsOnlyAndWeightedByAllArms() throws {
        // Period 2 has one control unit: left out for both arms, whatever its outcome.
        // Period weights count the third arm's units too: 2 + 8 + 90 = 100 in period 1, 4 + 3 + 93 in 3.
        let periods: [[String: SufficientStatistics]] = [
            [
                "control": Self.means([1, 0]), "treatment": Self.means([1, 1, 0, 0, 1, 0, 1, 0]), "other": Self.means(Array(repeating: 0, count: 90)),
            ],
            ["control": Self.means([1]), "treatment": Self.means([0, 0, 1]), "other": Self.means([0, 1])],
            ["control": Self.means([0, 0, 1, 1]), "treatment": Self.means([1, 0, 0]), "other": Self.means(Array(repeating: 1, count: 93))],
        ]
        let e = PostStratification.estimate(
            periods: periods,
            arms: ["control", "treatment"],
            kind: .mean,
            weightArms: ["control", "treatment", "other"]
        )
        #expect(e.periodsUsed == 2)
        #expect(e.periodsLeftOut == 1)
        #expect(isClose(e.unitShareLeftOut, 6.0 / 206, relative: 1e-14))
        // control: (100·0.5 + 100·0.5)/200 = 0.5; treatment: (100·0.5 + 100·(1/3))/200 = 0.41666…
        #expect(isClose(try #require(e.arm("control")).mean, 0.5, relative: 1e-14))
        #expect(isClose(try #require(e.arm("treatment")).mean, 5.0 / 12, relative: 1e-14))
    }

    @Test func aRowAgreesWithItself() throws {
        let e = PostStratification.estimate(periods: Self.meanPeriods, arms: ["control", "treatment"], kind: .mean)
        let spec = MetricSpec(name: "revenue", kind: .mean)
        let c = PostStratifiedComparison.compute(estimate: e, metric: spec, control: "control", treatment: "treatment", settings: AnalysisSettings())
        #expect(c.treatmentMean - c.controlMean == c.absoluteLift.estimate)
        let interval = try #require(e.logRelativeTest(control: "control", treatment: "treatment", alpha: 0.05))
        #expect(c.relativeLift.interval == interval.interval)
        #expect(c.relativePValue == interval.pValue)
        // The absolute interval is the z interval of the same Δ and V as its p-value.
        let se = 0.05952777184297753.squareRoot()
        #expect(isClose(try #require(c.absoluteLift.interval.upper), 0.20833333333333331 + 1.959963984540054 * se, relative: 1e-9))
        #expect(isClose(c.pValue, 2 * Normal.survival(0.20833333333333331 / se), relative: 1e-9))
    }
}
