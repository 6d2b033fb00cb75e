import Testing

@testable import Stats

/// CUPED against gbstats 0.8.0 (`compute_theta`, `RegressionAdjustedStatistic` in
/// `TwoSidedTTest`); vectors from scripts/stats_reference.py.
@Suite struct CUPEDTests {
    static func arm(_ value: Any?) -> (metric: SufficientStatistics, covariate: CovariateStatistics) {
        let o = object(value)
        let c = object(o["covariate"])
        return (
            statistics(o["metric"]),
            CovariateStatistics(sum: double(c["sum"]), sumOfSquares: double(c["sumOfSquares"]), crossProductSum: double(c["crossProductSum"]))
        )
    }

    @Test func matchesGbstats() {
        for row in ReferenceFixture.rows("gbstats", "cuped") {
            let adjustment = CUPED.adjust(control: Self.arm(row["control"]), treatment: Self.arm(row["treatment"]), kind: .mean)
            #expect(isClose(adjustment.theta, double(row["theta"])))
            for scale in [LiftScale.relative, .absolute] {
                let r = WelchTTest.compute(control: adjustment.control, treatment: adjustment.treatment, config: FrequentistConfig(scale: scale))
                expectMatchesGbstats(r, object(row[scale.rawValue]))
            }
        }
    }

    @Test func reducesVarianceWithACorrelatedCovariate() {
        // With correlation 0.7 between x and z, Var shrinks by about 1 − ρ² = 0.51.
        let row = ReferenceFixture.rows("gbstats", "cuped")[0]
        let (a, _) = (Self.arm(row["control"]), Self.arm(row["treatment"]))
        let adjustment = CUPED.adjust(control: a, treatment: Self.arm(row["treatment"]), kind: .mean)
        let ratio = adjustment.control.variance / a.metric.estimate(kind: .mean).variance
        #expect(ratio > 0.45 && ratio < 0.56)
        #expect(adjustment.control.unadjustedMean == a.metric.mean)
    }

    @Test func constantCovariateFallsBackToNoAdjustment() {
        let x = SufficientStatistics(count: 3, sum: 6, sumOfSquares: 14)  // values 1, 2, 3
        let z = CovariateStatistics(sum: 3, sumOfSquares: 3, crossProductSum: 6)  // z ≡ 1
        let adjustment = CUPED.adjust(control: (x, z), treatment: (x, z), kind: .mean)
        #expect(adjustment.theta == 0)
        #expect(adjustment.control == x.estimate(kind: .mean))
    }
}
