import Testing

@testable import Stats

/// The mSPRT against gbstats 0.8.0 `SequentialTwoSidedTTest` (Waudby-Smith et al. 2023
/// asymptotic confidence sequences), vectors from scripts/stats_reference.py.
@Suite struct SequentialTests {
    @Test func matchesGbstatsSequentialTest() {
        for row in ReferenceFixture.rows("gbstats", "sequential") {
            let kind = MetricKind(rawValue: row["kind"] as? String ?? "") ?? .mean
            let a = statistics(row["control"]).estimate(kind: kind)
            let b = statistics(row["treatment"]).estimate(kind: kind)
            for scale in [LiftScale.relative, .absolute] {
                let config = SequentialConfig(tuningSampleSize: double(row["tuning"]), scale: scale)
                let r = MixtureSPRT.compute(control: a, treatment: b, config: config)
                let expected = object(row[scale.rawValue])
                let interval = expected["interval"] as? [Double] ?? []
                let label = "\(row["name"]!) \(kind) \(scale)"
                #expect(isClose(r.estimate, double(expected["estimate"])), "\(label)")
                #expect(isClose(r.pValue, double(expected["pValue"])), "\(label)")
                #expect(isClose(r.interval.lower ?? .nan, interval[0]) && isClose(r.interval.upper ?? .nan, interval[1]), "\(label)")
            }
        }
    }

    @Test func sequentialIsMoreConservativeThanFixed() {
        // The confidence sequence must be wider than the fixed interval, and the always-valid
        // p-value larger, for the same data (it pays for unlimited peeking).
        let a = ArmEstimate(count: 4000, mean: 0.10, variance: 0.09)
        let b = ArmEstimate(count: 4000, mean: 0.11, variance: 0.0979)
        let fixed = WelchTTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: .absolute))
        let sequential = MixtureSPRT.compute(control: a, treatment: b, config: SequentialConfig(scale: .absolute))
        #expect(sequential.pValue > fixed.pValue)
        #expect((sequential.interval.upper ?? 0) - (sequential.interval.lower ?? 0) > (fixed.interval.upper ?? 0) - (fixed.interval.lower ?? 0))
    }

    @Test func runningMinimumIsMonotone() {
        #expect(MixtureSPRT.runningMinimum([1, 0.4, 0.6, 0.2, 0.3]) == [1, 0.4, 0.4, 0.2, 0.2])
    }
}
