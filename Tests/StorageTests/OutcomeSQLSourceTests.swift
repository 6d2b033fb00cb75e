import Foundation
import PostgresClient
import PostgresTestSupport
import Spec
import Stats
import Testing

@testable import Storage

/// SQL sources of declared metrics against a real PostgreSQL: PostgreSQL's own description
/// of the query (columns, types, that it only reads, as abctl_reader), and a metric on the
/// shop's own table giving the values of the same metric on outcome events.
@Suite struct OutcomeSQLSourceTests {
    static let query = "SELECT user_id AS unit_id, created_at AS timestamp, amount AS value FROM shop_orders"

    /// The orders of `OutcomeMetricsTests` (z's included) as the shop's own table.
    static func shopOrders(_ db: PostgresConnection, grant: Bool = true) throws {
        try db.executeScript(
            """
            CREATE TABLE shop_orders (order_id text PRIMARY KEY, user_id text NOT NULL, amount double precision, created_at timestamptz NOT NULL);
            INSERT INTO shop_orders SELECT event_id, unit_id, value, created_at FROM outcome_events WHERE event_type = 'order';
            """
        )
        if grant { try db.executeScript("GRANT SELECT ON shop_orders TO abctl_reader") }
    }

    @Test func postgresDescribesTheQueryAsTheReaderAndItsColumnsAreChecked() throws {
        try AllocationFixtures.migrated { db, _ in
            try OutcomeMetricsTests.load(db)
            try Self.shopOrders(db, grant: false)
            #expect {
                try OutcomeSQLSource.check(Self.query, on: db)
            } throws: { error in
                "\(error)".contains("permission denied for table shop_orders") && "\(error)".contains("GRANT SELECT ON <table> TO abctl_reader")
            }
            try db.executeScript("GRANT SELECT ON shop_orders TO abctl_reader")
            let described = try OutcomeSQLSource.check(Self.query, on: db)
            #expect(described.map(\.name) == ["unit_id", "timestamp", "value"])
            #expect(described.map(\.type) == ["text", "timestamp with time zone", "double precision"])
            #expect {
                try OutcomeSQLSource.check("SELECT user_id AS unit_id, created_at AS timestamp FROM shop_orders", on: db)
            } throws: { error in
                "\(error)"
                    == "The query returns no column value (it returns unit_id text, timestamp timestamp with time zone); name one, e.g. amount AS value"
            }
            #expect {
                try OutcomeSQLSource.check("SELECT user_id AS unit_id, order_id AS timestamp, amount AS value FROM shop_orders", on: db)
            } throws: { error in
                "\(error)" == "Column timestamp is text; it must be one of date, timestamp with time zone, timestamp without time zone"
            }
            // A query that would write is refused by PostgreSQL, and nothing is written.
            let before = try db.query("SELECT count(*) FROM shop_orders")[0].decode(Int.self, at: 0)
            #expect(throws: OutcomeSQLSource.Problem.self) {
                try OutcomeSQLSource.check(
                    "WITH gone AS (DELETE FROM shop_orders RETURNING user_id AS unit_id, created_at AS timestamp, amount AS value) SELECT * FROM gone",
                    on: db
                )
            }
            #expect(try db.query("SELECT count(*) FROM shop_orders")[0].decode(Int.self, at: 0) == before)
            #expect(before == 10)
        }
    }

    @Test func aMetricOnTheShopsTableHasTheValuesOfTheSameMetricOnOutcomeEventsFullAndMaintained() throws {
        try AllocationFixtures.migrated { db, _ in
            var definitions = OutcomeMetricsTests.definitions
            definitions.append(
                OutcomeMetric(
                    name: "shop_revenue_7d",
                    eventType: nil,
                    sql: Self.query,
                    aggregation: .sum,
                    windowEnd: SpecDuration(seconds: 7 * 86_400)
                )
            )
            let spec = AllocationFixtures.spec(
                arms: ["a", "b"],
                control: "a",
                allocation: AllocationSpec(type: .fixed),
                metrics: MetricsSpec(primary: MetricName(.conversion), definitions: definitions.sorted { $0.name < $1.name })
            )
            try AllocationFixtures.apply(spec, on: db)
            try OutcomeMetricsTests.load(db)
            try Self.shopOrders(db)
            let evaluator = OutcomeMetricEvaluator(connection: db)
            let full = try evaluator.fullCells(experiment: "shop", spec: spec)
            // revenue in 0–7d per unit: 40, 0, 20 | 100, 500, 0 (OutcomeMetricsTests).
            #expect(OutcomeMetricsTests.pooled(full)["shop_revenue_7d"] == OutcomeMetricsTests.expected["revenue_7d"])
            #expect(
                full["shop_revenue_7d"]
                    == full["revenue_7d"].map {
                        $0.map { cell in
                            var cell = cell
                            cell.metric = "shop_revenue_7d"
                            return cell
                        }
                    }
            )
            try AggregateRefresher(connection: db).refresh(now: AllocationFixtures.now)
            let maintained = try #require(try evaluator.maintainedCells(experiment: "shop", spec: spec))
            #expect(maintained.cells == full)
            // A new order in the table is counted at the next refresh (SQL sources are recomputed whole).
            try db.executeScript("INSERT INTO shop_orders VALUES ('late', 'a2', 7, '2026-11-21T00:00:00Z')")
            try AggregateRefresher(connection: db).refresh(now: AllocationFixtures.now)
            let after = try #require(try evaluator.maintainedCells(experiment: "shop", spec: spec))
            #expect(OutcomeMetricsTests.pooled(after.cells)["shop_revenue_7d"]?["a"] == OutcomeMetricsTests.plain(3, 67, 2049))  // 40, 7, 20
            #expect(after.cells == (try evaluator.fullCells(experiment: "shop", spec: spec)))
        }
    }
}
