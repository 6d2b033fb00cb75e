import Foundation
import Spec
import Stats
import Storage

/// Everything `abctl report` shows about one experiment: the stored spec, the evaluator's
/// per-arm statistics, the statistical report and the allocation history.
struct ExperimentReportData: Codable {
    var experiment: String
    var version: Int
    var since: Date?
    var until: Date?
    var generatedAt: Date
    var controlArm: String
    var arms: [String]
    /// Pooled or per-period weighting, and why.
    var analysisMethod: AnalysisMethod
    /// Per metric name, per arm: units and the mean of the metric.
    var armSummaries: [String: [ArmSummary]]
    var report: ExperimentReport
    var allocations: [AllocationPoint]
    /// Per-segment results when `--segment` was given.
    var segments: SegmentBreakdown?
    /// CUPED's covariate and effect when the spec names a covariate.
    var cuped: CUPEDSummary?
    /// Lift per day over the units that entered by then, for the charts.
    var cumulativeLift: [CumulativeLiftPoint]

    struct ArmSummary: Codable {
        var arm: String
        var units: Double
        var mean: Double?
        /// Beta posterior parameters for proportion metrics (successes + 1, failures + 1).
        var posteriorAlpha: Double?
        var posteriorBeta: Double?
    }

    struct AllocationPoint: Codable {
        var version: Int64
        var effectiveFrom: Date
        var policy: String
        var weights: [String: Double]
    }

    /// Units per arm in each allocation period (from one metric's cells: every unit has every
    /// metric) against the weights in force then, for the sample-ratio-mismatch check.
    static func allocationPeriods(cells: [ReportCell], allocations: [ExperimentStore.AllocationRecord], arms: [String]) -> [AllocationPeriod]? {
        guard !cells.isEmpty else { return nil }
        let byVersion = Dictionary(allocations.map { ($0.version, $0.weights) }, uniquingKeysWith: { a, _ in a })
        var periods: [AllocationPeriod] = []
        for period in Set(cells.map(\.period)).sorted() {
            guard let weights = byVersion[period] else { continue }
            let counts = arms.map { arm in cells.filter { $0.period == period && $0.arm == arm }.reduce(0) { $0 + $1.statistics.count } }
            periods.append(AllocationPeriod(unitCounts: counts, weights: arms.map { weights[$0] ?? 0 }))
        }
        return periods.isEmpty ? nil : periods
    }

    /// Per metric, per arm: units, mean and the Beta posterior of proportions, pooled.
    static func summaries(metrics: [MetricSpec], arms: [String], cells: [String: [ReportCell]]) -> [String: [ArmSummary]] {
        var summaries: [String: [ArmSummary]] = [:]
        for metric in metrics {
            for arm in arms {
                let statistics = (cells[metric.name] ?? []).filter { $0.arm == arm }.reduce(SufficientStatistics.zero) { $0 + $1.statistics }
                let mean = statistics.estimate(kind: metric.kind).mean
                let isProportion = metric.kind == .proportion
                summaries[metric.name, default: []].append(
                    ArmSummary(
                        arm: arm,
                        units: statistics.count,
                        mean: statistics.count > 0 && mean.isFinite ? mean : nil,
                        posteriorAlpha: isProportion ? statistics.sum + 1 : nil,
                        posteriorBeta: isProportion ? statistics.count - statistics.sum + 1 : nil
                    )
                )
            }
        }
        return summaries
    }
}

/// A report that cannot be made, as a sentence.
struct ReportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
