import Testing

@testable import Stats

/// Beta-Binomial against numerical integration with scipy 1.17 `integrate.quad`, and the
/// normal posterior against gbstats 0.8.0 `EffectBayesianABTest`; scripts/stats_reference.py.
@Suite struct BayesianTests {
    @Test func betaBinomialMatchesNumericalIntegration() {
        for row in ReferenceFixture.rows("betaBinomial") {
            let prior = row["prior"] as? [Double] ?? [1, 1]
            let r = BetaBinomialTest.compute(
                control: statistics(row["control"]),
                treatment: statistics(row["treatment"]),
                prior: BetaDistribution(alpha: prior[0], beta: prior[1])
            )
            let name = row["name"] as? String ?? ""
            #expect(isClose(r.chanceToBeatControl, double(row["chanceToBeatControl"]), absolute: 1e-9), "\(name)")
            #expect(isClose(r.expectedLoss, double(row["expectedLoss"]), absolute: 1e-9), "\(name)")
            #expect(isClose(r.expectedLossOfControl, double(row["expectedLossOfControl"]), absolute: 1e-9), "\(name)")
        }
    }

    @Test func exactSumAndIntegrationAgree() {
        // Non-integer shapes take the integration path; integer ones Miller's sum. Shifting a
        // shape by 1e-9 must not move the probability by more than the integration error.
        let x = BetaDistribution(alpha: 212, beta: 1790)
        let y = BetaDistribution(alpha: 201, beta: 1801)
        let exact = BetaBinomialTest.probabilityGreater(x, than: y)
        let integrated = BetaBinomialTest.probabilityGreater(
            BetaDistribution(alpha: 212 + 1e-9, beta: 1790),
            than: BetaDistribution(alpha: 201 + 1e-9, beta: 1801)
        )
        #expect(isClose(exact, integrated, absolute: 1e-7))
        // Symmetry: P(X > Y) + P(Y > X) = 1 for continuous variables.
        #expect(isClose(exact + BetaBinomialTest.probabilityGreater(y, than: x), 1, absolute: 1e-12))
    }

    @Test func lowerIsBetterFlipsChanceAndLoss() {
        let a = SufficientStatistics(count: 1000, sum: 100, sumOfSquares: 100)
        let b = SufficientStatistics(count: 1000, sum: 120, sumOfSquares: 120)
        let up = BetaBinomialTest.compute(control: a, treatment: b)
        let down = BetaBinomialTest.compute(control: a, treatment: b, direction: .lowerIsBetter)
        #expect(isClose(up.chanceToBeatControl + down.chanceToBeatControl, 1, absolute: 1e-12))
        #expect(up.expectedLoss == down.expectedLossOfControl)
    }

    @Test func normalPosteriorMatchesGbstats() {
        for row in ReferenceFixture.rows("gbstats", "normalPosterior") {
            let a = statistics(row["control"]).estimate(kind: .mean)
            let b = statistics(row["treatment"]).estimate(kind: .mean)
            let prior = GaussianPrior(mean: double(row["priorMean"]), variance: double(row["priorVariance"]))
            let cases: [(String, BayesianConfig)] = [
                ("relativeFlat", BayesianConfig(scale: .relative)),
                ("absoluteFlat", BayesianConfig(scale: .absolute)),
                ("relativeProper", BayesianConfig(scale: .relative, prior: prior)),
            ]
            for (key, config) in cases {
                let r = NormalPosteriorTest.compute(control: a, treatment: b, config: config)
                let expected = object(row[key])
                let interval = expected["interval"] as? [Double] ?? []
                let label = "\(row["name"]!) \(key)"
                #expect(isClose(r.posteriorMean, double(expected["posteriorMean"])), "\(label)")
                #expect(isClose(r.posteriorStandardDeviation, double(expected["posteriorStandardDeviation"])), "\(label)")
                #expect(isClose(r.chanceToBeatControl, double(expected["chanceToBeatControl"])), "\(label)")
                #expect(isClose(r.expectedLoss, double(expected["expectedLoss"]), absolute: 1e-10), "\(label)")
                #expect(isClose(r.expectedLossOfControl, double(expected["expectedLossOfControl"]), absolute: 1e-10), "\(label)")
                #expect(isClose(r.interval.lower ?? .nan, interval[0]) && isClose(r.interval.upper ?? .nan, interval[1]), "\(label)")
            }
        }
    }
}
