import Foundation
import PostgresClient
import PostgresTestSupport
import Stats
import Testing

@testable import Storage

/// The maintained aggregates (sql/0015_maintained_aggregates.sql) equal a full recomputation
/// by `abctl_report_cells` (sql/0006, the reference) over the impressions shown before the
/// aggregates' cut-off, whatever the order in which impressions and feedback arrive: late,
/// backfilled, duplicated, orphaned and out-of-window events, refreshes at random moments,
/// and a change of metric definition midway (and sometimes back). Seeded; counts must match
/// exactly, sums to 1e-12 (relative to the sum's size when it exceeds 1).
@Suite(.serialized) struct MaintainedAggregatesPropertyTests {
    /// 40 seeded histories in the normal run (about a minute on a loaded 2-core machine);
    /// `ABCTL_PROPERTY_CASES=200` runs the 200 the property was first checked with.
    static let cases = ProcessInfo.processInfo.environment["ABCTL_PROPERTY_CASES"].flatMap { Int($0) } ?? 40
    let start = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29 00:00 UTC

    /// One logged row waiting to arrive.
    enum Event {
        case impression(id: UUID, unit: String, arm: String, items: [String], allocation: Int64, at: Double)
        case feedback(eventID: String, request: UUID, unit: String, item: String, type: String, value: Double, at: Double)
    }

    struct Definition: Equatable {
        var k: Int
        var window: Int
        var gains: [String: Double]
        var exponential: Bool
        /// 0 (the report's) or the window (the allocator's).
        var lag: Int

        var document: String {
            MetricDefinition(
                experiment: "home",
                k: k,
                attributionWindowSeconds: window,
                gains: gains,
                isExponential: exponential,
                cutoffLagSeconds: lag
            ).document
        }
    }

    @Test func maintainedEqualsFullRecomputation() throws {
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            var generator = SplitMix64(seed: 21)
            var comparisons = 0
            for index in 0..<Self.cases {
                comparisons += try runCase(index, db: db, using: &generator)
            }
            // Every case compared at least its final state, most several midway states.
            #expect(comparisons >= Self.cases * 2)
        }
    }

    func randomDefinition(using generator: inout SplitMix64) -> Definition {
        let window = [1800, 3600, 7200].randomElement(using: &generator) ?? 3600
        return Definition(
            k: Int.random(in: 1...3, using: &generator),
            window: window,
            gains: Bool.random(using: &generator) ? ["click": 1, "add_to_cart": 2, "purchase": 3] : ["click": 0.5, "purchase": 4],
            exponential: Bool.random(using: &generator),
            lag: Bool.random(using: &generator) ? 0 : window
        )
    }

    func events(using generator: inout SplitMix64) -> [Event] {
        let units = (0..<Int.random(in: 2...7, using: &generator)).map { "u\($0)" }
        let catalogue = ["a", "b", "c", "d", "e"]
        var events: [Event] = []
        for _ in 0..<Int.random(in: 4...30, using: &generator) {
            let id = UUID(uuid: Self.uuidBytes(using: &generator))
            let unit = units.randomElement(using: &generator) ?? "u0"
            let items = Array(catalogue.shuffled(using: &generator).prefix(3))
            let at = Double(Int.random(in: 0...(12 * 3600), using: &generator))
            let impression = Event.impression(
                id: id,
                unit: unit,
                arm: Bool.random(using: &generator) ? "A" : "B",
                items: items,
                allocation: Int64.random(in: 1...3, using: &generator),
                at: at
            )
            events.append(impression)
            if Int.random(in: 0..<10, using: &generator) == 0 { events.append(impression) }  // a duplicate
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                // Mostly within the shortest window; some before the impression, some past any window.
                let offset = Double(Int.random(in: -300...9000, using: &generator))
                let type = ["click", "click", "add_to_cart", "purchase", "view"].randomElement(using: &generator) ?? "click"
                let item = Int.random(in: 0..<6, using: &generator) == 0 ? "zz" : (items.randomElement(using: &generator) ?? "a")
                let event = Event.feedback(
                    eventID: "e\(events.count)",
                    request: id,
                    unit: unit,
                    item: item,
                    type: type,
                    value: Double(Int.random(in: 1...50, using: &generator)) / 4,
                    at: at + offset
                )
                events.append(event)
                if Int.random(in: 0..<8, using: &generator) == 0 { events.append(event) }  // a duplicate
            }
        }
        // Feedback for a request no impression has.
        events.append(.feedback(eventID: "orphan", request: UUID(), unit: "u0", item: "a", type: "click", value: 1, at: 100))
        return events
    }

    /// Runs one case; returns the number of comparisons made.
    func runCase(_ index: Int, db: PostgresConnection, using generator: inout SplitMix64) throws -> Int {
        try db.execute(
            """
            TRUNCATE impressions, feedback, abctl_changed_requests, abctl_metric_definitions,
                     abctl_agg_impressions, abctl_agg_units, abctl_agg_cells, abctl_agg_unit_days, abctl_agg_day_cells
            """
        )
        var definition = randomDefinition(using: &generator)
        let original = definition
        try db.execute("SELECT abctl_register_metric_definitions('home', jsonb_build_array(\(definition.document)::jsonb))")
        // Arrival order: random, so feedback may precede its impression and old rows arrive late.
        let arrivals = events(using: &generator).shuffled(using: &generator)
        let changeAt = Int.random(in: 0...arrivals.count, using: &generator)
        var clock = 0.0
        var comparisons = 0
        var position = 0
        while position < arrivals.count {
            if position >= changeAt && definition == original && Bool.random(using: &generator) {
                // A spec change: a new definition (or, sometimes, the same one, a no-op).
                definition = randomDefinition(using: &generator)
                try db.execute("SELECT abctl_register_metric_definitions('home', jsonb_build_array(\(definition.document)::jsonb))")
                if Int.random(in: 0..<4, using: &generator) == 0 {
                    // and back: the original's aggregates were dropped, so it starts over.
                    try db.execute("SELECT abctl_refresh_aggregates(\(start.addingTimeInterval(clock))::timestamptz)")
                    definition = original
                    try db.execute("SELECT abctl_register_metric_definitions('home', jsonb_build_array(\(definition.document)::jsonb))")
                }
            }
            // A batch of arrivals in one statement each (a COPY-like multi-row insert) or singly.
            let batch = Int.random(in: 1...5, using: &generator)
            try insert(Array(arrivals[position..<min(position + batch, arrivals.count)]), db: db)
            position += batch
            clock += Double(Int.random(in: 0...5400, using: &generator))
            if Int.random(in: 0..<3, using: &generator) == 0 {
                try refreshAndCompare(definition, now: start.addingTimeInterval(clock), db: db, context: "case \(index) at \(position)")
                comparisons += 1
            }
        }
        // Late: a refresh after every window closed, then one more with nothing new.
        try refreshAndCompare(definition, now: start.addingTimeInterval(max(clock, 20 * 3600)), db: db, context: "case \(index) final")
        try refreshAndCompare(definition, now: start.addingTimeInterval(max(clock, 20 * 3600) + 60), db: db, context: "case \(index) idle")
        return comparisons + 2
    }

    func insert(_ batch: [Event], db: PostgresConnection) throws {
        for event in batch {
            switch event {
            case .impression(let id, let unit, let arm, let items, let allocation, let at):
                try db.execute(
                    """
                    INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
                    VALUES (\(id), 'home', 1, \(arm), \(unit), \(items)::text[], ARRAY[3,2,1]::float8[], 0.5, \(allocation),
                            \(start.addingTimeInterval(at)))
                    ON CONFLICT DO NOTHING
                    """
                )
            case .feedback(let eventID, let request, let unit, let item, let type, let value, let at):
                try db.execute(
                    """
                    INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
                    VALUES (\(eventID), \(request), \(unit), \(item), \(type), \(value), \(start.addingTimeInterval(at)))
                    ON CONFLICT DO NOTHING
                    """
                )
            }
        }
    }

    func refreshAndCompare(_ definition: Definition, now: Date, db: PostgresConnection, context: String) throws {
        let refreshed = try db.query("SELECT data_until FROM abctl_refresh_aggregates(\(now)::timestamptz)")
        #expect(refreshed.count == 1, "\(context): one definition refreshed")
        let until = try refreshed[0].decode(Date.self, at: 0)
        #expect(until >= now.addingTimeInterval(-Double(definition.lag)), "\(context): the cut-off follows the clock")
        let key = try db.query("SELECT abctl_metric_definition_key('home', \(definition.document)::jsonb)")[0].decode(String.self, at: 0)
        let maintained = try cells(
            db,
            "SELECT arm, period, day, metric, units, sum, sum_squares, denominator_sum, denominator_sum_squares, cross_sum FROM abctl_maintained_report_cells(\(key))"
        )
        let gains = "{" + definition.gains.keys.sorted().map { "\"\($0)\": \(definition.gains[$0] ?? 0)" }.joined(separator: ", ") + "}"
        let full = try cells(
            db,
            """
            SELECT arm, period, day, metric, units, sum, sum_squares, denominator_sum, denominator_sum_squares, cross_sum
            FROM abctl_report_cells('home', \(definition.k)::integer, \(definition.window) * interval '1 second', \(gains)::jsonb,
                                    \(definition.exponential), '-infinity', \(until)::timestamptz, NULL, NULL, NULL, NULL, NULL)
            """
        )
        #expect(Set(maintained.keys) == Set(full.keys), "\(context): the same cells")
        for (cell, expected) in full {
            guard let actual = maintained[cell] else { continue }
            #expect(actual[0] == expected[0], "\(context): units of \(cell)")
            for (a, e) in zip(actual.dropFirst(), expected.dropFirst()) {
                let close = (a == nil && e == nil) || (a != nil && e != nil && abs(a! - e!) <= 1e-12 * max(1, abs(e!)))
                #expect(close, "\(context): \(cell) maintained \(actual) full \(expected)")
            }
        }
        if definition.lag == 0 { try compareDays(definition, key: key, until: until, gains: gains, db: db, context: context) }
    }

    /// The unit-day sums Grafana's per-day panel reads (sql/0018) equal those recomputed from
    /// 0006's per-impression metrics, grouped by arm, unit and UTC day.
    func compareDays(_ definition: Definition, key: String, until: Date, gains: String, db: PostgresConnection, context: String) throws {
        func days(_ query: PostgresQuery) throws -> [String: [Double]] {
            var result: [String: [Double]] = [:]
            for row in try db.query(query) {
                let (arm, day) = try row.decode((String, Date).self)
                result["\(arm)/\(day.timeIntervalSince1970)"] = try (2..<12).map { try row.decode(Double.self, at: $0) }
            }
            return result
        }
        let maintained = try days(
            "SELECT arm, day, units::double precision, n, nn, c, cc, cn, g, gg, gn, v FROM abctl_agg_day_cells WHERE definition_key = \(key)"
        )
        let full = try days(
            """
            WITH unit_days AS (
                SELECT arm, unit_id, date_trunc('day', created_at, 'UTC') AS day, count(*)::double precision AS n,
                       sum(clicks)::double precision AS c, sum(ndcg_k) AS g,
                       CASE WHEN sum(purchases) > 0 THEN 1.0 ELSE 0.0 END::double precision AS v
                FROM abctl_impression_metrics_segmented('home', \(definition.k)::integer, \(definition.window) * interval '1 second',
                                                        \(gains)::jsonb, \(definition.exponential), '-infinity', \(until)::timestamptz, NULL)
                GROUP BY 1, 2, 3
            )
            SELECT arm, day, count(*)::double precision, sum(n), sum(n * n), sum(c), sum(c * c), sum(c * n),
                   sum(g), sum(g * g), sum(g * n), sum(v)
            FROM unit_days GROUP BY arm, day
            """
        )
        #expect(Set(maintained.keys) == Set(full.keys), "\(context): the same unit days")
        for (cell, expected) in full {
            guard let actual = maintained[cell] else { continue }
            let close = zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }
            #expect(close, "\(context): day \(cell) maintained \(actual) full \(expected)")
        }
    }

    /// Cells by "arm/period/day/metric": units then the five sums (nil where the metric has none).
    func cells(_ db: PostgresConnection, _ query: PostgresQuery) throws -> [String: [Double?]] {
        var result: [String: [Double?]] = [:]
        for row in try db.query(query) {
            let (arm, period, day, metric) = try row.decode((String, Int64, Date, String).self)
            result["\(arm)/\(period)/\(day.timeIntervalSince1970)/\(metric)"] = [
                try row.decode(Double.self, column: "units"),
                try row.decode(Double?.self, column: "sum"),
                try row.decode(Double?.self, column: "sum_squares"),
                try row.decode(Double?.self, column: "denominator_sum"),
                try row.decode(Double?.self, column: "denominator_sum_squares"),
                try row.decode(Double?.self, column: "cross_sum"),
            ]
        }
        return result
    }

    static func uuidBytes(using generator: inout SplitMix64) -> uuid_t {
        let a = generator.next()
        let b = generator.next()
        func byte(_ x: UInt64, _ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: x >> (8 * i)) }
        return (
            byte(a, 0), byte(a, 1), byte(a, 2), byte(a, 3), byte(a, 4), byte(a, 5), byte(a, 6), byte(a, 7),
            byte(b, 0), byte(b, 1), byte(b, 2), byte(b, 3), byte(b, 4), byte(b, 5), byte(b, 6), byte(b, 7)
        )
    }
}
