import Foundation
import Testing

@testable import Stats

/// Degenerate data yields a result with a message, never a crash and never NaN or infinity:
/// JSONEncoder refuses non-finite numbers, so encoding the result proves there are none.
@Suite struct DegenerateDataTests {
    static let cases: [(String, MetricKind, SufficientStatistics, SufficientStatistics)] = [
        ("empty arm", .proportion, .zero, SufficientStatistics(count: 100, sum: 5, sumOfSquares: 5)),
        ("one unit", .mean, SufficientStatistics(count: 1, sum: 3, sumOfSquares: 9), SufficientStatistics(count: 50, sum: 100, sumOfSquares: 260)),
        (
            "zero variance", .mean, SufficientStatistics(count: 10, sum: 20, sumOfSquares: 40),
            SufficientStatistics(count: 10, sum: 20, sumOfSquares: 40)
        ),
        (
            "no conversions", .proportion, SufficientStatistics(count: 500, sum: 0, sumOfSquares: 0),
            SufficientStatistics(count: 500, sum: 0, sumOfSquares: 0)
        ),
        (
            "zero denominator", .ratio,
            SufficientStatistics(count: 10, sum: 0, sumOfSquares: 0, denominatorSum: 0, denominatorSumOfSquares: 0, crossProductSum: 0),
            SufficientStatistics(count: 10, sum: 3, sumOfSquares: 3, denominatorSum: 20, denominatorSumOfSquares: 50, crossProductSum: 7)
        ),
        (
            "zero control mean", .mean, SufficientStatistics(count: 4, sum: 0, sumOfSquares: 8),
            SufficientStatistics(count: 4, sum: 4, sumOfSquares: 12)
        ),
    ]

    @Test(arguments: cases.indices)
    func degenerateInputGivesAMessageAndFiniteOutput(index: Int) throws {
        let (name, kind, a, b) = Self.cases[index]
        let metric = MetricSpec(name: name, kind: kind, guardrail: Guardrail(allowedDegradation: 0.01), minimumDetectableEffect: 0.05)
        let r = Comparison.compute(metric: metric, control: ArmData(arm: "a", statistics: a), treatment: ArmData(arm: "b", statistics: b))
        #expect(!r.messages.isEmpty, "\(name)")
        #expect(!r.isSignificant)
        #expect(r.guardrailStatus == .atRisk, "a guardrail cannot pass on a test that did not run")
        let verdict = Verdict.decide(primary: r)
        #expect(verdict.decision != .ship)
        _ = try JSONEncoder().encode(r)
        _ = try JSONEncoder().encode(verdict)
        _ = try JSONEncoder().encode(BetaBinomialTest.compute(control: a, treatment: b))
        _ = try JSONEncoder().encode(StratifiedAnalysis.compute(periods: [PeriodStatistics(control: a, treatment: b)], kind: kind))
    }

    @Test func covariateEqualToTheMetricLeavesNoVarianceAndSaysSo() throws {
        // x = z = (1, 2, 3) in both arms: θ = 1 and x − θz ≡ 0, so the adjusted variance is 0.
        let x = SufficientStatistics(count: 3, sum: 6, sumOfSquares: 14)
        let z = CovariateStatistics(sum: 6, sumOfSquares: 14, crossProductSum: 14)
        let r = Comparison.compute(
            metric: MetricSpec(name: "revenue", kind: .mean),
            control: ArmData(arm: "a", statistics: x, covariate: z),
            treatment: ArmData(arm: "b", statistics: x, covariate: z)
        )
        #expect(r.cupedTheta == 1)
        #expect(r.messages.contains(Degeneracy.zeroVariance.description))
        _ = try JSONEncoder().encode(r)
    }

    @Test func degenerateSRMInputsAreHandled() throws {
        let none = SampleRatioMismatch.compute(periods: [])
        #expect(!none.isMismatch && none.message != nil)
        let one = SampleRatioMismatch.compute(periods: [AllocationPeriod(unitCounts: [10], weights: [1])])
        #expect(!one.isMismatch)
        _ = try JSONEncoder().encode(one)
    }
}
