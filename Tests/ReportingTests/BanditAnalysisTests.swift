import Foundation
import Stats
import Storage
import Testing

@testable import Reporting

/// The report's analysis on the cells of a bandit whose allocation moved while the base
/// rate drifted (the fixture of Tests/CLITests/ReportBanditTests.swift, without a database):
/// post-stratification gets the lift's sign right where pooling gets it wrong. Expected
/// values: scripts/stats_poststratification_reference.py ("bandit fixture"), which writes
/// the estimator out unit by unit in plain Python.
@Suite struct BanditAnalysisTests {
    static let day1 = Date(timeIntervalSince1970: 1_795_132_800)
    static let day2 = day1.addingTimeInterval(86_400)

    /// Conversion cells: n units of which x converted (a 0/1 metric, so Σx² = Σx).
    static func cell(_ arm: String, period: Int64, day: Date, units: Double, converted: Double) -> ReportCell {
        ReportCell(
            arm: arm,
            period: period,
            segment: nil,
            day: day,
            metric: "conversion",
            statistics: SufficientStatistics(count: units, sum: converted, sumOfSquares: converted)
        )
    }

    // Period 1 (90/10): control 4,500/9,000, treatment 550/1,000. Period 2 (10/90): control
    // 100/1,000, treatment 990/9,000.
    static let cells: [String: [ReportCell]] = [
        "conversion": [
            cell("control", period: 1, day: day1, units: 9000, converted: 4500),
            cell("treatment", period: 1, day: day1, units: 1000, converted: 550),
            cell("control", period: 2, day: day2, units: 1000, converted: 100),
            cell("treatment", period: 2, day: day2, units: 9000, converted: 990),
        ]
    ]

    static func analysis(method: AnalysisMethod) -> ReportAnalysis {
        ReportAnalysis(
            metrics: [MetricSpec(name: "conversion", kind: .proportion)],
            arms: ["control", "treatment"],
            controlArm: "control",
            settings: AnalysisSettings(alpha: 0.05, sequential: false),
            correction: .holm,
            method: method
        )
    }

    @Test func unitsUnderTwoAllocationVersionsChoosePostStratification() {
        #expect(AnalysisMethod.choose(periodsWithUnits: [1, 2]).isStratified)
        #expect(!AnalysisMethod.choose(periodsWithUnits: [1]).isStratified)
        #expect(!AnalysisMethod.choose(periodsWithUnits: []).isStratified)
    }

    @Test func postStratificationFindsTheLiftPoolingReverses() throws {
        let method = AnalysisMethod.choose(periodsWithUnits: Set(Self.cells.values.flatMap { $0.map(\.period) }))
        let report = Self.analysis(method: method).report(Self.cells, allocationPeriods: nil)
        let c = try #require(report.comparisons.first)
        // Means over both periods' traffic (weights ½, ½): control ½·0.5 + ½·0.1 = 0.3,
        // treatment ½·0.55 + ½·0.11 = 0.33; Δ = 0.03, 95% CI [0.0109640, 0.0490360], p = 0.00200945.
        #expect(abs(c.controlMean - 0.3) < 1e-12 && abs(c.treatmentMean - 0.33) < 1e-12)
        #expect(abs(c.absoluteLift.estimate - 0.03) < 1e-12)
        #expect(abs((c.absoluteLift.interval.lower ?? 0) - 0.0109640) < 1e-7)
        #expect(abs((c.absoluteLift.interval.upper ?? 0) - 0.0490360) < 1e-7)
        #expect(abs(c.pValue - 0.00200945) < 1e-8)
        // Relative: 0.33/0.3 less its second-order bias = 9.9638%, log-scale CI [3.6400%, 16.7503%].
        #expect(abs(c.relativeLift.estimate - 0.0996380016) < 1e-9)
        #expect(abs((c.relativeLift.interval.lower ?? 0) - 0.0364002451) < 1e-9)
        #expect(abs((c.relativeLift.interval.upper ?? 0) - 0.1675026185) < 1e-9)
        // The normal posterior of the lift, N(0.03, V): P(Δ > 0) = 0.998995, expected loss
        // σφ(Δ/σ) − ΔΦ(−Δ/σ) = 2.70259e-6.
        #expect(abs(c.chanceToBeatControl - 0.998995273) < 1e-8)
        #expect(abs(c.expectedLoss - 2.702594977e-6) < 1e-12)
        #expect(report.verdicts.first?.decision == .ship)

        // Pooled, the same cells say treatment lost two thirds: (0.154 − 0.46) / 0.46.
        let pooled = try #require(
            Self.analysis(method: AnalysisMethod.choose(periodsWithUnits: [1])).report(Self.cells, allocationPeriods: nil).comparisons.first
        )
        #expect(abs(pooled.relativeLift.estimate - (0.154 - 0.46) / 0.46) < 1e-12)
    }

    @Test func armSummariesArePooledMeansWithNormalIntervals() throws {
        let summaries = ExperimentReportData.summaries(
            metrics: [MetricSpec(name: "conversion", kind: .proportion)],
            arms: ["control", "treatment"],
            cells: Self.cells,
            confidenceLevel: 0.95,
            method: AnalysisMethod.choose(periodsWithUnits: [1])
        )
        let control = try #require(summaries["conversion"]?.first { $0.arm == "control" })
        let treatment = try #require(summaries["conversion"]?.first { $0.arm == "treatment" })
        // 4,600/10,000 ± 1.959964·√(0.46·0.54/10,000) = [0.450232, 0.469768];
        // 1,540/10,000 ± 1.959964·√(0.154·0.846/10,000) = [0.146926, 0.161074].
        #expect(control.units == 10_000 && abs((control.mean ?? 0) - 0.46) < 1e-12)
        #expect(control.pooledMean == control.mean)
        #expect(abs((control.interval?.lower ?? 0) - 0.450232) < 1e-6 && abs((control.interval?.upper ?? 0) - 0.469768) < 1e-6)
        #expect(abs((treatment.interval?.lower ?? 0) - 0.146926) < 1e-6 && abs((treatment.interval?.upper ?? 0) - 0.161074) < 1e-6)
        // Beta(1 + successes, 1 + failures).
        #expect(control.posteriorAlpha == 4601 && control.posteriorBeta == 5401)
    }

    @Test func armSummariesArePostStratifiedWhenTheAllocationMoved() throws {
        let summaries = ExperimentReportData.summaries(
            metrics: [MetricSpec(name: "conversion", kind: .proportion)],
            arms: ["control", "treatment"],
            cells: Self.cells,
            confidenceLevel: 0.95,
            method: AnalysisMethod.choose(periodsWithUnits: [1, 2])
        )
        let control = try #require(summaries["conversion"]?.first { $0.arm == "control" })
        // The mean the lift is computed from, 0.3 ± 1.959964·√V = [0.2893316, 0.3106684], and
        // the raw pooled 0.46 beside it.
        #expect(abs((control.mean ?? 0) - 0.3) < 1e-12 && abs((control.pooledMean ?? 0) - 0.46) < 1e-12)
        #expect(abs((control.interval?.lower ?? 0) - 0.2893316369) < 1e-9)
        #expect(abs((control.interval?.upper ?? 0) - 0.3106683631) < 1e-9)
        #expect(control.units == 10_000)
    }

    @Test func allocationPeriodsCountUnitsAgainstTheWeightsInForce() throws {
        let allocations = [
            ExperimentReportData.AllocationPoint(
                version: 1,
                effectiveFrom: Self.day1,
                policy: "thompson",
                weights: ["control": 0.9, "treatment": 0.1]
            ),
            ExperimentReportData.AllocationPoint(
                version: 2,
                effectiveFrom: Self.day2,
                policy: "thompson",
                weights: ["control": 0.1, "treatment": 0.9]
            ),
        ]
        let periods = try #require(
            ExperimentReportData.allocationPeriods(cells: Self.cells["conversion"] ?? [], allocations: allocations, arms: ["control", "treatment"])
        )
        #expect(
            periods == [
                AllocationPeriod(unitCounts: [9000, 1000], weights: [0.9, 0.1]),
                AllocationPeriod(unitCounts: [1000, 9000], weights: [0.1, 0.9]),
            ]
        )
        #expect(ExperimentReportData.allocationPeriods(cells: [], allocations: allocations, arms: ["control"]) == nil)
    }

    /// Power and units still needed come from the estimator in use: its standard error
    /// √(V_A + V_B) = √9.43309e-5 now (scripts/stats_poststratification_reference.py), shrinking
    /// as 1/√n with more units at the current split. For a 5% relative MDE on control 0.3:
    /// δ = 0.015, power = Φ(δ/se − 1.96) + Φ(−δ/se − 1.96) = 0.339099; 80% power needs
    /// 32,906.2 units per arm (bisection on the same formula), so 22,907 more than 10,000.
    @Test func powerAndUnitsStillNeededFollowThePostStratifiedVariance() throws {
        let method = AnalysisMethod.choose(periodsWithUnits: [1, 2])
        var analysis = Self.analysis(method: method)
        analysis.metrics = [MetricSpec(name: "conversion", kind: .proportion, minimumDetectableEffect: 0.05)]
        let c = try #require(analysis.comparisons(Self.cells).first)
        #expect(abs((c.power ?? 0) - 0.3390991206) < 1e-8)
        #expect(c.unitsStillNeededPerArm == 22_907)
    }
}
