import Foundation
import PostgresClient

/// The maintained unit rows of SQL sources. A query over the shop's own tables cannot be
/// captured by a trigger, so each refresh recomputes every unit of each SQL source (read as
/// `abctl_reader` in a read-only savepoint) and replaces its rows; event sources are
/// refreshed incrementally by `abctl_refresh_outcome_metrics` (sql/0017).
enum OutcomeSQLSourceRefresh {
    /// Refreshes every registered SQL source inside the caller's transaction; a source whose
    /// query fails now (a dropped table, a revoked grant) keeps its old rows and refresh time,
    /// so the report recomputes it and shows PostgreSQL's error. Returns the sources refreshed.
    @discardableResult
    static func refresh(on db: PostgresConnection, now: Date?) throws -> Int {
        let sources = try db.query(
            "SELECT source_key, experiment, definition::text FROM abctl_outcome_metric_sources WHERE sql IS NOT NULL ORDER BY source_key"
        )
        var refreshed = 0
        for row in sources {
            let (key, experiment, document) = try row.decode((String, String, String).self)
            let source = try JSONDecoder().decode(OutcomeMetricSource.self, from: Data(document.utf8))
            let query: PostgresQuery = """
                WITH exposures AS (
                    SELECT i.arm, i.unit_id, min(i.allocation_version) AS period, min(i.created_at) AS first_seen
                    FROM impressions i WHERE i.experiment = \(experiment)
                    GROUP BY i.arm, i.unit_id
                )
                \(unsafeSQL: OutcomeSQLSource.unitValuesSQL(index: 1, source: source, exposures: "exposures"))
                """
            var arms: [String] = []
            var units: [String] = []
            var periods: [Int64] = []
            var days: [Date] = []
            var counts: [Double] = []
            var totals: [Double] = []
            do {
                try OutcomeSQLSource.asReader(db, inTransaction: true) {
                    for unit in try db.query(query) {
                        let (_, arm, unitID, period, day, n, total) = try unit.decode((Int, String, String, Int64, Date, Double, Double).self)
                        arms.append(arm)
                        units.append(unitID)
                        periods.append(period)
                        days.append(day)
                        counts.append(n)
                        totals.append(total)
                    }
                }
            } catch is PostgresError {
                continue
            }
            try db.execute("DELETE FROM abctl_outcome_metric_units WHERE source_key = \(key)")
            try db.execute(
                """
                INSERT INTO abctl_outcome_metric_units (source_key, arm, unit_id, period, day, n, total)
                SELECT \(key), * FROM unnest(\(arms)::text[], \(units)::text[], \(periods)::bigint[], \(days)::timestamptz[],
                                             \(counts)::double precision[], \(totals)::double precision[])
                """
            )
            if let now {
                try db.execute("UPDATE abctl_outcome_metric_sources SET refreshed_at = \(now) WHERE source_key = \(key)")
            } else {
                try db.execute("UPDATE abctl_outcome_metric_sources SET refreshed_at = now() WHERE source_key = \(key)")
            }
            refreshed += 1
        }
        return refreshed
    }
}
