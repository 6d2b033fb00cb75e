import Foundation
import Spec

/// What a declared metric reads: one outcome event type (or the rows of a SQL query over the
/// shop's own tables) inside a window measured from each unit's first exposure. Per (source, arm, unit) the evaluator keeps the events in the
/// window (n) and the sum of their values (total); every aggregation is a function of these.
public struct OutcomeMetricSource: Codable, Sendable, Hashable {
    /// The outcome event type; nil for a SQL source.
    public var eventType: String?
    /// The query of a SQL source (unit_id, timestamp, value); nil for an event source.
    public var sql: String?
    public var startSeconds: Double
    /// nil: no end (the whole experiment).
    public var endSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case sql
        case eventType = "event_type"
        case startSeconds = "start_seconds"
        case endSeconds = "end_seconds"
    }

    /// The canonical JSON document the maintained sources are keyed by (sql/0017).
    public var document: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding three plain fields cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The source of a non-ratio declared metric.
    init?(_ metric: OutcomeMetric) {
        guard metric.eventType != nil || metric.sql != nil else { return nil }
        self.eventType = metric.eventType
        self.sql = metric.sql
        self.startSeconds = Double(metric.windowStart.seconds)
        self.endSeconds = metric.windowEnd.map { Double($0.seconds) }
    }

    /// The distinct sources of the spec's declared metrics, in a stable order.
    public static func all(of spec: ExperimentSpec) -> [OutcomeMetricSource] {
        var seen: Set<OutcomeMetricSource> = []
        return spec.metrics.definitions.compactMap(OutcomeMetricSource.init).filter { seen.insert($0).inserted }
    }
}
