import Spec

/// One side of a declared metric as the cell query computes it per unit: a source, how its
/// n and total become a value, and the cap. A count, sum or any metric is one part (x); a
/// mean is total over n (x, y); a ratio is its numerator metric's part over its
/// denominator's.
struct OutcomeMetricPart: Sendable, Equatable {
    /// `count` (n), `sum` (total) or `any` (1 when n > 0).
    var aggregation: String
    /// Index into the spec's sources (`OutcomeMetricSource.all`), from 1 as in SQL.
    var source: Int
    /// A fixed cap, or −1 for none.
    var capValue: Double
    /// A percentile cap (0.99), or −1 for none.
    var capPercentile: Double

    /// The parts of `metric`: x, and y for mean and ratio; nil when a ratio's part is missing.
    static func parts(of metric: OutcomeMetric, in spec: ExperimentSpec, sources: [OutcomeMetricSource]) -> (x: Self, y: Self?)? {
        switch metric.aggregation {
        case .count, .sum, .any:
            return part(metric, sources: sources).map { ($0, nil) }
        case .mean:
            guard let source = OutcomeMetricSource(metric), let index = sources.firstIndex(of: source) else { return nil }
            return (
                Self(aggregation: "sum", source: index + 1, capValue: -1, capPercentile: -1),
                Self(aggregation: "count", source: index + 1, capValue: -1, capPercentile: -1)
            )
        case .ratio:
            guard let numerator = metric.numerator.flatMap(spec.metrics.definition(named:)).flatMap({ part($0, sources: sources) }),
                let denominator = metric.denominator.flatMap(spec.metrics.definition(named:)).flatMap({ part($0, sources: sources) })
            else { return nil }
            return (numerator, denominator)
        }
    }

    private static func part(_ metric: OutcomeMetric, sources: [OutcomeMetricSource]) -> Self? {
        guard [.count, .sum, .any].contains(metric.aggregation), let source = OutcomeMetricSource(metric),
            let index = sources.firstIndex(of: source)
        else { return nil }
        var part = Self(aggregation: metric.aggregation.rawValue, source: index + 1, capValue: -1, capPercentile: -1)
        switch metric.cap {
        case .value(let value)?: part.capValue = value
        case .percentile(let quantile)?: part.capPercentile = quantile
        case nil: break
        }
        return part
    }
}
