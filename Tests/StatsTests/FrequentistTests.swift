import Testing

@testable import Stats

/// Welch t, two-proportion z and the ratio delta method against scipy 1.17
/// (`ttest_ind_from_stats(equal_var=False)`), statsmodels 0.15 (`proportions_ztest`,
/// `confint_proportions_2indep(method="wald")`) and gbstats 0.8.0 (`TwoSidedTTest`,
/// `RatioStatistic`); vectors from scripts/stats_reference.py.
@Suite struct FrequentistTests {
    static let alternatives: [(String, Alternative)] = [("twoSided", .twoSided), ("greater", .greater), ("less", .less)]

    @Test func welchMatchesScipy() {
        for row in ReferenceFixture.rows("welch") {
            let a = statistics(row["control"]).estimate(kind: .mean)
            let b = statistics(row["treatment"]).estimate(kind: .mean)
            for (key, alternative) in Self.alternatives {
                let r = WelchTTest.compute(control: a, treatment: b, config: FrequentistConfig(alternative: alternative, scale: .absolute))
                let expected = object(row[key])
                #expect(isClose(r.statistic, double(expected["statistic"])), "\(row["name"]!) \(key)")
                #expect(isClose(r.pValue, double(expected["pValue"])), "\(row["name"]!) \(key)")
            }
            let r = WelchTTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: .absolute))
            let interval = row["interval"] as? [Double] ?? []
            #expect(isClose(r.degreesOfFreedom ?? 0, double(row["degreesOfFreedom"])))
            #expect(isClose(r.interval.lower ?? .nan, interval[0]) && isClose(r.interval.upper ?? .nan, interval[1]))
        }
    }

    @Test func welchMatchesGbstatsOnBothScales() {
        for row in ReferenceFixture.rows("gbstats", "welch") {
            let a = statistics(row["control"]).estimate(kind: .mean)
            let b = statistics(row["treatment"]).estimate(kind: .mean)
            for scale in [LiftScale.relative, .absolute] {
                expectMatchesGbstats(
                    WelchTTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: scale)),
                    object(row[scale.rawValue])
                )
            }
        }
    }

    @Test func ratioDeltaMethodMatchesGbstats() {
        for row in ReferenceFixture.rows("gbstats", "ratio") {
            let a = statistics(row["control"]).estimate(kind: .ratio)
            let b = statistics(row["treatment"]).estimate(kind: .ratio)
            #expect(isClose(a.mean, double(row["controlMean"])) && isClose(b.mean, double(row["treatmentMean"])))
            #expect(isClose(a.variance, double(row["controlVariance"])) && isClose(b.variance, double(row["treatmentVariance"])))
            for scale in [LiftScale.relative, .absolute] {
                expectMatchesGbstats(
                    WelchTTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: scale)),
                    object(row[scale.rawValue])
                )
            }
        }
    }

    @Test func twoProportionZMatchesStatsmodels() {
        for row in ReferenceFixture.rows("twoProportionZ") {
            let a = statistics(row["control"])
            let b = statistics(row["treatment"])
            for (key, alternative) in Self.alternatives {
                let r = TwoProportionZTest.compute(control: a, treatment: b, config: FrequentistConfig(alternative: alternative, scale: .absolute))
                let expected = object(row[key])
                #expect(isClose(r.statistic, double(expected["statistic"])), "\(row["name"]!) \(key)")
                #expect(isClose(r.pValue, double(expected["pValue"])), "\(row["name"]!) \(key)")
            }
            let absolute = TwoProportionZTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: .absolute))
            let relative = TwoProportionZTest.compute(control: a, treatment: b, config: FrequentistConfig(scale: .relative))
            let interval = row["interval"] as? [Double] ?? []
            let relativeInterval = row["relativeInterval"] as? [Double] ?? []
            #expect(isClose(absolute.interval.lower ?? .nan, interval[0]) && isClose(absolute.interval.upper ?? .nan, interval[1]))
            #expect(isClose(relative.interval.lower ?? .nan, relativeInterval[0]) && isClose(relative.interval.upper ?? .nan, relativeInterval[1]))
            // The pooled p-value does not depend on the scale the interval is reported on.
            #expect(relative.pValue == absolute.pValue)
        }
    }

    @Test func oneSidedIntervalsAreOpenOnOneSide() {
        // Hand check: with alternative "greater" the interval is [Δ − t_{0.95}·se, +∞).
        let a = ArmEstimate(count: 100, mean: 1, variance: 4)
        let b = ArmEstimate(count: 100, mean: 1.5, variance: 4)
        let r = WelchTTest.compute(control: a, treatment: b, config: FrequentistConfig(alternative: .greater, scale: .absolute))
        let se = (0.04 + 0.04).squareRoot()
        // Equal variances and sizes: ν = 2(n − 1) = 198.
        #expect(isClose(r.degreesOfFreedom ?? 0, 198, relative: 1e-12))
        #expect(r.interval.upper == nil)
        #expect(isClose(r.interval.lower ?? .nan, 0.5 - StudentT.quantile(0.95, degreesOfFreedom: 198) * se, relative: 1e-12))
    }
}

/// Expects a frequentist result to equal gbstats' `compute_result` output.
func expectMatchesGbstats(_ r: FrequentistResult, _ expected: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
    let interval = expected["interval"] as? [Double] ?? []
    #expect(isClose(r.estimate, double(expected["estimate"])), sourceLocation: sourceLocation)
    #expect(isClose(r.pValue, double(expected["pValue"])), sourceLocation: sourceLocation)
    #expect(isClose(r.standardError, double(expected["standardError"])), sourceLocation: sourceLocation)
    #expect(interval.count == 2, sourceLocation: sourceLocation)
    if interval.count == 2 {
        #expect(isClose(r.interval.lower ?? .nan, interval[0]), sourceLocation: sourceLocation)
        #expect(isClose(r.interval.upper ?? .nan, interval[1]), sourceLocation: sourceLocation)
    }
}
