import Testing

@testable import Stats

/// A smaller seeded run of the calibration of docs/statistics.md ("Adaptive allocation"):
/// the report's estimator must keep its coverage, bias and false-positive rate under bandit
/// schedules. 500 experiments per scenario: the tolerances are about three Monte Carlo
/// standard errors (coverage ±0.03 at 95 %, bias ±0.15 SD; ±0.25 SD for the relative lift,
/// whose estimates have heavy tails when conversions are rare), so a break in calibration
/// fails the test and noise does not. The relative interval is checked one-sided: it is
/// conservative where a starved control's mean is noisy (docs/statistics.md).
@Suite struct AdaptiveCalibrationTests {
    static let experiments = 500

    static func run(_ scenario: CalibrationScenario, _ methods: [CalibrationMethod], seed: UInt64) -> [CalibrationResult] {
        Calibration.run(scenario: scenario, methods: methods, experiments: experiments, seed: seed)
    }

    @Test(arguments: Array(CalibrationScenario.catalog().enumerated()))
    func reportEstimatorIsCalibrated(index: Int, scenario: CalibrationScenario) throws {
        let r = try #require(Self.run(scenario, [.postStratified], seed: 1000 + UInt64(index)).first)
        #expect(r.untestable <= 2, "\(scenario.name)")
        #expect((0.92...0.98).contains(r.absoluteCoverage), "\(scenario.name): absolute coverage \(r.absoluteCoverage)")
        #expect(r.relativeCoverage >= 0.92, "\(scenario.name): relative coverage \(r.relativeCoverage)")
        #expect(abs(r.absoluteBias) < 0.15, "\(scenario.name): absolute bias \(r.absoluteBias) SD")
        #expect(abs(r.relativeBias) < 0.25, "\(scenario.name): relative bias \(r.relativeBias) SD")
        if scenario.relativeEffect == 0 {
            #expect(r.fixedRejection <= 0.08, "\(scenario.name): fixed false positives \(r.fixedRejection)")
            #expect(r.sequentialRejection <= 0.08, "\(scenario.name): always-valid false positives \(r.sequentialRejection)")
        }
    }

    /// The checks above can fail: the previous estimator, on the design (control
    /// starved to 5 % while the base rate drifts down), is biased toward harm, and cells'
    /// own variances make the always-valid test reject A/A experiments with rare conversions.
    @Test func brokenEstimatorsFailTheSameChecks() throws {
        let catalog = CalibrationScenario.catalog()
        let starved = try #require(catalog.first { $0.name.hasPrefix("A/A conversion 5%, 6 periods") })
        let before = try #require(Self.run(starved, [.perPeriodLifts], seed: 7).first)
        #expect(before.absoluteBias < -0.15)
        #expect(before.relativeBias > 0.25)
        let rare = try #require(catalog.first { $0.name.hasPrefix("A/A conversion 1%") })
        let own = try #require(Self.run(rare, [.postStratifiedOwnVariance], seed: 8).first)
        #expect(own.sequentialRejection > 0.08)
    }

    @Test func simulatedTruthIsTheTrafficWeightedMean() {
        // One period, fixed 50/50, +10 % on a 5 % base: the truths are exact.
        let scenario = CalibrationScenario(
            name: "t",
            outcome: .conversion(baseRate: 0.05),
            periods: 1,
            unitsPerPeriod: 100,
            schedule: .fixed([0.5]),
            relativeEffect: 0.1
        )
        var generator = SplitMix64(seed: 1)
        let e = scenario.simulate(using: &generator)
        #expect(isClose(e.absoluteTruth, 0.005, relative: 1e-12))
        #expect(isClose(e.relativeTruth, 0.1, relative: 1e-12))
        #expect(e.periods.count == 1)
        #expect(e.periods[0].values.reduce(0) { $0 + $1.count } == 100)
    }
}
