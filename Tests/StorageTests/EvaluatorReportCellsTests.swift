import Foundation
import PostgresClient
import PostgresTestSupport
import Stats
import Testing

@testable import Storage

/// `abctl_report_cells` (sql/0006_report.sql) on a hand-made log: each unit lands in the
/// period, segment and day of its first impression, and carries its pre-period covariate.
@Suite struct EvaluatorReportCellsTests {
    let start = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29 00:00 UTC
    let day = 86_400.0

    func impression(_ db: PostgresConnection, arm: String, unit: String, allocation: Int64, context: String, at offset: Double) throws -> UUID {
        let id = UUID()
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, context, created_at)
            VALUES (\(id), 'home', 1, \(arm), \(unit), ARRAY['a','b'], ARRAY[2,1]::float8[], 0.5, \(allocation), \(context)::jsonb, \(start.addingTimeInterval(offset)))
            """
        )
        return id
    }

    func interaction(_ db: PostgresConnection, unit: String, type: String, value: Double, at offset: Double) throws {
        try db.execute(
            """
            INSERT INTO interactions (unit_id, item_id, event_type, value, occurred_at)
            VALUES (\(unit), 'x', \(type), \(value), \(start.addingTimeInterval(offset)))
            """
        )
    }

    @Test func unitsLandInTheirFirstImpressionsCellWithTheirCovariate() throws {
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            // u1 (A): first seen on mobile under allocation 1 on day 0, buys for 10; seen again
            // on desktop under allocation 2 on day 1 — it stays in (1, mobile, day 0).
            let first = try impression(db, arm: "A", unit: "u1", allocation: 1, context: #"{"device": "mobile"}"#, at: 3600)
            _ = try impression(db, arm: "A", unit: "u1", allocation: 2, context: #"{"device": "desktop"}"#, at: day + 3600)
            try db.execute(
                """
                INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
                VALUES ('buy', \(first), 'u1', 'a', 'purchase', 10, \(start.addingTimeInterval(3700)))
                """
            )
            // u2 (A): desktop, allocation 2, day 1. u3 (B): no device, allocation 1, day 0.
            _ = try impression(db, arm: "A", unit: "u2", allocation: 2, context: #"{"device": "desktop"}"#, at: day + 7200)
            _ = try impression(db, arm: "B", unit: "u3", allocation: 1, context: "{}", at: 7200)
            // Pre-period [start − 14 d, start): u1 bought for 4 (counts), and for 100 thirty
            // days ago (outside); u2 clicked (not a purchase).
            try interaction(db, unit: "u1", type: "purchase", value: 4, at: -day)
            try interaction(db, unit: "u1", type: "purchase", value: 100, at: -30 * day)
            try interaction(db, unit: "u2", type: "click", value: 1, at: -2 * day)

            let evaluator = Evaluator(connection: db)
            let settings = Evaluator.Settings(k: 2, attributionWindow: 3600)
            let purchases = try PrePeriodCovariate(named: "pre_period_purchases", start: start, lookback: 14 * day)
            #expect(purchases.measure == .count && purchases.eventType == "purchase")
            let cells = try evaluator.reportCells(experiment: "home", settings: settings, segment: "device", covariate: purchases)
            let conversion = cells.filter { $0.metric == "conversion" }
            #expect(conversion.count == 3)
            let u1 = try #require(conversion.first { $0.arm == "A" && $0.period == 1 })
            #expect(u1.segment == "mobile" && u1.day == start)
            #expect(u1.statistics == SufficientStatistics(count: 1, sum: 1, sumOfSquares: 1))
            #expect(u1.covariate == CovariateStatistics(sum: 1, sumOfSquares: 1, crossProductSum: 1))
            let u2 = try #require(conversion.first { $0.arm == "A" && $0.period == 2 })
            #expect(u2.segment == "desktop" && u2.day == start.addingTimeInterval(day))
            #expect(u2.covariate == CovariateStatistics(sum: 0, sumOfSquares: 0, crossProductSum: 0))
            let u3 = try #require(conversion.first { $0.arm == "B" })
            #expect(u3.segment == nil && u3.period == 1 && u3.statistics.count == 1)
            // Ratio metrics carry no covariate.
            #expect(cells.filter { $0.metric == "ctr" }.allSatisfy { $0.covariate == nil })

            // pre_period_revenue: u1's z is 4, its revenue 10: Σxz = 40 for revenue_per_unit.
            let revenue = try PrePeriodCovariate(named: "pre_period_revenue", start: start, lookback: 14 * day)
            let revenueCells = try evaluator.reportCells(experiment: "home", settings: settings, covariate: revenue)
            let u1Revenue = try #require(revenueCells.first { $0.metric == "revenue_per_unit" && $0.arm == "A" && $0.period == 1 })
            #expect(u1Revenue.covariate == CovariateStatistics(sum: 4, sumOfSquares: 16, crossProductSum: 40))
            #expect(u1Revenue.segment == nil)

            // Without segment or covariate the cells add up to 0003's per-arm statistics.
            let plain = try evaluator.reportCells(experiment: "home", settings: settings)
            let pooled = try evaluator.pooled(experiment: "home", settings: settings)
            for (arm, metrics) in pooled {
                for (metric, statistics) in metrics {
                    let sum = plain.filter { $0.arm == arm && $0.metric == metric }.reduce(SufficientStatistics.zero) { $0 + $1.statistics }
                    #expect(sum == statistics, "\(arm) \(metric)")
                }
            }
            #expect(throws: StorageError.self) { try PrePeriodCovariate(named: "last_year", start: start, lookback: day) }
        }
    }

    /// 0006's planning for scale (array_position instead of unnesting every list) must not
    /// change a number: on a random log with repeated items in lists, feedback on items not
    /// shown, late feedback and every event type, its cells add up to 0003's statistics for
    /// linear and exponential gain alike.
    @Test(arguments: [false, true])
    func agreesWithTheOriginalEvaluatorOnARandomLog(exponential: Bool) throws {
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            try db.execute("SELECT setseed(0.42)")
            try db.execute(
                """
                INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
                SELECT md5('r' || g)::uuid, 'home', 1, CASE WHEN g % 3 = 0 THEN 'B' ELSE 'A' END, 'u' || (g % 300),
                       ARRAY(SELECT 'i' || floor(random() * 12)::int FROM generate_series(1, 6)), ARRAY[6,5,4,3,2,1]::float8[], 0.5,
                       1 + (g % 2), \(start) + g * interval '1 minute'
                FROM generate_series(1, 2000) g
                """
            )
            try db.execute(
                """
                INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
                SELECT 'e' || g, md5('r' || (1 + floor(random() * 2000)::int))::uuid, 'u', 'i' || floor(random() * 14)::int,
                       (ARRAY['click', 'add_to_cart', 'purchase', 'view'])[1 + floor(random() * 4)::int], round(random() * 50),
                       \(start) + floor(random() * 2100) * interval '1 minute'
                FROM generate_series(1, 3000) g
                """
            )
            var settings = Evaluator.Settings(k: 4, attributionWindow: 6 * 3600)
            settings.exponentialGain = exponential
            let evaluator = Evaluator(connection: db)
            let cells = try evaluator.reportCells(experiment: "home", settings: settings)
            let pooled = try evaluator.pooled(experiment: "home", settings: settings)
            #expect(pooled.count == 2 && pooled.values.allSatisfy { $0.count == 7 })
            for (arm, metrics) in pooled {
                for (metric, expected) in metrics {
                    let actual = cells.filter { $0.arm == arm && $0.metric == metric }.reduce(SufficientStatistics.zero) { $0 + $1.statistics }
                    #expect(actual.count == expected.count, "\(arm) \(metric)")
                    for (a, b) in [
                        (actual.sum, expected.sum), (actual.sumOfSquares, expected.sumOfSquares),
                        (actual.denominatorSum ?? 0, expected.denominatorSum ?? 0), (actual.crossProductSum ?? 0, expected.crossProductSum ?? 0),
                    ] {
                        #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(arm) \(metric): \(a) vs \(b)")
                    }
                }
            }
            // The log is not trivial: some relevance, some purchases.
            #expect((pooled["A"]?["ndcg@k"]?.sum ?? 0) > 0 && (pooled["A"]?["conversion"]?.sum ?? 0) > 0)
        }
    }
}
