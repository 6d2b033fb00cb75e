import Stats
import Storage

/// What CUPED did: the covariate, where its values came from, and per arm × metric the θ
/// used and how much it shrank the variance of the lift.
public struct CUPEDSummary: Codable, Sendable {
    /// The covariate as the spec names it.
    public var covariate: String
    /// Where the pre-period values come from, in a sentence.
    public var source: String
    /// Why CUPED was not applied, when it was not.
    public var note: String?
    public var adjustments: [Adjustment]

    /// CUPED's effect on one comparison.
    public struct Adjustment: Codable, Sendable {
        public var metric: String
        public var arm: String
        public var theta: Double
        /// 1 − Var(adjusted lift) / Var(unadjusted lift).
        public var varianceReduction: Double
    }

    /// θ and the variance reduction of the absolute lift for every arm × metric whose
    /// cells carry a covariate: 1 − (V_adj,A/n_A + V_adj,B/n_B) / (σ²_A/n_A + σ²_B/n_B).
    static func compute(covariate: PrePeriodCovariate, cells: [String: [ReportCell]], analysis: ReportAnalysis) -> CUPEDSummary {
        var adjustments: [Adjustment] = []
        for metric in analysis.metrics where metric.kind != .ratio {
            let metricCells = cells[metric.name] ?? []
            let control = ReportAnalysis.armData(analysis.controlArm, metricCells.filter { $0.arm == analysis.controlArm })
            for arm in analysis.arms where arm != analysis.controlArm {
                let treatment = ReportAnalysis.armData(arm, metricCells.filter { $0.arm == arm })
                guard let za = control.covariate, let zb = treatment.covariate else { continue }
                let adjusted = CUPED.adjust(control: (control.statistics, za), treatment: (treatment.statistics, zb), kind: metric.kind)
                let before =
                    control.statistics.estimate(kind: metric.kind).varianceOfMean
                    + treatment.statistics.estimate(kind: metric.kind).varianceOfMean
                let after = adjusted.control.varianceOfMean + adjusted.treatment.varianceOfMean
                guard before > 0, after.isFinite else { continue }
                adjustments.append(Adjustment(metric: metric.name, arm: arm, theta: adjusted.theta, varianceReduction: 1 - after / before))
            }
        }
        return CUPEDSummary(
            covariate: covariate.name,
            source: covariate.sourceDescription,
            note: analysis.method.isStratified
                ? "CUPED is not combined with post-stratification; the lifts are unadjusted."
                : (adjustments.isEmpty ? "No metric could be adjusted: ratio metrics are not adjusted, and θ is 0 without covariate variance." : nil),
            adjustments: adjustments
        )
    }
}
