import Foundation
import Spec

/// Everything that turns an experiment's logs into metric values at one cut-off K: the key
/// under which its maintained aggregates are stored (sql/0015_maintained_aggregates.sql).
/// Two definitions with any field different never share aggregates, so a spec change that
/// alters K, the gains or the attribution window starts afresh instead of mixing.
public struct MetricDefinition: Sendable, Equatable, Hashable {
    /// The experiment's name.
    public var experiment: String
    /// The ranking cut-off.
    public var k: Int
    /// Seconds after an impression during which feedback counts.
    public var attributionWindowSeconds: Int
    /// Relevance grade per event type.
    public var gains: [String: Double]
    /// DCG gain 2^r − 1 instead of r.
    public var isExponential: Bool
    /// Impressions shown before refresh time − this many seconds are counted: 0 for the
    /// report (everything logged so far), the attribution window for the allocator (only
    /// impressions whose window has closed).
    public var cutoffLagSeconds: Int

    /// A definition from its fields.
    public init(experiment: String, k: Int, attributionWindowSeconds: Int, gains: [String: Double], isExponential: Bool, cutoffLagSeconds: Int = 0) {
        self.experiment = experiment
        self.k = k
        self.attributionWindowSeconds = attributionWindowSeconds
        self.gains = gains
        self.isExponential = isExponential
        self.cutoffLagSeconds = cutoffLagSeconds
    }

    /// The report's definition of `spec`'s metrics at cut-off `k` (lag 0).
    public init(experiment: String, spec: ExperimentSpec, k: Int) {
        self.init(
            experiment: experiment,
            k: k,
            attributionWindowSeconds: spec.metrics.attributionWindow.seconds,
            gains: spec.metrics.gains,
            isExponential: spec.metrics.gain == .exponential
        )
    }

    /// The allocator's definition of `spec`'s reward at cut-off `k`: lag = attribution window.
    public static func allocator(experiment: String, spec: ExperimentSpec, k: Int) -> MetricDefinition {
        var definition = MetricDefinition(experiment: experiment, spec: spec, k: k)
        definition.cutoffLagSeconds = spec.metrics.attributionWindow.seconds
        return definition
    }

    /// The report's definitions, one per distinct K among the spec's metrics and the spec's
    /// own K, sorted by K;
    /// then, for a bandit whose updates read all history (no `allocation.window`), the
    /// allocator's definition of its reward.
    public static func all(experiment: String, spec: ExperimentSpec) -> [MetricDefinition] {
        // The spec's own K is always kept: the Grafana views (sql/0019) read it.
        var definitions = Set(spec.metrics.all.map { $0.k ?? spec.metrics.k } + [spec.metrics.k]).sorted().map {
            MetricDefinition(experiment: experiment, spec: spec, k: $0)
        }
        if let bandit = spec.allocation.bandit, bandit.window == nil {
            definitions.append(.allocator(experiment: experiment, spec: spec, k: bandit.reward.k ?? spec.metrics.k))
        }
        return definitions
    }

    /// The JSON document the key is a hash of; PostgreSQL parses it as jsonb, whose text
    /// form is canonical, so the key does not depend on this encoder's key order.
    public var document: String {
        let gainsJSON = gains.keys.sorted().map { "\(Self.jsonString($0)):\(gains[$0] ?? 0)" }.joined(separator: ",")
        return
            "{\"k\":\(k),\"attribution_window_seconds\":\(attributionWindowSeconds),\"gains\":{\(gainsJSON)},\"exponential\":\(isExponential),\"cutoff_lag_seconds\":\(cutoffLagSeconds)}"
    }

    private static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
