import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

/// The Grafana dashboard (dashboards/abctl-grafana.json) over the views of
/// sql/0004_dashboards.sql: every panel's SQL, expanded as Grafana's PostgreSQL data source
/// expands it, runs against a migrated database holding a small logged experiment, and the
/// panels show the values worked out by hand below.
@Suite struct DashboardSQLTests {
    /// Grafana's time picker for the panel queries: 2026-11-20 06:00 to 2026-11-21 00:00 UTC.
    static let range = GrafanaMacros(
        from: Date(timeIntervalSince1970: 1_795_154_400),
        to: Date(timeIntervalSince1970: 1_795_219_200)
    )

    @Test func theMacrosExpandAsGrafanasPostgresDataSourceDoes() throws {
        // Expected text from grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go:
        // "%s BETWEEN '%s' AND '%s'" with RFC 3339 UTC times, "floor(extract(epoch from %s)/%v)*%v"
        // plus ` AS "time"` for the alias form; single-value variables are inserted raw with
        // quotes doubled (Grafana's SQL data source interpolateVariable).
        let sql = "SELECT $__timeGroupAlias(created_at, '1m') FROM t WHERE $__timeFilter(created_at) AND x = '$experiment' AND y > $__timeFrom()"
        #expect(
            try Self.range.expand(sql, experiment: "o'clock")
                == "SELECT floor(extract(epoch from created_at)/60)*60 AS \"time\" FROM t WHERE created_at BETWEEN "
                + "'2026-11-20T06:00:00Z' AND '2026-11-21T00:00:00Z' AND x = 'o''clock' AND y > '2026-11-20T06:00:00Z'"
        )
        #expect(throws: DashboardTestError.self) { try Self.range.expand("SELECT $__unknown(x)", experiment: "e") }
    }

    @Test func everyPanelRunsAndShowsTheHandComputedValues() throws {
        let dashboard = try GrafanaDashboard.load()
        #expect(dashboard.schemaVersion >= 39)
        #expect(dashboard.templating.list.map(\.name) == ["datasource", "experiment"])
        let titles = dashboard.panels.map(\.title)
        for needed in ["Allocation over time", "CTR", "Conversion", "NDCG@K", "Events per minute", "Sample ratio"] {
            #expect(titles.contains { $0.hasPrefix(needed) }, "no panel titled \(needed)…")
        }
        try TestDatabase.withFreshConnection { db in
            try Self.migrateAndLog(db)
            // The experiment variable's query lists both experiments.
            let variable = try #require(dashboard.templating.list.first { $0.name == "experiment" }?.query)
            #expect(try db.query(PostgresQuery(unsafeSQL: variable)).map { try $0.decode(String.self, at: 0) } == ["home", "other"])

            var results: [String: PostgresRows] = [:]
            for panel in dashboard.panels {
                for target in panel.targets {
                    let sql = try Self.range.expand(target.rawSql, experiment: "home")
                    results[panel.title] = try db.query(PostgresQuery(unsafeSQL: sql))
                }
            }
            try Self.checkAllocation(try #require(results["Allocation over time"]))
            try Self.checkDailyMetrics(results)
            try Self.checkEvents(try #require(results["Events per minute"]))
            try Self.checkSampleRatio(results)
            // The panels read the aggregates refreshed in migrateAndLog, and say how fresh they are.
            let freshness = try #require(results.first { $0.key.hasPrefix("Data as of") }?.value)
            #expect(freshness.count == 1)
        }
    }

    /// Allocation v1 (0.5 / 0.5) from 00:00, v2 (0.2 / 0.8) from 12:00. In the 06:00–24:00
    /// window: v1 drawn from the window's start, v2 from 12:00, and v2 again at the window's
    /// end so the last step reaches it.
    static func checkAllocation(_ rows: PostgresRows) throws {
        let points = try rows.map { row in
            (try row.decode(Date.self, column: "time"), try row.decode(String.self, column: "metric"), try row.decode(Double.self, column: "weight"))
        }
        let six = Date(timeIntervalSince1970: 1_795_154_400)
        let noon = six.addingTimeInterval(6 * 3600)
        let end = six.addingTimeInterval(18 * 3600)
        let expected: [(Date, String, Double)] = [
            (six, "control", 0.5), (six, "treat", 0.5), (noon, "control", 0.2), (noon, "treat", 0.8), (end, "control", 0.2), (end, "treat", 0.8),
        ]
        #expect(points.count == expected.count)
        for (point, want) in zip(points, expected) {
            #expect(point.0 == want.0 && point.1 == want.1 && point.2 == want.2, "allocation point \(point) should be \(want)")
        }
    }

    /// CTR, conversion and NDCG@3 of 2026-11-20, per arm, with the 95% intervals of the view's
    /// comment (delta method over units for ratios, Wald over units for conversion).
    static func checkDailyMetrics(_ results: [String: PostgresRows]) throws {
        let z = 1.959963984540054
        func series(_ prefix: String, _ column: String) throws -> [String: (Double, Double?, Double?)] {
            let rows = try #require(results.first { $0.key.hasPrefix(prefix) }?.value)
            var byArm: [String: (Double, Double?, Double?)] = [:]
            for row in rows {
                #expect(try row.decode(Date.self, column: "time") == Date(timeIntervalSince1970: 1_795_132_800))  // 2026-11-20 UTC
                byArm[try row.decode(String.self, column: "metric")] = (
                    try row.decode(Double.self, column: column), try row.decode(Double?.self, column: column + "_lower"),
                    try row.decode(Double?.self, column: column + "_upper")
                )
            }
            return byArm
        }
        // CTR, control: units u1 (1 click / 2 impressions), u2 (1/1), u3 (0/1): R = 2/4 = 0.5.
        // s²x = 1/3, s²y = 1/3, sxy = 1/6, ȳ = 4/3: Var·n = (1/3 − 2·0.5·1/6 + 0.25·1/3)/(16/9)
        // = (1/4)(9/16) = 9/64; se = √(9/64/3) = √3/8.
        // Treatment: u4 (2/1), u5 (1/1), u6 (0/2; its one click came 2 h late): R = 3/4.
        // s²x = 1, s²y = 1/3, sxy = −1/2: Var·n = (1 + 0.75 + 0.1875)(9/16) = 1.08984375;
        // se = √(1.08984375/3); the lower bound 0.75 − 1.96·0.603 < 0 is clipped to 0.
        let ctr = try series("CTR", "ctr")
        #expect(ctr.count == 2, "only experiment home's arms: \(ctr.keys.sorted())")
        try expectClose(ctr["control"], (0.5, 0.5 - z * 3.0.squareRoot() / 8, 0.5 + z * 3.0.squareRoot() / 8))
        try expectClose(ctr["treat"], (0.75, 0, 0.75 + z * (1.08984375 / 3).squareRoot()))
        // Conversion: u2 bought (1 of 3 control units), no treated unit did.
        // se = √((1/3)(2/3)/3) = √(2/27); lower bound clipped to 0.
        let conversion = try series("Conversion", "conversion")
        try expectClose(conversion["control"], (1.0 / 3, 0, 1.0 / 3 + z * (2.0 / 27).squareRoot()))
        try expectClose(conversion["treat"], (0, 0, 0))
        // NDCG@3, control: c1 click at position 2 → 1/log2(3); c3 purchase at position 1 → 1;
        // c2, c4 → 0: (1/log2 3 + 1)/4. Treatment: t1 clicks at 1 and 2 (ideal order) → 1;
        // t2 click at 3 → (1/log2 4)/1 = 0.5; t3, t4 → 0: 1.5/4.
        let ndcg = try series("NDCG", "ndcg")
        #expect(abs((ndcg["control"]?.0 ?? -1) - (1 / log2(3.0) + 1) / 4) < 1e-12)
        #expect(abs((ndcg["treat"]?.0 ?? -1) - 1.5 / 4) < 1e-12)
    }

    static func expectClose(_ actual: (Double, Double?, Double?)?, _ expected: (Double, Double, Double)) throws {
        let actual = try #require(actual)
        #expect(abs(actual.0 - expected.0) < 1e-12, "estimate \(actual.0) ≠ \(expected.0)")
        #expect(abs((actual.1 ?? .nan) - expected.1) < 1e-12, "lower bound \(String(describing: actual.1)) ≠ \(expected.1)")
        #expect(abs((actual.2 ?? .nan) - expected.2) < 1e-12, "upper bound \(String(describing: actual.2)) ≠ \(expected.2)")
    }

    /// In 06:00–24:00: impressions at 13:00, 13:30, 14:00 and 14:10; feedback at 14:00 and
    /// 16:00 (the earlier events fall before the window, experiment other's after nothing).
    static func checkEvents(_ rows: PostgresRows) throws {
        let counts = try rows.map { row in
            "\(Int(try row.decode(Double.self, column: "time")) - 1_795_132_800) \(try row.decode(String.self, column: "metric")) \(try row.decode(Int.self, column: "events"))"
        }
        #expect(
            counts == [
                "46800 impression 1", "48600 impression 1", "50400 feedback 1", "50400 impression 1", "51000 impression 1", "57600 feedback 1",
            ]
        )
    }

    /// Units per arm by period: v1 control u1, u2 and treat u4; v2 control u3, treat u5, u6.
    /// Expected: 3·0.5 + 3·0.2 = 2.1 control, 3·0.5 + 3·0.8 = 3.9 treat; χ² = 0.81/2.1 +
    /// 0.81/3.9, p from scipy (scripts/dashboards_reference.py) = 0.4411048253561106.
    static func checkSampleRatio(_ results: [String: PostgresRows]) throws {
        let status = try #require(results.first { $0.key.hasPrefix("Sample ratio") }?.value.first)
        #expect(try status.decode(String.self, column: "status") == "ok")
        #expect(abs(try status.decode(Double.self, column: "chi_square") - (0.81 / 2.1 + 0.81 / 3.9)) < 1e-12)
        #expect(abs(try status.decode(Double.self, column: "p_value") - 0.4411048253561106) < 2e-7)
        let arms = try #require(results.first { $0.key.hasPrefix("Units per arm") }?.value)
        let table = try arms.map { row in
            (
                try row.decode(String.self, column: "arm"), try row.decode(Double.self, column: "observed_units"),
                try row.decode(Double.self, column: "expected_units")
            )
        }
        #expect(table.map(\.0) == ["control", "treat"] && table.map(\.1) == [3, 3])
        #expect(abs(table[0].2 - 2.1) < 1e-12 && abs(table[1].2 - 3.9) < 1e-12)
    }

    /// scipy.stats.chi2.sf at each point (scripts/dashboards_reference.py): exact series for
    /// even df; for odd df the normal tail's approximation (A&S 26.2.17) bounds the error.
    @Test func chiSquaredSurvivalMatchesScipy() throws {
        let reference: [(x: Double, df: Int, p: Double)] = [
            (0.5, 1, 0.47950012218695337), (3.2, 1, 0.07363827012030258), (3.2, 2, 0.2018965179946554), (7.5, 3, 0.0575584519726364),
            (12.0, 4, 0.01735126523666451), (12.0, 5, 0.03478778050624185), (20.0, 7, 0.005569683072945574), (1.0, 10, 0.9998278843700441),
            (40.0, 9, 7.598525229464264e-06),
            // Past exp()'s underflow (e^{-x/2} below the smallest double), where 0004 raised an
            // error: scipy gives 0 for few degrees of freedom and 1 for many.
            (2000.0, 3, 0), (1500.0, 2, 0), (2000.0, 4000, 1), (1600.0, 1500, 0.03602644670402661),
        ]
        try TestDatabase.withFreshConnection { db in
            try Self.migrator().migrate(db)
            for (x, df, expected) in reference {
                let p = try db.query("SELECT abctl_chi_squared_survival(\(x), \(df)::integer)")[0].decode(Double.self, at: 0)
                #expect(abs(p - expected) < (df % 2 == 0 ? 1e-13 : 2e-7), "χ² sf(\(x), \(df)) = \(p), scipy \(expected)")
            }
            // P(Z ≥ ±40): 0 and 1 within A&S's 7.5e-8, not an underflow error.
            let tails = try db.query("SELECT abctl_normal_survival(40), abctl_normal_survival(-40)")[0].decode((Double, Double).self)
            #expect(tails.0 == 0 && tails.1 == 1)
        }
    }

    @Test func theReaderRoleReadsEveryViewAndCannotWrite() throws {
        try TestDatabase.withFreshConnection { db in
            try Self.migrateAndLog(db)
            try db.executeScript("BEGIN; SET LOCAL ROLE abctl_reader")
            for view in ["experiments", "allocations", "daily_arm_metrics", "events", "srm", "impression_metrics", "freshness"] {
                #expect(try db.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM abctl_dashboard_\(view)"))[0].decode(Int.self, at: 0) > 0)
            }
            let error = #expect(throws: PostgresError.self) {
                try db.execute("INSERT INTO experiment_status (experiment, status) VALUES ('home', 'stopped')")
            }
            #expect(error?.description.contains("permission denied") == true, "\(String(describing: error))")
            try db.executeScript("ROLLBACK")
        }
    }

    static func migrator() throws -> Migrator {
        Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql")))
    }

    /// Experiment home (K = 3, window 1 h; arms control and treat) logged on 2026-11-20 UTC,
    /// and one impression of another experiment that no panel for home may show.
    static func migrateAndLog(_ db: PostgresConnection) throws {
        try migrator().migrate(db)
        try db.executeScript(
            """
            INSERT INTO experiments (name, version, spec, checksum) VALUES
                ('home', 1, '{"metrics": {"k": 3, "attribution_window": "1h"}}', 'h'),
                ('other', 1, '{"metrics": {"k": 3}}', 'o');
            INSERT INTO arms VALUES ('home', 1, 'control', 'popularity', '{}', true, 0.5), ('home', 1, 'treat', 'item_knn', '{}', false, 0.5),
                ('other', 1, 'control', 'popularity', '{}', true, 1);
            INSERT INTO allocations (experiment, allocation_version, experiment_version, weights, policy, effective_from) VALUES
                ('home', 1, 1, '{"control": 0.5, "treat": 0.5}', 'fixed', '2026-11-20T00:00:00Z'),
                ('home', 2, 1, '{"control": 0.2, "treat": 0.8}', 'thompson', '2026-11-20T12:00:00Z'),
                ('other', 1, 1, '{"control": 1}', 'fixed', '2026-11-20T00:00:00Z');
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
            VALUES
                ('00000000-0000-0000-0000-0000000000c1', 'home', 1, 'control', 'u1', '{a,b,c}', '{1,1,1}', 0.5, 1, '2026-11-20T01:00:00Z'),
                ('00000000-0000-0000-0000-0000000000c2', 'home', 1, 'control', 'u1', '{a,b,c}', '{1,1,1}', 0.5, 1, '2026-11-20T02:00:00Z'),
                ('00000000-0000-0000-0000-0000000000c3', 'home', 1, 'control', 'u2', '{d,e,f}', '{1,1,1}', 0.5, 1, '2026-11-20T03:00:00Z'),
                ('00000000-0000-0000-0000-0000000000c4', 'home', 1, 'control', 'u3', '{a,b,c}', '{1,1,1}', 0.2, 2, '2026-11-20T13:00:00Z'),
                ('00000000-0000-0000-0000-0000000000f1', 'home', 1, 'treat', 'u4', '{x,y,z}', '{1,1,1}', 0.5, 1, '2026-11-20T01:30:00Z'),
                ('00000000-0000-0000-0000-0000000000f2', 'home', 1, 'treat', 'u5', '{x,y,z}', '{1,1,1}', 0.8, 2, '2026-11-20T13:30:00Z'),
                ('00000000-0000-0000-0000-0000000000f3', 'home', 1, 'treat', 'u6', '{x,y,z}', '{1,1,1}', 0.8, 2, '2026-11-20T14:00:00Z'),
                ('00000000-0000-0000-0000-0000000000f4', 'home', 1, 'treat', 'u6', '{x,y,z}', '{1,1,1}', 0.8, 2, '2026-11-20T14:10:00Z'),
                ('00000000-0000-0000-0000-0000000000a1', 'other', 1, 'control', 'u9', '{a,b,c}', '{1,1,1}', 1, 1, '2026-11-20T15:00:00Z');
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at) VALUES
                ('e1', '00000000-0000-0000-0000-0000000000c1', 'u1', 'b', 'click', 0, '2026-11-20T01:01:00Z'),
                ('e2', '00000000-0000-0000-0000-0000000000c3', 'u2', 'd', 'click', 0, '2026-11-20T03:01:00Z'),
                ('e3', '00000000-0000-0000-0000-0000000000c3', 'u2', 'd', 'purchase', 5, '2026-11-20T03:02:00Z'),
                ('e4', '00000000-0000-0000-0000-0000000000f1', 'u4', 'x', 'click', 0, '2026-11-20T01:30:10Z'),
                ('e5', '00000000-0000-0000-0000-0000000000f1', 'u4', 'y', 'click', 0, '2026-11-20T01:30:20Z'),
                ('e6', '00000000-0000-0000-0000-0000000000f2', 'u5', 'z', 'click', 0, '2026-11-20T14:00:00Z'),
                ('e7', '00000000-0000-0000-0000-0000000000f3', 'u6', 'x', 'click', 0, '2026-11-20T16:00:00Z'),
                ('e8', '00000000-0000-0000-0000-0000000000a1', 'u9', 'a', 'click', 0, '2026-11-20T15:00:30Z');
            """
        )
        try refreshAggregates(db)
    }

    /// Every view but the events reads the maintained aggregates (sql/0019): register each
    /// experiment's report definition (K 3, its window, the default gains, lag 0), as
    /// `abctl refresh` does from the spec, and refresh.
    static func refreshAggregates(_ db: PostgresConnection) throws {
        let gains = #"{"click": 1, "add_to_cart": 2, "purchase": 3}"#
        for (experiment, window) in [("home", 3600), ("other", 86400)] {
            let definition =
                #"[{"k": 3, "attribution_window_seconds": \#(window), "gains": \#(gains), "exponential": false, "cutoff_lag_seconds": 0}]"#
            try db.query("SELECT abctl_register_metric_definitions(\(experiment), \(definition)::jsonb)")
        }
        try db.query("SELECT * FROM abctl_refresh_aggregates()")
    }
}

/// The parts of the dashboard JSON the test reads.
struct GrafanaDashboard: Decodable {
    struct Panel: Decodable {
        var title: String
        var targets: [Target]
    }

    struct Target: Decodable {
        var rawSql: String
    }

    struct Variable: Decodable {
        var name: String
        var query: String?
    }

    struct Templating: Decodable {
        var list: [Variable]
    }

    var schemaVersion: Int
    var panels: [Panel]
    var templating: Templating

    static func load() throws -> GrafanaDashboard {
        let url = TestDatabase.repositoryRoot.appendingPathComponent("dashboards/abctl-grafana.json")
        return try JSONDecoder().decode(GrafanaDashboard.self, from: Data(contentsOf: url))
    }
}

/// Grafana's PostgreSQL macros for one time range, the subset the dashboard uses, expanded
/// as grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go does.
struct GrafanaMacros {
    var from: Date
    var to: Date

    func expand(_ sql: String, experiment: String) throws -> String {
        let withVariable = sql.replacingOccurrences(of: "$experiment", with: experiment.replacingOccurrences(of: "'", with: "''"))
        var result = ""
        var rest = withVariable[...]
        // Grafana's pattern: \$([_a-zA-Z0-9]+)\(([^\)]*)\)
        while let match = rest.firstMatch(of: /\$([_a-zA-Z0-9]+)\(([^)]*)\)/) {
            result += rest[..<match.range.lowerBound]
            let arguments = match.output.2.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            result += try macro(String(match.output.1), arguments)
            rest = rest[match.range.upperBound...]
        }
        return result + rest
    }

    private func macro(_ name: String, _ arguments: [String]) throws -> String {
        switch name {
        case "__timeFilter": return "\(arguments[0]) BETWEEN \(quoted(from)) AND \(quoted(to))"
        case "__timeFrom": return quoted(from)
        case "__timeTo": return quoted(to)
        case "__timeGroup", "__timeGroupAlias":
            guard arguments.count >= 2, let seconds = Self.seconds(arguments[1]) else { throw DashboardTestError("bad interval in \(name)") }
            let group = "floor(extract(epoch from \(arguments[0]))/\(seconds))*\(seconds)"
            return name == "__timeGroup" ? group : group + " AS \"time\""
        default: throw DashboardTestError("macro $\(name) is not one the test implements")
        }
    }

    private func quoted(_ date: Date) -> String {
        "'" + date.formatted(.iso8601) + "'"
    }

    /// Grafana's interval text ('1m', '1h', '1d', '30s') in whole seconds.
    private static func seconds(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        guard let unit = trimmed.last, let amount = Int(trimmed.dropLast()) else { return nil }
        let sizes: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        return sizes[unit].map { $0 * amount }
    }
}

struct DashboardTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
