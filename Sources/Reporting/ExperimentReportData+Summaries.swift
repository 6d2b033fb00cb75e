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

    /// Per metric, per arm: units, the mean with its normal interval at `confidenceLevel`,
    /// the raw pooled mean, and the Beta posterior of proportions. The mean is the
    /// estimator's: pooled under one allocation, post-stratified on the allocation period
    /// when the weights moved (the same means the comparisons use).
    static func summaries(
        metrics: [MetricSpec],
        arms: [String],
        cells: [String: [ReportCell]],
        confidenceLevel: Double,
        method: AnalysisMethod
    ) -> [String: [ArmSummary]] {
        let z = Normal.quantile(1 - (1 - confidenceLevel) / 2)
        var summaries: [String: [ArmSummary]] = [:]
        for metric in metrics {
            let metricCells = cells[metric.name] ?? []
            let pooled = Dictionary(
                uniqueKeysWithValues: arms.map { arm in
                    (arm, metricCells.filter { $0.arm == arm }.reduce(SufficientStatistics.zero) { $0 + $1.statistics })
                }
            )
            var stratified: PostStratifiedEstimate?
            if method.isStratified {
                let present = arms.filter { (pooled[$0]?.count ?? 0) >= 2 }
                stratified = PostStratification.estimate(
                    periods: ReportAnalysis.periods(metricCells),
                    arms: present,
                    kind: metric.kind,
                    weightArms: arms
                )
            }
            for arm in arms {
                let statistics = pooled[arm] ?? .zero
                let raw = statistics.estimate(kind: metric.kind)
                let rawMean = statistics.count > 0 && raw.mean.isFinite ? raw.mean : nil
                var (mean, halfWidth) = (rawMean, z * raw.varianceOfMean.squareRoot())
                if let stratified {
                    let estimate = stratified.arm(arm)
                    mean = estimate.map(\.mean).flatMap { $0.isFinite ? $0 : nil }
                    halfWidth = z * (estimate?.variance ?? .nan).squareRoot()
                }
                let isProportion = metric.kind == .proportion
                summaries[metric.name, default: []].append(
                    ArmSummary(
                        arm: arm,
                        units: statistics.count,
                        mean: mean,
                        interval: mean.flatMap { m in
                            statistics.count >= 2 && halfWidth.isFinite ? Interval(lower: m - halfWidth, upper: m + halfWidth) : nil
                        },
                        pooledMean: rawMean,
                        posteriorAlpha: isProportion ? statistics.sum + 1 : nil,
                        posteriorBeta: isProportion ? statistics.count - statistics.sum + 1 : nil
                    )
                )
            }
        }
        return summaries
    }
}
