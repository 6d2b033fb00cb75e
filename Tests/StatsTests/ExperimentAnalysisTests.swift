import Testing

@testable import Stats

/// The whole-experiment analysis on a hand-built three-arm experiment.
@Suite struct ExperimentAnalysisTests {
    static func conversions(_ arm: String, _ n: Double, _ x: Double) -> ArmData {
        ArmData(arm: arm, statistics: SufficientStatistics(count: n, sum: x, sumOfSquares: x))
    }

    static func latency(_ arm: String, _ n: Double, _ mean: Double) -> ArmData {
        let sum = n * mean
        return ArmData(arm: arm, statistics: SufficientStatistics(count: n, sum: sum, sumOfSquares: (n - 1) * 900 + sum * sum / n))
    }

    @Test func decidesEachArmAndAdjustsAcrossArmsAndMetrics() {
        // Arm "better": 10% → 11.5% conversion, latency unchanged → ship.
        // Arm "slow": same conversion win but latency +10% against a 2% tolerance → stop.
        // Arm "same": 10% → 10.05% → keep running.
        let metrics = [
            MetricSpec(name: "conversion", kind: .proportion, minimumDetectableEffect: 0.05),
            MetricSpec(
                name: "latency",
                kind: .mean,
                direction: .lowerIsBetter,
                guardrail: Guardrail(allowedDegradation: 0.02, direction: .lowerIsBetter)
            ),
        ]
        let data: [String: [ArmData]] = [
            "conversion": [
                Self.conversions("control", 20000, 2000), Self.conversions("better", 20000, 2300),
                Self.conversions("slow", 20000, 2300), Self.conversions("same", 20000, 2010),
            ],
            "latency": [
                Self.latency("control", 20000, 120), Self.latency("better", 20000, 120), Self.latency("slow", 20000, 132),
                Self.latency("same", 20000, 120),
            ],
        ]
        let report = ExperimentAnalysis.compute(
            metrics: metrics,
            arms: ["control", "better", "slow", "same"],
            controlArm: "control",
            data: data,
            allocationPeriods: [AllocationPeriod(unitCounts: [20000, 20000, 20000, 20000], weights: [1, 1, 1, 1])]
        )
        #expect(report.comparisons.count == 6)
        #expect(report.comparisons.allSatisfy { $0.adjustedPValue != nil })
        #expect(report.sampleRatioMismatch?.isMismatch == false)
        #expect(report.verdicts.map(\.arm) == ["better", "slow", "same"])
        #expect(report.verdicts.map(\.decision) == [.ship, .stopForHarm, .keepRunning])
    }
}
