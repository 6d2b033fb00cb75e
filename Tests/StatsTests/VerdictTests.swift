import Foundation
import Testing

@testable import Stats

/// The comparison and verdict on hand-built data, and the guardrail classification.
@Suite struct VerdictTests {
    static let conversion = MetricSpec(name: "conversion", kind: .proportion, minimumDetectableEffect: 0.05)
    static let latency = MetricSpec(
        name: "latency_ms",
        kind: .mean,
        direction: .lowerIsBetter,
        guardrail: Guardrail(allowedDegradation: 0.02, direction: .lowerIsBetter)
    )

    static func proportion(_ arm: String, _ n: Double, _ x: Double) -> ArmData {
        ArmData(arm: arm, statistics: SufficientStatistics(count: n, sum: x, sumOfSquares: x))
    }

    static func latency(_ arm: String, n: Double, mean: Double, sd: Double) -> ArmData {
        let sum = n * mean
        return ArmData(arm: arm, statistics: SufficientStatistics(count: n, sum: sum, sumOfSquares: (n - 1) * sd * sd + sum * sum / n))
    }

    @Test func clearWinShips() {
        // 10% vs 11.5%: z ≈ 0.015 / √(2·0.1075·0.8925/20000) ≈ 4.8, far past any correction.
        let r = Comparison.compute(metric: Self.conversion, control: Self.proportion("a", 20000, 2000), treatment: Self.proportion("b", 20000, 2300))
        let guardrail = Comparison.compute(
            metric: Self.latency,
            control: Self.latency("a", n: 20000, mean: 120, sd: 30),
            treatment: Self.latency("b", n: 20000, mean: 119, sd: 30)
        )
        #expect(guardrail.guardrailStatus == .passed)
        let v = Verdict.decide(primary: r, guardrails: [guardrail])
        #expect(v.decision == .ship)
        #expect(r.chanceToBeatControl > 0.999)
    }

    @Test func clearLossStops() {
        let r = Comparison.compute(metric: Self.conversion, control: Self.proportion("a", 20000, 2300), treatment: Self.proportion("b", 20000, 2000))
        #expect(Verdict.decide(primary: r).decision == .stopForHarm)
    }

    @Test func breachedGuardrailStopsEvenAWinner() {
        let r = Comparison.compute(metric: Self.conversion, control: Self.proportion("a", 20000, 2000), treatment: Self.proportion("b", 20000, 2300))
        // Latency up 10% (120 → 132 ms) with a 2% tolerance: the interval sits wholly above +2%.
        let g = Comparison.compute(
            metric: Self.latency,
            control: Self.latency("a", n: 20000, mean: 120, sd: 30),
            treatment: Self.latency("b", n: 20000, mean: 132, sd: 30)
        )
        #expect(g.guardrailStatus == .breached)
        #expect(Verdict.decide(primary: r, guardrails: [g]).decision == .stopForHarm)
    }

    @Test func inconclusiveKeepsRunningWithUnitsStillNeeded() {
        // p = 0.1, MDE 5% → p' = 0.105; n = (1.959964 + 0.841621)² (0.09 + 0.105·0.895) / 0.005²
        //   = 7.84887 · 0.183975 / 2.5e-5 ≈ 57,760 per arm; 20,000 are in, ≈ 37,760 still needed.
        let r = Comparison.compute(metric: Self.conversion, control: Self.proportion("a", 20000, 2000), treatment: Self.proportion("b", 20000, 2010))
        let v = Verdict.decide(primary: r)
        #expect(v.decision == .keepRunning)
        #expect(isClose(v.unitsStillNeededPerArm ?? 0, 37_760, relative: 0.001))
    }

    @Test func resultsRoundTripThroughJSON() throws {
        let r = Comparison.compute(metric: Self.conversion, control: Self.proportion("a", 20000, 2000), treatment: Self.proportion("b", 20000, 2010))
        let decoded = try JSONDecoder().decode(MetricComparison.self, from: JSONEncoder().encode(r))
        #expect(decoded == r)
        let verdict = Verdict.decide(primary: r)
        #expect(try JSONDecoder().decode(Verdict.self, from: JSONEncoder().encode(verdict)) == verdict)
    }

    @Test func sampleRatioMismatchOverridesTheResult() {
        let r = Comparison.compute(metric: Self.conversion, control: Self.proportion("a", 20000, 2000), treatment: Self.proportion("b", 20000, 2300))
        let srm = SampleRatioMismatch.compute(periods: [AllocationPeriod(unitCounts: [52000, 48000], weights: [1, 1])])
        #expect(Verdict.decide(primary: r, sampleRatioMismatch: srm).decision == .checkAssignment)
    }

    @Test func multipleTestingCanRemoveSignificance() {
        // Three comparisons with raw p 0.02, 0.03, 0.04: Holm gives 0.06, 0.06, 0.06.
        let base = Comparison.compute(
            metric: Self.conversion,
            control: Self.proportion("a", 20000, 2000),
            treatment: Self.proportion("b", 20000, 2300)
        )
        let results = [0.02, 0.03, 0.04].map { p -> MetricComparison in
            var r = base
            r.pValue = p
            r.usesSequentialPValue = false
            r.isSignificant = true
            return r
        }
        let adjusted = Comparison.applyMultipleTesting(results, method: .holm)
        #expect(adjusted.allSatisfy { !$0.isSignificant && isClose($0.adjustedPValue ?? 0, 0.06, relative: 1e-12) })
    }

    @Test(arguments: [
        (Direction.higherIsBetter, -0.05, -0.03, GuardrailStatus.breached),
        (.higherIsBetter, -0.03, 0.01, .atRisk),
        (.higherIsBetter, -0.01, 0.02, .passed),
        (.lowerIsBetter, 0.03, 0.05, .breached),
        (.lowerIsBetter, -0.01, 0.03, .atRisk),
        (.lowerIsBetter, -0.02, 0.01, .passed),
    ])
    func guardrailStatusIsDirectionAware(direction: Direction, lower: Double, upper: Double, expected: GuardrailStatus) {
        let guardrail = Guardrail(allowedDegradation: 0.02, direction: direction)
        #expect(guardrail.status(of: Interval(lower: lower, upper: upper)) == expected)
    }

    /// Reasons print p as people read it, not as 17 digits.
    @Test(arguments: [
        (0.39059002910169804, "p = 0.3906"), (1.0, "p = 1.0000"), (0.05, "p = 0.0500"), (0.00005, "p < 0.0001"), (0.00016, "p = 0.0002"),
    ])
    func pValuesArePrintedWithFourDecimals(p: Double, text: String) {
        #expect(Verdict.pText(p) == text)
    }
}
