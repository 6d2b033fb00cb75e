import Stats
import Storage

/// Results per value of one context key (`--segment KEY`). Segments are exploratory: the
/// p-values are corrected across arms × metrics × segments together, and the verdicts rest
/// on the whole experiment only.
public struct SegmentBreakdown: Codable, Sendable {
    /// The context key, e.g. device.
    public var key: String
    /// The caution printed with every segment table.
    public var warning: String
    /// One entry per segment value, largest first.
    public var segments: [SegmentResult]

    /// The comparisons within one segment.
    public struct SegmentResult: Codable, Sendable {
        /// The key's value; "(none)" for units whose first impression lacked the key.
        public var value: String
        /// Units of the segment in all arms.
        public var units: Double
        /// Treatment arm × metric, adjusted across all segments.
        public var comparisons: [MetricComparison]
    }

    /// The label of units without the key.
    public static let missingValue = "(none)"

    /// Splits `cells` by segment and compares the arms within each one.
    static func compute(key: String, cells: [String: [ReportCell]], analysis: ReportAnalysis) -> SegmentBreakdown {
        let all = cells.values.flatMap { $0 }
        let values = Set(all.map { $0.segment ?? missingValue })
        let unitMetric = analysis.metrics.first?.name
        var results: [SegmentResult] = values.map { value in
            let within = cells.mapValues { $0.filter { ($0.segment ?? missingValue) == value } }
            let units = (unitMetric.flatMap { within[$0] } ?? []).reduce(0) { $0 + $1.statistics.count }
            return SegmentResult(value: value, units: units, comparisons: analysis.comparisons(within))
        }
        results.sort { ($0.units, $1.value) > ($1.units, $0.value) }
        // One family: every comparison of every segment.
        let adjusted = analysis.adjusted(results.flatMap(\.comparisons))
        var offset = 0
        for index in results.indices {
            let count = results[index].comparisons.count
            results[index].comparisons = Array(adjusted[offset..<offset + count])
            offset += count
        }
        let family = adjusted.count
        return SegmentBreakdown(
            key: key,
            warning: "Segments are exploratory: \(values.count) segments × arms × metrics = \(family) comparisons, "
                + "corrected together (\(analysis.correction.map { $0.rawValue } ?? "no correction")); "
                + "a segment result is a hypothesis for a new experiment, not a ship decision.",
            segments: results
        )
    }
}
