import Foundation
import PostgresClient
import Spec
import Stats

/// The report cells of a spec's declared metrics (`metrics.definitions`, docs/metrics.md):
/// per (arm, allocation period, entry day) the units and Σx, Σx², Σy, Σy², Σxy, exactly the
/// cells of the built-in metrics, so the report's estimators apply unchanged. One cell query
/// runs over either the raw logs (`abctl_outcome_unit_values`, the full path) or the
/// maintained unit rows (`abctl_outcome_metric_units`), so the two cannot disagree on what a
/// metric means.
public struct OutcomeMetricEvaluator {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The cells per declared metric, recomputed from impressions and outcome events shown
    /// in [since, until).
    public func fullCells(
        experiment: String,
        spec: ExperimentSpec,
        since: Date = .distantPast,
        until: Date = .distantFuture
    ) throws
        -> [String: [ReportCell]]
    {
        let sources = OutcomeMetricSource.all(of: spec)
        guard !sources.isEmpty else { return [:] }
        let parts = Self.partArrays(spec: spec, sources: sources)
        let events = sources.enumerated().filter { $0.element.eventType != nil }
        let types = events.map { $0.element.eventType ?? "" }
        let starts = events.map(\.element.startSeconds)
        let ends = events.map { $0.element.endSeconds ?? -1 }
        let numbers = events.map { $0.offset + 1 }
        // SQL sources: their rows joined to the same exposures, read as abctl_reader.
        let sqlSources = sources.enumerated().filter { $0.element.sql != nil }
        let sqlUnits = sqlSources.map {
            " UNION ALL " + OutcomeSQLSource.unitValuesSQL(index: $0.offset + 1, source: $0.element, exposures: "exposures")
        }
        let query: PostgresQuery = """
            WITH parts AS (
                SELECT * FROM unnest(\(parts.names)::text[], \(parts.sides)::text[], \(parts.sources)::integer[], \(parts.aggregations)::text[],
                                     \(parts.capValues)::double precision[], \(parts.capPercentiles)::double precision[])
                              AS p (name, side, source, aggregation, cap_value, cap_percentile)
            ),
            exposures AS (
                SELECT i.arm, i.unit_id, min(i.allocation_version) AS period, min(i.created_at) AS first_seen
                FROM impressions i
                WHERE i.experiment = \(experiment) AND i.created_at >= \(since) AND i.created_at < \(until)
                GROUP BY i.arm, i.unit_id
            ),
            u AS (
                SELECT (\(numbers)::integer[])[v.source] AS source, v.arm, v.unit_id, v.period, v.day, v.n, v.total
                FROM abctl_outcome_unit_values(
                    \(experiment), \(types)::text[], \(starts)::double precision[],
                    ARRAY(SELECT NULLIF(e, -1) FROM unnest(\(ends)::double precision[]) WITH ORDINALITY AS t (e, i) ORDER BY i),
                    \(since), \(until), NULL) v
                \(unsafeSQL: sqlUnits.joined())
            ),
            \(unsafeSQL: Self.cellsSQL)
            """
        let rows =
            try sqlSources.isEmpty
            ? connection.query(query) : OutcomeSQLSource.asReader(connection, inTransaction: false) { try connection.query(query) }
        return try Self.cells(rows)
    }

    /// The cells per declared metric from the maintained unit rows, with the time of the
    /// oldest refresh among the spec's sources; nil when a source is not maintained yet
    /// (registered and refreshed by `abctl refresh` or `abctl serve`).
    public func maintainedCells(experiment: String, spec: ExperimentSpec) throws -> (cells: [String: [ReportCell]], refreshedAt: Date)? {
        let sources = OutcomeMetricSource.all(of: spec)
        guard !sources.isEmpty else { return ([:], .distantFuture) }
        var keys: [String] = []
        var refreshedAt = Date.distantFuture
        for source in sources {
            let rows = try connection.query(
                """
                SELECT source_key, refreshed_at FROM abctl_outcome_metric_sources
                WHERE experiment = \(experiment) AND definition = \(source.document)::jsonb
                """
            )
            guard let row = rows.first, let at = try row.decode(Date?.self, at: 1) else { return nil }
            keys.append(try row.decode(String.self, at: 0))
            refreshedAt = min(refreshedAt, at)
        }
        let parts = Self.partArrays(spec: spec, sources: sources)
        let rows = try connection.query(
            """
            WITH parts AS (
                SELECT * FROM unnest(\(parts.names)::text[], \(parts.sides)::text[], \(parts.sources)::integer[], \(parts.aggregations)::text[],
                                     \(parts.capValues)::double precision[], \(parts.capPercentiles)::double precision[])
                              AS p (name, side, source, aggregation, cap_value, cap_percentile)
            ),
            u AS (
                SELECT k.source::integer AS source, m.arm, m.unit_id, m.period, m.day, m.n, m.total
                FROM unnest(\(keys)::text[]) WITH ORDINALITY AS k (source_key, source)
                JOIN abctl_outcome_metric_units m ON m.source_key = k.source_key
            ),
            \(unsafeSQL: Self.cellsSQL)
            """
        )
        return (try Self.cells(rows), refreshedAt)
    }

    /// From the unit rows `u` (source, arm, unit_id, period, day, n, total) and the metrics'
    /// `parts` to cells: each metric's x and y per unit (count n, sum total, any n > 0), capped
    /// at a fixed value or at a percentile over every exposed unit of the experiment (all
    /// arms, linear interpolation), summed per cell. x and y come from one row of `u` unless a
    /// ratio's parts read two sources; only then are the unit's two rows joined (a join over
    /// every metric's rows sorts them all by unit, three times slower).
    static let cellsSQL = """
        metrics AS (
            SELECT x.name, x.source AS x_source, x.aggregation AS x_aggregation, x.cap_value AS x_cap, x.cap_percentile AS x_percentile,
                   COALESCE(y.source, 0) AS y_source, COALESCE(y.aggregation, '') AS y_aggregation,
                   COALESCE(y.cap_value, -1) AS y_cap, COALESCE(y.cap_percentile, -1) AS y_percentile
            FROM parts x LEFT JOIN parts y ON y.name = x.name AND y.side = 'y'
            WHERE x.side = 'x'
        ),
        x_caps AS (
            SELECT m.name, percentile_cont(m.x_percentile) WITHIN GROUP (ORDER BY v.value) AS cap
            FROM metrics m JOIN u ON u.source = m.x_source
            CROSS JOIN LATERAL (SELECT CASE m.x_aggregation WHEN 'count' THEN u.n WHEN 'sum' THEN u.total
                                        ELSE CASE WHEN u.n > 0 THEN 1.0::double precision ELSE 0.0 END END AS value) v
            WHERE m.x_percentile > 0
            GROUP BY m.name, m.x_percentile
        ),
        y_caps AS (
            SELECT m.name, percentile_cont(m.y_percentile) WITHIN GROUP (ORDER BY v.value) AS cap
            FROM metrics m JOIN u ON u.source = m.y_source
            CROSS JOIN LATERAL (SELECT CASE m.y_aggregation WHEN 'count' THEN u.n WHEN 'sum' THEN u.total
                                        ELSE CASE WHEN u.n > 0 THEN 1.0::double precision ELSE 0.0 END END AS value) v
            WHERE m.y_percentile > 0
            GROUP BY m.name, m.y_percentile
        ),
        per_unit AS (
            -- x and y from the same row of u (count, sum, any, mean, and ratios of one source)
            SELECT m.name, ux.arm, ux.period, ux.day,
                   least(xv.value, COALESCE(NULLIF(m.x_cap, -1), xc.cap, xv.value)) AS x,
                   least(yv.value, COALESCE(NULLIF(m.y_cap, -1), yc.cap, yv.value)) AS y
            FROM metrics m
            JOIN u ux ON ux.source = m.x_source
            LEFT JOIN x_caps xc ON xc.name = m.name
            LEFT JOIN y_caps yc ON yc.name = m.name
            CROSS JOIN LATERAL (SELECT CASE m.x_aggregation WHEN 'count' THEN ux.n WHEN 'sum' THEN ux.total
                                        ELSE CASE WHEN ux.n > 0 THEN 1.0::double precision ELSE 0.0 END END AS value) xv
            CROSS JOIN LATERAL (SELECT CASE m.y_aggregation WHEN 'count' THEN ux.n WHEN 'sum' THEN ux.total
                                        WHEN 'any' THEN CASE WHEN ux.n > 0 THEN 1.0::double precision ELSE 0.0 END END AS value) yv
            WHERE m.y_source = 0 OR m.y_source = m.x_source
            UNION ALL
            -- a ratio whose parts read two sources: the unit's row of each
            SELECT m.name, ux.arm, ux.period, ux.day,
                   least(xv.value, COALESCE(NULLIF(m.x_cap, -1), xc.cap, xv.value)),
                   least(yv.value, COALESCE(NULLIF(m.y_cap, -1), yc.cap, yv.value))
            FROM metrics m
            JOIN u ux ON ux.source = m.x_source
            JOIN u uy ON uy.source = m.y_source AND uy.arm = ux.arm AND uy.unit_id = ux.unit_id
            LEFT JOIN x_caps xc ON xc.name = m.name
            LEFT JOIN y_caps yc ON yc.name = m.name
            CROSS JOIN LATERAL (SELECT CASE m.x_aggregation WHEN 'count' THEN ux.n WHEN 'sum' THEN ux.total
                                        ELSE CASE WHEN ux.n > 0 THEN 1.0::double precision ELSE 0.0 END END AS value) xv
            CROSS JOIN LATERAL (SELECT CASE m.y_aggregation WHEN 'count' THEN uy.n WHEN 'sum' THEN uy.total
                                        ELSE CASE WHEN uy.n > 0 THEN 1.0::double precision ELSE 0.0 END END AS value) yv
            WHERE m.y_source <> 0 AND m.y_source <> m.x_source
        )
        SELECT name, arm, period, day, count(*)::double precision AS units,
               sum(x) AS sum, sum(x * x) AS sum_squares,
               sum(y) AS denominator_sum, sum(y * y) AS denominator_sum_squares, sum(x * y) AS cross_sum
        FROM per_unit
        GROUP BY name, arm, period, day
        ORDER BY name, arm, period, day
        """

    private struct PartArrays {
        var names: [String] = []
        var sides: [String] = []
        var sources: [Int] = []
        var aggregations: [String] = []
        var capValues: [Double] = []
        var capPercentiles: [Double] = []

        mutating func append(_ name: String, _ side: String, _ part: OutcomeMetricPart) {
            names.append(name)
            sides.append(side)
            sources.append(part.source)
            aggregations.append(part.aggregation)
            capValues.append(part.capValue)
            capPercentiles.append(part.capPercentile)
        }
    }

    private static func partArrays(spec: ExperimentSpec, sources: [OutcomeMetricSource]) -> PartArrays {
        var arrays = PartArrays()
        for metric in spec.metrics.definitions {
            guard let (x, y) = OutcomeMetricPart.parts(of: metric, in: spec, sources: sources) else { continue }
            arrays.append(metric.name, "x", x)
            if let y { arrays.append(metric.name, "y", y) }
        }
        return arrays
    }

    private static func cells(_ rows: PostgresRows) throws -> [String: [ReportCell]] {
        var cells: [String: [ReportCell]] = [:]
        for row in rows {
            let (name, arm, period, day) = try row.decode((String, String, Int64, Date).self)
            let cell = ReportCell(
                arm: arm,
                period: period,
                segment: nil,
                day: day,
                metric: name,
                statistics: SufficientStatistics(
                    count: try row.decode(Double.self, column: "units"),
                    sum: try row.decode(Double.self, column: "sum"),
                    sumOfSquares: try row.decode(Double.self, column: "sum_squares"),
                    denominatorSum: try row.decode(Double?.self, column: "denominator_sum"),
                    denominatorSumOfSquares: try row.decode(Double?.self, column: "denominator_sum_squares"),
                    crossProductSum: try row.decode(Double?.self, column: "cross_sum")
                )
            )
            cells[name, default: []].append(cell)
        }
        return cells
    }
}
