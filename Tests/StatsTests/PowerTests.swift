import Testing

@testable import Stats

/// Power and sample size against statsmodels 0.15 `NormalIndPower` (means) and the two-sided
/// z formula solved with scipy `brentq` (proportions); vectors from scripts/stats_reference.py.
@Suite struct PowerTests {
    @Test func meansMatchStatsmodels() {
        for row in ReferenceFixture.rows("power", "means") {
            let variance = double(row["standardDeviation"]) * double(row["standardDeviation"])
            let power = PowerAnalysis.power(
                mean: double(row["mean"]),
                controlVariance: variance,
                relativeEffect: double(row["relativeEffect"]),
                unitsPerArm: double(row["unitsPerArm"])
            )
            let n = PowerAnalysis.unitsPerArm(mean: double(row["mean"]), controlVariance: variance, relativeEffect: double(row["relativeEffect"]))
            #expect(isClose(power, double(row["power"])))
            #expect(isClose(n ?? 0, double(row["requiredUnitsPerArm"])))
        }
    }

    @Test func proportionsMatchTheZFormula() {
        for row in ReferenceFixture.rows("power", "proportions") {
            let p = double(row["baseRate"])
            let m = double(row["relativeEffect"])
            #expect(
                isClose(PowerAnalysis.proportionPower(baseRate: p, relativeEffect: m, unitsPerArm: double(row["unitsPerArm"])), double(row["power"]))
            )
            #expect(isClose(PowerAnalysis.proportionUnitsPerArm(baseRate: p, relativeEffect: m) ?? 0, double(row["requiredUnitsPerArm"])))
        }
    }

    @Test func zeroEffectNeedsNoFiniteSample() {
        #expect(PowerAnalysis.unitsPerArm(mean: 1, controlVariance: 1, relativeEffect: 0) == nil)
        #expect(PowerAnalysis.power(mean: 1, controlVariance: 1, relativeEffect: 0, unitsPerArm: 100) == 0.05)
    }
}
