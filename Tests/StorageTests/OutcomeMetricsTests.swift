import Foundation
import PostgresClient
import PostgresTestSupport
import Spec
import Stats
import Testing

@testable import Storage

/// Declared metrics on outcome events (docs/metrics.md) against a real PostgreSQL: per-arm
/// sufficient statistics of every aggregation, window, capping rule, ratio and retention,
/// checked against values computed by hand from the events below; and the maintained unit
/// rows giving exactly the cells of the full recomputation, before and after new data.
///
/// Arms a (control) and b; T0 = 2026-11-20 00:00 UTC. Each unit's orders (value) and
/// session starts, as offsets from its first exposure:
///
/// | unit | exposed | orders | sessions |
/// |---|---|---|---|
/// | a1 | T0, v1 | +1h 10, +2d 30, +8d 100 | +1d12h |
/// | a2 | T0, v1 | — | +3h |
/// | a3 | T0+1d, v2 (again T0+2d) | −1h 50 (before exposure), +6d 20 | +1d |
/// | b1 | T0, v1 | +1h 40, +2h 60 | +2d |
/// | b2 | T0, v1 | +5d 500 | +1d1h |
/// | b3 | T0, v1 | +1h (no value) | — |
/// | z (never exposed) | — | T0+1h 70 | — |
@Suite struct OutcomeMetricsTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_996_800 - 10 * 86_400)
    static let hour = 3600.0
    static let day = 86_400.0

    static let definitions: [OutcomeMetric] = [
        OutcomeMetric(name: "orders_7d", eventType: "order", aggregation: .count, windowEnd: SpecDuration(seconds: 7 * 86_400)),
        OutcomeMetric(name: "revenue_7d", eventType: "order", aggregation: .sum, windowEnd: SpecDuration(seconds: 7 * 86_400)),
        OutcomeMetric(name: "revenue_all", eventType: "order", aggregation: .sum),
        OutcomeMetric(name: "converted_7d", eventType: "order", aggregation: .any, windowEnd: SpecDuration(seconds: 7 * 86_400)),
        OutcomeMetric(name: "aov_7d", eventType: "order", aggregation: .mean, windowEnd: SpecDuration(seconds: 7 * 86_400)),
        OutcomeMetric(name: "revenue_per_order", eventType: nil, aggregation: .ratio, numerator: "revenue_7d", denominator: "orders_7d"),
        // A ratio whose parts read two sources (order over the whole experiment, order in 0–7d).
        OutcomeMetric(name: "revenue_all_per_order_7d", eventType: nil, aggregation: .ratio, numerator: "revenue_all", denominator: "orders_7d"),
        OutcomeMetric(
            name: "revenue_capped",
            eventType: "order",
            aggregation: .sum,
            cap: .value(50),
            windowEnd: SpecDuration(seconds: 7 * 86_400)
        ),
        OutcomeMetric(
            name: "revenue_p50",
            eventType: "order",
            aggregation: .sum,
            cap: .percentile(0.5),
            windowEnd: SpecDuration(seconds: 7 * 86_400)
        ),
        OutcomeMetric(
            name: "return_1d",
            eventType: "session_start",
            aggregation: .any,
            windowStart: SpecDuration(seconds: 86_400),
            windowEnd: SpecDuration(seconds: 2 * 86_400),
            isRetention: true
        ),
    ]

    static var spec: ExperimentSpec {
        AllocationFixtures.spec(
            arms: ["a", "b"],
            control: "a",
            allocation: AllocationSpec(type: .fixed),
            metrics: MetricsSpec(primary: MetricName(.conversion), definitions: definitions.sorted { $0.name < $1.name })
        )
    }

    static func expose(_ db: PostgresConnection, _ arm: String, _ unit: String, at offset: TimeInterval, version: Int64 = 1) throws {
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
            VALUES (gen_random_uuid(), 'shop', 1, \(arm), \(unit), ARRAY['i1'], ARRAY[1]::float8[], 0.5, \(version), \(t0.addingTimeInterval(offset)))
            """
        )
    }

    static func outcome(_ db: PostgresConnection, _ unit: String, _ type: String, at offset: TimeInterval, value: Double?) throws {
        let id = "\(unit)-\(type)-\(offset)"
        if let value {
            try db.execute(
                "INSERT INTO outcome_events (event_id, unit_id, event_type, value, created_at) VALUES (\(id), \(unit), \(type), \(value), \(t0.addingTimeInterval(offset)))"
            )
        } else {
            try db.execute(
                "INSERT INTO outcome_events (event_id, unit_id, event_type, created_at) VALUES (\(id), \(unit), \(type), \(t0.addingTimeInterval(offset)))"
            )
        }
    }

    /// The events of the table above.
    static func load(_ db: PostgresConnection) throws {
        for unit in ["a1", "a2"] { try expose(db, "a", unit, at: 0) }
        try expose(db, "a", "a3", at: day, version: 2)
        try expose(db, "a", "a3", at: 2 * day, version: 2)
        for unit in ["b1", "b2", "b3"] { try expose(db, "b", unit, at: 0) }
        try outcome(db, "a1", "order", at: hour, value: 10)
        try outcome(db, "a1", "order", at: 2 * day, value: 30)
        try outcome(db, "a1", "order", at: 8 * day, value: 100)
        try outcome(db, "a1", "session_start", at: 1.5 * day, value: nil)
        try outcome(db, "a2", "session_start", at: 3 * hour, value: nil)
        try outcome(db, "a3", "order", at: day - hour, value: 50)
        try outcome(db, "a3", "order", at: day + 6 * day, value: 20)
        try outcome(db, "a3", "session_start", at: day + day, value: nil)
        try outcome(db, "b1", "order", at: hour, value: 40)
        try outcome(db, "b1", "order", at: 2 * hour, value: 60)
        try outcome(db, "b1", "session_start", at: 2 * day, value: nil)
        try outcome(db, "b2", "order", at: 5 * day, value: 500)
        try outcome(db, "b2", "session_start", at: day + hour, value: nil)
        try outcome(db, "b3", "order", at: hour, value: nil)
        try outcome(db, "z", "order", at: hour, value: 70)
    }

    static func pooled(_ cells: [String: [ReportCell]]) -> [String: [String: SufficientStatistics]] {
        var result: [String: [String: SufficientStatistics]] = [:]
        for (metric, list) in cells {
            for cell in list { result[metric, default: [:]][cell.arm] = (result[metric]?[cell.arm] ?? .zero) + cell.statistics }
        }
        return result
    }

    static func plain(_ n: Double, _ sum: Double, _ squares: Double) -> SufficientStatistics {
        SufficientStatistics(count: n, sum: sum, sumOfSquares: squares)
    }

    /// Per unit (a1, a2, a3 | b1, b2, b3), worked out from the table:
    /// orders in 0–7d: 2, 0, 1 | 2, 1, 1 (b3's order has no value: it counts, adding 0);
    /// revenue in 0–7d: 40, 0, 20 | 100, 500, 0; over the whole experiment a1 adds its +8d
    /// order: 140, 0, 20 | 100, 500, 0; capped at 50: 40, 0, 20 | 50, 50, 0; the median of
    /// the six units' 0–7d revenue (0, 0, 20, 40, 100, 500) is 30, so capped at the 50th
    /// percentile: 30, 0, 20 | 30, 30, 0; any order in 0–7d: 1, 0, 1 | 1, 1, 1; a session in
    /// [1d, 2d): 1, 0, 1 | 0, 1, 0 (b1's is at exactly 2d, outside).
    static let expected: [String: [String: SufficientStatistics]] = [
        "orders_7d": ["a": plain(3, 3, 5), "b": plain(3, 4, 6)],
        "revenue_7d": ["a": plain(3, 60, 2000), "b": plain(3, 600, 260_000)],
        "revenue_all": ["a": plain(3, 160, 20_000), "b": plain(3, 600, 260_000)],
        "converted_7d": ["a": plain(3, 2, 2), "b": plain(3, 3, 3)],
        // x = revenue, y = orders: Σy 3 | 4, Σy² 5 | 6, Σxy 40·2 + 20·1 = 100 | 100·2 + 500·1 = 700.
        "aov_7d": [
            "a": SufficientStatistics(count: 3, sum: 60, sumOfSquares: 2000, denominatorSum: 3, denominatorSumOfSquares: 5, crossProductSum: 100),
            "b": SufficientStatistics(count: 3, sum: 600, sumOfSquares: 260_000, denominatorSum: 4, denominatorSumOfSquares: 6, crossProductSum: 700),
        ],
        "revenue_per_order": [
            "a": SufficientStatistics(count: 3, sum: 60, sumOfSquares: 2000, denominatorSum: 3, denominatorSumOfSquares: 5, crossProductSum: 100),
            "b": SufficientStatistics(count: 3, sum: 600, sumOfSquares: 260_000, denominatorSum: 4, denominatorSumOfSquares: 6, crossProductSum: 700),
        ],
        // x = revenue over the whole experiment, y = orders in 0–7d: Σxy 140·2 + 20·1 = 300 | 100·2 + 500·1 = 700.
        "revenue_all_per_order_7d": [
            "a": SufficientStatistics(count: 3, sum: 160, sumOfSquares: 20_000, denominatorSum: 3, denominatorSumOfSquares: 5, crossProductSum: 300),
            "b": SufficientStatistics(count: 3, sum: 600, sumOfSquares: 260_000, denominatorSum: 4, denominatorSumOfSquares: 6, crossProductSum: 700),
        ],
        "revenue_capped": ["a": plain(3, 60, 2000), "b": plain(3, 100, 5000)],
        "revenue_p50": ["a": plain(3, 50, 1300), "b": plain(3, 60, 1800)],
        "return_1d": ["a": plain(3, 2, 2), "b": plain(3, 1, 1)],
    ]

    @Test func perArmValuesOfEveryAggregationWindowCapAndRatioMatchTheHandComputation() throws {
        try AllocationFixtures.migrated { db, _ in
            try Self.load(db)
            let cells = try OutcomeMetricEvaluator(connection: db).fullCells(experiment: "shop", spec: Self.spec)
            #expect(Self.pooled(cells) == Self.expected)
            // Cells split by period and entry day: a3 entered on T0 + 1 day under version 2.
            let orders = try #require(cells["orders_7d"]).filter { $0.arm == "a" }
            #expect(orders.map(\.period) == [1, 2])
            #expect(orders.map(\.day) == [Self.t0, Self.t0.addingTimeInterval(Self.day)])
            #expect(orders.map(\.statistics.count) == [2, 1])
        }
    }

    @Test func theMaintainedUnitRowsGiveTheCellsOfTheFullRecomputationBeforeAndAfterNewData() throws {
        try AllocationFixtures.migrated { db, _ in
            try AllocationFixtures.apply(Self.spec, on: db)
            try Self.load(db)
            let evaluator = OutcomeMetricEvaluator(connection: db)
            #expect(try evaluator.maintainedCells(experiment: "shop", spec: Self.spec) == nil)  // not refreshed yet
            try AggregateRefresher(connection: db).refresh(now: AllocationFixtures.now)
            let first = try #require(try evaluator.maintainedCells(experiment: "shop", spec: Self.spec))
            #expect(first.refreshedAt == AllocationFixtures.now)
            #expect(first.cells == (try evaluator.fullCells(experiment: "shop", spec: Self.spec)))
            #expect(Self.pooled(first.cells) == Self.expected)
            // New data after the refresh: a2 orders inside its week, a new unit b4 is exposed
            // and orders, a1 orders outside its week. Only those units are recomputed.
            try Self.outcome(db, "a2", "order", at: 3 * Self.day, value: 15)
            try Self.expose(db, "b", "b4", at: Self.day)
            try Self.outcome(db, "b4", "order", at: Self.day + Self.hour, value: 5)
            try Self.outcome(db, "a1", "order", at: 9 * Self.day, value: 1)
            try AggregateRefresher(connection: db).refresh(now: AllocationFixtures.now)
            let second = try #require(try evaluator.maintainedCells(experiment: "shop", spec: Self.spec))
            #expect(second.cells == (try evaluator.fullCells(experiment: "shop", spec: Self.spec)))
            let pooled = Self.pooled(second.cells)
            #expect(pooled["revenue_7d"]?["a"] == Self.plain(3, 75, 2225))  // 40, 15, 20
            #expect(pooled["revenue_7d"]?["b"] == Self.plain(4, 605, 260_025))  // 100, 500, 0, 5
            #expect(pooled["revenue_all"]?["a"] == Self.plain(3, 176, 20_506))  // 141, 15, 20
            let recomputed = try db.query("SELECT count(*) FROM abctl_outcome_metric_units").first?.decode(Int.self, at: 0)
            #expect(recomputed == 3 * 7)  // a row per source (order 0–7d, order open, session 1d–2d) and exposed unit (7)
        }
    }
}
