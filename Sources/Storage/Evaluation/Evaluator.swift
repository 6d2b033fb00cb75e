import Foundation
import PostgresClient
import Stats

/// Reads per-arm sufficient statistics of the experiment's metrics from PostgreSQL, where
/// impressions are joined to feedback and aggregated per unit (sql/0003_evaluator.sql).
public struct Evaluator {
    /// How feedback becomes metrics: the spec's metrics section plus a time range.
    public struct Settings: Sendable {
        public var k: Int
        /// Seconds after an impression during which feedback counts.
        public var attributionWindow: Double
        /// Relevance grade per event type.
        public var gains: [String: Double]
        /// DCG gain 2^r − 1 instead of r.
        public var exponentialGain: Bool
        /// Impressions shown in [since, until) are analysed.
        public var since: Date
        public var until: Date

        public init(
            k: Int,
            attributionWindow: Double,
            gains: [String: Double] = ["click": 1, "add_to_cart": 2, "purchase": 3],
            exponentialGain: Bool = false,
            since: Date = .distantPast,
            until: Date = .distantFuture
        ) {
            self.k = k
            self.attributionWindow = attributionWindow
            self.gains = gains
            self.exponentialGain = exponentialGain
            self.since = since
            self.until = until
        }
    }

    /// The statistics of one metric for the units of one arm that entered in one period.
    public struct Cell: Sendable, Equatable {
        public var arm: String
        /// The allocation version in force at the unit's first impression.
        public var period: Int64
        /// precision@k, ndcg@k, mrr, hit@k, ctr, conversion or revenue_per_unit.
        public var metric: String
        public var statistics: SufficientStatistics
    }

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Every (arm, period, metric) cell of `experiment`.
    public func cells(experiment: String, settings: Settings) throws -> [Cell] {
        guard settings.k >= 1 else { throw StorageError("K must be at least 1") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let gains = String(decoding: try encoder.encode(settings.gains), as: UTF8.self)
        let rows = try connection.query(
            """
            SELECT arm, period, metric, units, sum, sum_squares, denominator_sum, denominator_sum_squares, cross_sum
            FROM abctl_arm_statistics(\(experiment), \(settings.k)::integer, \(settings.attributionWindow) * interval '1 second',
                                      \(gains)::jsonb, \(settings.exponentialGain), \(settings.since), \(settings.until))
            ORDER BY arm, period, metric
            """
        )
        return try rows.map { row in
            let (arm, period, metric, units, sum, squares) = try row.decode((String, Int64, String, Double, Double, Double).self)
            return Cell(
                arm: arm,
                period: period,
                metric: metric,
                statistics: SufficientStatistics(
                    count: units,
                    sum: sum,
                    sumOfSquares: squares,
                    denominatorSum: try row.decode(Double?.self, column: "denominator_sum"),
                    denominatorSumOfSquares: try row.decode(Double?.self, column: "denominator_sum_squares"),
                    crossProductSum: try row.decode(Double?.self, column: "cross_sum")
                )
            )
        }
    }

    /// Statistics per arm and metric over all periods (units are disjoint across periods,
    /// so the sums add).
    public func pooled(experiment: String, settings: Settings) throws -> [String: [String: SufficientStatistics]] {
        var result: [String: [String: SufficientStatistics]] = [:]
        for cell in try cells(experiment: experiment, settings: settings) {
            let sofar = result[cell.arm]?[cell.metric] ?? .zero
            result[cell.arm, default: [:]][cell.metric] = sofar + cell.statistics
        }
        return result
    }
}
