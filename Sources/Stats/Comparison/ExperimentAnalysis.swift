/// Everything the evaluator says about one experiment: every arm × metric comparison (with
/// multiple-testing adjusted p-values), the SRM check and one verdict per treatment arm.
public struct ExperimentReport: Sendable, Hashable, Codable {
    /// One comparison per treatment arm × metric, primary metric first.
    public var comparisons: [MetricComparison]
    /// The sample-ratio-mismatch check, when the allocation history was given.
    public var sampleRatioMismatch: SampleRatioMismatchResult?
    /// One verdict per treatment arm, in arm order.
    public var verdicts: [Verdict]
}

/// Runs the whole analysis of an experiment on the per-arm statistics of each metric.
public enum ExperimentAnalysis {
    /// Compares every non-control arm with `controlArm` on every metric (`metrics[0]` is the
    /// primary; metrics with a `guardrail` are guardrails), adjusts the p-values across arms ×
    /// metrics with `settings.multipleTesting`, runs the SRM check on `allocationPeriods`
    /// (arm order = `arms`) and decides each arm. Metrics missing from `data` are skipped.
    public static func compute(
        metrics: [MetricSpec],
        arms: [String],
        controlArm: String,
        data: [String: [ArmData]],
        allocationPeriods: [AllocationPeriod]? = nil,
        settings: AnalysisSettings = .init()
    ) -> ExperimentReport {
        var comparisons: [MetricComparison] = []
        for metric in metrics {
            guard let rows = data[metric.name], let control = rows.first(where: { $0.arm == controlArm }) else { continue }
            for arm in arms where arm != controlArm {
                guard let treatment = rows.first(where: { $0.arm == arm }) else { continue }
                comparisons.append(Comparison.compute(metric: metric, control: control, treatment: treatment, settings: settings))
            }
        }
        comparisons = Comparison.applyMultipleTesting(comparisons, method: settings.multipleTesting, alpha: settings.alpha)
        let srm = allocationPeriods.map { SampleRatioMismatch.compute(periods: $0) }
        let primaryName = metrics.first?.name
        let guardrailNames = Set(metrics.filter { $0.guardrail != nil }.map(\.name))
        let verdicts = arms.filter { $0 != controlArm }.compactMap { arm -> Verdict? in
            guard let primary = comparisons.first(where: { $0.arm == arm && $0.metric == primaryName }) else { return nil }
            let guardrails = comparisons.filter { $0.arm == arm && guardrailNames.contains($0.metric) && $0.metric != primaryName }
            return Verdict.decide(primary: primary, guardrails: guardrails, sampleRatioMismatch: srm)
        }
        return ExperimentReport(comparisons: comparisons, sampleRatioMismatch: srm, verdicts: verdicts)
    }
}
