import Foundation
import PostgresClient
import Stats

extension Evaluator {
    /// How fresh maintained aggregates are.
    public struct Freshness: Sendable, Equatable {
        /// Impressions shown before this time are counted, each with its whole attribution window.
        public var dataUntil: Date
        /// Every impression and feedback event committed before this time is counted.
        public var refreshedAt: Date

        public init(dataUntil: Date, refreshedAt: Date) {
            self.dataUntil = dataUntil
            self.refreshedAt = refreshedAt
        }
    }

    /// The freshness of `definition`'s aggregates, nil when it has never been refreshed
    /// (not registered yet, or registered since the last refresh).
    public func freshness(of definition: MetricDefinition) throws -> Freshness? {
        let rows = try connection.query(
            """
            SELECT data_until, refreshed_at FROM abctl_metric_definitions
            WHERE definition_key = abctl_metric_definition_key(\(definition.experiment), \(definition.document)::jsonb)
              AND data_until IS NOT NULL AND refreshed_at IS NOT NULL
            """
        )
        return try rows.first.map { row in
            let (until, at) = try row.decode((Date, Date).self)
            return Freshness(dataUntil: until, refreshedAt: at)
        }
    }

    /// Every (arm, period, entry day, metric) cell of `definition` from the maintained
    /// aggregates, with their freshness; nil when they have never been refreshed. Equal to
    /// `reportCells` over impressions shown before `dataUntil`, with no segment or covariate.
    /// Reads the freshness and the cells in one statement, so both come from one snapshot.
    public func maintainedReportCells(_ definition: MetricDefinition) throws -> (cells: [ReportCell], freshness: Freshness)? {
        let rows = try connection.query(
            """
            WITH d AS (
                SELECT definition_key, data_until, refreshed_at FROM abctl_metric_definitions
                WHERE definition_key = abctl_metric_definition_key(\(definition.experiment), \(definition.document)::jsonb)
                  AND data_until IS NOT NULL AND refreshed_at IS NOT NULL
            )
            SELECT d.data_until, d.refreshed_at, c.arm, c.period, c.day, c.metric, c.units, c.sum, c.sum_squares,
                   c.denominator_sum, c.denominator_sum_squares, c.cross_sum
            FROM d LEFT JOIN LATERAL abctl_maintained_report_cells(d.definition_key) c ON true
            ORDER BY c.arm, c.period, c.day, c.metric
            """
        )
        guard let first = rows.first else { return nil }
        let (until, at) = try first.decode((Date, Date).self)
        var cells: [ReportCell] = []
        for row in rows {
            guard let arm = try row.decode(String?.self, column: "arm") else { continue }
            cells.append(
                ReportCell(
                    arm: arm,
                    period: try row.decode(Int64.self, column: "period"),
                    segment: nil,
                    day: try row.decode(Date.self, column: "day"),
                    metric: try row.decode(String.self, column: "metric"),
                    statistics: SufficientStatistics(
                        count: try row.decode(Double.self, column: "units"),
                        sum: try row.decode(Double.self, column: "sum"),
                        sumOfSquares: try row.decode(Double.self, column: "sum_squares"),
                        denominatorSum: try row.decode(Double?.self, column: "denominator_sum"),
                        denominatorSumOfSquares: try row.decode(Double?.self, column: "denominator_sum_squares"),
                        crossProductSum: try row.decode(Double?.self, column: "cross_sum")
                    )
                )
            )
        }
        return (cells, Freshness(dataUntil: until, refreshedAt: at))
    }
}

extension Evaluator {
    /// The database's clock: the "data as of" of a full recomputation, whose snapshot is
    /// taken at its statement's start.
    public func databaseTime() throws -> Date {
        try connection.query("SELECT clock_timestamp()")[0].decode(Date.self, at: 0)
    }
}
