import Spec
import Stats

/// How a spec's metric names map onto the evaluator's SQL metrics and the statistics layer;
/// shared by `abctl report` and the built-in dashboard so both compute the same numbers.
public enum MetricMapping {
    /// The metric column of abctl_arm_statistics.
    public static func sqlName(of metric: MetricName) -> String {
        switch metric.kind {
        case .precision: "precision@k"
        case .recall: "recall@k"
        case .ndcg: "ndcg@k"
        case .mrr: "mrr"
        case .hit: "hit@k"
        case .ctr: "ctr"
        case .conversion: "conversion"
        case .revenuePerUnit: "revenue_per_unit"
        }
    }

    /// Per-impression metrics and CTR are ratios over the unit's impressions; conversion is
    /// a proportion of units; revenue a mean per unit.
    public static func kind(of metric: MetricName) -> MetricKind {
        switch metric.kind {
        case .conversion: .proportion
        case .revenuePerUnit: .mean
        default: .ratio
        }
    }

    /// The statistics layer's description of a spec metric, with its guardrail if any.
    public static func metricSpec(_ metric: MetricName, spec: ExperimentSpec) -> MetricSpec {
        let guardrail = spec.metrics.guardrails.first { $0.metric == metric }.map { rail in
            Stats.Guardrail(
                allowedDegradation: rail.maxRelativeDrop ?? rail.maxAbsoluteDrop ?? 0,
                scale: rail.maxRelativeDrop != nil ? .relative : .absolute
            )
        }
        return MetricSpec(name: metric.description, kind: kind(of: metric), guardrail: guardrail, minimumDetectableEffect: 0.05)
    }
}

extension MetricMapping {
    /// A declared metric's kind: count and sum are means of per-unit values, any a
    /// proportion, mean and ratio ratios of sums (delta method).
    public static func kind(of metric: OutcomeMetric) -> MetricKind {
        switch metric.aggregation {
        case .count, .sum: .mean
        case .any: .proportion
        case .mean, .ratio: .ratio
        }
    }

    /// The statistics layer's description of a declared metric, with its guardrail if any.
    public static func metricSpec(_ metric: OutcomeMetric) -> MetricSpec {
        let guardrail =
            metric.hasGuardrail
            ? Stats.Guardrail(
                allowedDegradation: metric.maxRelativeDrop ?? metric.maxAbsoluteDrop ?? 0,
                scale: metric.maxRelativeDrop != nil ? .relative : .absolute
            ) : nil
        return MetricSpec(name: metric.name, kind: kind(of: metric), guardrail: guardrail, minimumDetectableEffect: 0.05)
    }
}

extension MetricMapping {
    /// The statistics layer's correction for the spec's; nil for `none`.
    public static func correction(_ correction: AnalysisSpec.Correction) -> MultipleTestingMethod? {
        switch correction {
        case .holm: .holm
        case .benjaminiHochberg: .benjaminiHochberg
        case .none: nil
        }
    }
}
