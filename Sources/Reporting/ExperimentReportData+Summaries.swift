import Stats
import Storage

extension ExperimentReportData {
    /// Units per arm in each allocation period (from one metric's cells: every unit has every
    /// metric) against the weights in force then, for the sample-ratio-mismatch check.
    static func allocationPeriods(cells: [ReportCell], allocations: [AllocationPoint], arms: [String]) -> [AllocationPeriod]? {
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

    /// Per metric, per arm: units, the mean pooled over periods with its normal interval at
    /// `confidenceLevel`, and the Beta posterior of proportions.
    static func summaries(
        metrics: [MetricSpec],
        arms: [String],
        cells: [String: [ReportCell]],
        confidenceLevel: Double
    ) -> [String: [ArmSummary]] {
        let z = Normal.quantile(1 - (1 - confidenceLevel) / 2)
        var summaries: [String: [ArmSummary]] = [:]
        for metric in metrics {
            for arm in arms {
                let statistics = (cells[metric.name] ?? []).filter { $0.arm == arm }.reduce(SufficientStatistics.zero) { $0 + $1.statistics }
                let estimate = statistics.estimate(kind: metric.kind)
                let mean = statistics.count > 0 && estimate.mean.isFinite ? estimate.mean : nil
                let halfWidth = z * estimate.varianceOfMean.squareRoot()
                let isProportion = metric.kind == .proportion
                summaries[metric.name, default: []].append(
                    ArmSummary(
                        arm: arm,
                        units: statistics.count,
                        mean: mean,
                        interval: mean != nil && statistics.count >= 2 && halfWidth.isFinite
                            ? Interval(lower: estimate.mean - halfWidth, upper: estimate.mean + halfWidth) : nil,
                        posteriorAlpha: isProportion ? statistics.sum + 1 : nil,
                        posteriorBeta: isProportion ? statistics.count - statistics.sum + 1 : nil
                    )
                )
            }
        }
        return summaries
    }
}
