import Foundation
import PostgresClient
import Stats

extension Evaluator {
    /// Every (arm, period, segment, entry day, metric) cell of `experiment`, with the
    /// pre-period covariate sums when `covariate` is given (sql/0006_report.sql).
    /// `segment` is a key of the impressions' context (e.g. device); nil for no breakdown.
    public func reportCells(
        experiment: String,
        settings: Settings,
        segment: String? = nil,
        covariate: PrePeriodCovariate? = nil
    ) throws -> [ReportCell] {
        guard settings.k >= 1 else { throw StorageError("K must be at least 1") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let gains = String(decoding: try encoder.encode(settings.gains), as: UTF8.self)
        let rows = try connection.query(
            """
            SELECT arm, period, segment, day, metric, units, sum, sum_squares,
                   denominator_sum, denominator_sum_squares, cross_sum,
                   covariate_sum, covariate_sum_squares, covariate_cross_sum
            FROM abctl_report_cells(\(experiment), \(settings.k)::integer, \(settings.attributionWindow) * interval '1 second',
                                    \(gains)::jsonb, \(settings.exponentialGain), \(settings.since), \(settings.until),
                                    \(segment)::text, \(covariate?.measure.rawValue)::text, \(covariate?.eventType)::text,
                                    \(covariate?.since)::timestamptz, \(covariate?.until)::timestamptz)
            ORDER BY arm, period, segment, day, metric
            """
        )
        return try rows.map { row in
            let (arm, period, segment, day, metric) = try row.decode((String, Int64, String?, Date, String).self)
            let units = try row.decode(Double.self, column: "units")
            let sum = try row.decode(Double.self, column: "sum")
            let squares = try row.decode(Double.self, column: "sum_squares")
            let zSum = try row.decode(Double?.self, column: "covariate_sum")
            let zSquares = try row.decode(Double?.self, column: "covariate_sum_squares")
            let xz = try row.decode(Double?.self, column: "covariate_cross_sum")
            return ReportCell(
                arm: arm,
                period: period,
                segment: segment,
                day: day,
                metric: metric,
                statistics: SufficientStatistics(
                    count: units,
                    sum: sum,
                    sumOfSquares: squares,
                    denominatorSum: try row.decode(Double?.self, column: "denominator_sum"),
                    denominatorSumOfSquares: try row.decode(Double?.self, column: "denominator_sum_squares"),
                    crossProductSum: try row.decode(Double?.self, column: "cross_sum")
                ),
                covariate: zSum.flatMap { s in
                    zSquares.flatMap { ss in xz.map { CovariateStatistics(sum: s, sumOfSquares: ss, crossProductSum: $0) } }
                }
            )
        }
    }

    /// The time of the experiment's first logged impression, nil when none: the start of
    /// the pre-period's end when the spec has no schedule start.
    public func firstImpressionTime(experiment: String) throws -> Date? {
        let rows = try connection.query("SELECT min(created_at) FROM impressions WHERE experiment = \(experiment)")
        return try rows.first?.decode(Date?.self, at: 0)
    }
}
