import Stats
import Storage

/// Runs the report's comparisons on evaluator cells: pooled or post-stratified on the allocation period, with
/// CUPED when the cells carry a covariate, then multiple testing, SRM and verdicts.
public struct ReportAnalysis: Sendable {
    public var metrics: [MetricSpec]
    public var arms: [String]
    public var controlArm: String
    public var settings: AnalysisSettings
    /// nil: no multiple-testing correction (the spec's `correction: none`).
    public var correction: MultipleTestingMethod?
    public var method: AnalysisMethod

    /// An analysis of `arms` against `controlArm` on `metrics`.
    public init(
        metrics: [MetricSpec],
        arms: [String],
        controlArm: String,
        settings: AnalysisSettings,
        correction: MultipleTestingMethod?,
        method: AnalysisMethod
    ) {
        self.metrics = metrics
        self.arms = arms
        self.controlArm = controlArm
        self.settings = settings
        self.correction = correction
        self.method = method
    }

    /// One comparison per treatment arm × metric over `cells` (keyed by metric name): pooled
    /// when one allocation was in force, else post-stratified on the allocation periods.
    public func comparisons(_ cells: [String: [ReportCell]]) -> [MetricComparison] {
        var result: [MetricComparison] = []
        for metric in metrics {
            guard let metricCells = cells[metric.name] else { continue }
            let treatments = arms.filter { $0 != controlArm }
            if method.isStratified {
                let periods = Self.periods(metricCells)
                result += treatments.map { arm in
                    let estimate = PostStratification.estimate(periods: periods, arms: [controlArm, arm], kind: metric.kind, weightArms: arms)
                    return PostStratifiedComparison.compute(
                        estimate: estimate,
                        metric: metric,
                        control: controlArm,
                        treatment: arm,
                        settings: settings
                    )
                }
            } else {
                let control = Self.armData(controlArm, metricCells.filter { $0.arm == controlArm })
                result += treatments.map { arm in
                    let treatment = Self.armData(arm, metricCells.filter { $0.arm == arm })
                    return Comparison.compute(metric: metric, control: control, treatment: treatment, settings: settings)
                }
            }
        }
        return result
    }

    /// The cells' statistics per allocation period (in period order) and arm.
    static func periods(_ cells: [ReportCell]) -> [[String: SufficientStatistics]] {
        var byPeriod: [Int64: [String: SufficientStatistics]] = [:]
        for cell in cells {
            byPeriod[cell.period, default: [:]][cell.arm, default: .zero] = (byPeriod[cell.period]?[cell.arm] ?? .zero) + cell.statistics
        }
        return byPeriod.keys.sorted().compactMap { byPeriod[$0] }
    }

    /// Multiple testing across `comparisons` (all of them are one family).
    public func adjusted(_ comparisons: [MetricComparison]) -> [MetricComparison] {
        guard let correction else { return comparisons }
        return Comparison.applyMultipleTesting(comparisons, method: correction, alpha: settings.alpha)
    }

    /// The whole report: comparisons, the correction across arms × metrics, SRM, verdicts.
    public func report(_ cells: [String: [ReportCell]], allocationPeriods: [AllocationPeriod]?) -> ExperimentReport {
        let comparisons = adjusted(comparisons(cells))
        // ExperimentReport has no public initialiser: start from an empty analysis (which
        // runs the SRM check) and fill in this report's comparisons and verdicts.
        var report = ExperimentAnalysis.compute(
            metrics: [],
            arms: arms,
            controlArm: controlArm,
            data: [:],
            allocationPeriods: allocationPeriods,
            settings: settings
        )
        let srm = report.sampleRatioMismatch
        let primary = metrics.first?.name
        let guardrailNames = Set(metrics.filter { $0.guardrail != nil }.map(\.name))
        let verdicts = arms.filter { $0 != controlArm }.compactMap { arm -> Verdict? in
            guard let main = comparisons.first(where: { $0.arm == arm && $0.metric == primary }) else { return nil }
            let guardrails = comparisons.filter { $0.arm == arm && guardrailNames.contains($0.metric) && $0.metric != primary }
            return Verdict.decide(primary: main, guardrails: guardrails, sampleRatioMismatch: srm)
        }
        report.comparisons = comparisons
        report.verdicts = verdicts
        return report
    }

    /// The sums of an arm's cells; the covariate only when every cell has one.
    public static func armData(_ arm: String, _ cells: [ReportCell]) -> ArmData {
        let statistics = cells.reduce(SufficientStatistics.zero) { $0 + $1.statistics }
        let covariates = cells.compactMap(\.covariate)
        let covariate =
            covariates.count == cells.count && !cells.isEmpty
            ? covariates.reduce(CovariateStatistics(sum: 0, sumOfSquares: 0, crossProductSum: 0)) {
                CovariateStatistics(
                    sum: $0.sum + $1.sum,
                    sumOfSquares: $0.sumOfSquares + $1.sumOfSquares,
                    crossProductSum: $0.crossProductSum + $1.crossProductSum
                )
            } : nil
        return ArmData(arm: arm, statistics: statistics, covariate: covariate)
    }
}
