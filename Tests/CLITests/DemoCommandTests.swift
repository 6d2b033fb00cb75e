import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// `abctl demo` end to end with the built binary: the whole loop on a database of its own,
/// twice (it must run again without cleaning up); `abctl demo` makes its decisions through
/// DecisionCore, the decision service's code, and reallocates through AllocationUpdater. The simulator knows each arm's true
/// expected clicks; the bandit, fed only by the logged impressions and feedback, must end
/// with the most traffic on the truly best arm.
@Suite struct DemoCommandTests {
    @Test func theLoopRunsTwiceAndTheTrulyBestArmEndsWithTheMostTraffic() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-demo-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            let admin = try PostgresConnection(conninfo: conninfo)
            let database = try admin.query("SELECT current_database()")[0].decode(String.self, at: 0)
            defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: database + "_demo") WITH (FORCE)") }
            // A fixed start day and seed make the run reproducible (simulated history and traffic).
            let arguments = [
                "demo", "--database-url", conninfo, "--out", out.path, "--start", "2026-10-01", "--seed", "11",
                "--items", "1000", "--users", "1500", "--days", "4",
            ]
            // With this seed the simulator's truth is popularity 0.60 expected clicks per list,
            // item-kNN 0.53, ALS 0.53 (small history); the bandit must find that out.
            let first = try AbctlBinary.run(arguments + ["--hours", "3", "--rate", "0.25"], environment: [:])
            #expect(first.status == 0, "\(first.combined)")
            #expect(first.standardOutput.contains("✓ The planted best arm, popularity,"), "\(first.standardOutput)")
            #expect(first.standardOutput.contains("ndcg@10"))
            #expect(first.standardOutput.contains("precision@10"), "the mission names precision@K beside NDCG and conversion")
            // The business metrics: revenue per user from the shop's own orders table, as a
            // guardrail, and next-day return visits from session-start outcome events.
            #expect(first.standardOutput.contains("revenue_per_user"), "\(first.standardOutput)")
            #expect(first.standardOutput.contains("returned_d1"))
            #expect(first.standardOutput.contains("guardrail"))
            // Again, without cleaning up (a shorter run: the point is that it works twice).
            let second = try AbctlBinary.run(arguments + ["--hours", "2", "--rate", "0.1"], environment: [:])
            #expect(second.status == 0, "\(second.combined)")
            #expect(second.standardOutput.contains("HTML report:"))
            let demo = try PostgresConnection(conninfo: try String(contentsOf: out.appendingPathComponent("database-url"), encoding: .utf8))
            // One allocation row from apply plus one per simulated hour of the second run; history is kept.
            #expect(try demo.query("SELECT count(*) FROM allocations WHERE experiment = 'demo-shop'")[0].decode(Int.self, at: 0) == 3)
            // On simulated time: the traffic starts after --days of history from --start
            // (2026-10-05 00:00 UTC), and each reallocation is dated at the end of its hour.
            let stamps = try demo.query(
                """
                SELECT to_char(effective_from AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM allocations
                WHERE experiment = 'demo-shop' ORDER BY allocation_version
                """
            ).map { try $0.decode(String.self, at: 0) }
            #expect(stamps == ["2026-10-05 00:00", "2026-10-05 01:00", "2026-10-05 02:00"])
            // Every decision was logged with its propensity, and feedback points at impressions.
            #expect(try demo.query("SELECT count(*) FROM impressions WHERE propensity <= 0 OR propensity > 1")[0].decode(Int.self, at: 0) == 0)
            #expect(try demo.query("SELECT count(*) FROM impressions")[0].decode(Int.self, at: 0) > 500)
            let orphans = try demo.query(
                "SELECT count(*) FROM feedback f WHERE NOT EXISTS (SELECT 1 FROM impressions i WHERE i.request_id = f.request_id)"
            )
            #expect(try orphans[0].decode(Int.self, at: 0) == 0)
            let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
            #expect(html.contains("demo-shop"))
            #expect(html.contains("revenue_per_user"))
            // The shop's orders include some no recommendation led to; every visit is a session start.
            let organic = try demo.query("SELECT count(*) FROM shop_orders WHERE order_id LIKE 'organic-%'")[0].decode(Int.self, at: 0)
            #expect(organic > 0)
            let sessions = try demo.query("SELECT count(*) FROM outcome_events WHERE event_type = 'session_start'")[0].decode(Int.self, at: 0)
            #expect(try sessions == demo.query("SELECT count(*) FROM impressions")[0].decode(Int.self, at: 0))
        }
    }
}

/// The demo never drops a database it did not make.
@Suite struct DemoDatabaseSafetyTests {
    @Test func aForeignDatabaseWithTheDemosNameIsLeftAlone() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let admin = try PostgresConnection(conninfo: conninfo)
            let name = try admin.query("SELECT current_database()")[0].decode(String.self, at: 0) + "_demo"
            try admin.execute("CREATE DATABASE \(identifier: name)")
            defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
            let foreign = try PostgresConnection(conninfo: try #require(ConnectionSettings.replacingDatabase(in: conninfo, with: name)))
            try foreign.execute("CREATE TABLE precious (x int)")

            let result = try AbctlBinary.run(
                ["demo", "--database-url", conninfo, "--out", "/tmp/abctl-demo-refused-\(UUID().uuidString)"],
                environment: [:]
            )
            #expect(result.status != 0)
            #expect(result.standardError.contains("was not made by abctl demo; the demo will not drop it"), "\(result.combined)")
            #expect(try foreign.query("SELECT count(*) FROM pg_tables WHERE tablename = 'precious'")[0].decode(Int.self, at: 0) == 1)
        }
    }
}

/// `abctl decide` makes the decision POST /v1/decisions would and logs its impression.
@Suite struct DecideCommandTests {
    @Test func oneDecisionIsPrintedAndLogged() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo, "ABCTL_MODELS": FileManager.default.temporaryDirectory.appendingPathComponent("abctl-none").path]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let db = try PostgresConnection(conninfo: conninfo)
            // Popularity by hand: a 3 clicks, b 2, c 1.
            try db.execute(
                """
                INSERT INTO interactions (unit_id, item_id, event_type, occurred_at)
                SELECT 'x' || g, item, 'click', now() FROM (VALUES ('a', 3), ('b', 2), ('c', 1)) v(item, n), generate_series(1, n) g
                """
            )
            let spec = FileManager.default.temporaryDirectory.appendingPathComponent("decide-\(UUID().uuidString).yaml")
            defer { try? FileManager.default.removeItem(at: spec) }
            try Data(
                """
                name: one-arm-popular
                status: running
                arms:
                  - {key: control, strategy: popularity, control: true, weight: 0.5}
                  - {key: same, strategy: popularity, weight: 0.5}
                metrics: {primary: ctr}
                """.utf8
            ).write(to: spec)
            #expect(try AbctlBinary.run(["apply", spec.path], environment: env).status == 0)
            let result = try AbctlBinary.run(
                ["decide", "--experiment", "one-arm-popular", "--unit", "u42", "--context", "device=mobile", "--k", "2", "--exclude", "a"],
                environment: env
            )
            #expect(result.status == 0, "\(result.combined)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            let items = (answer["items"] as? [[String: Any]] ?? []).compactMap { $0["item_id"] as? String }
            #expect(items == ["b", "c"])  // a excluded; then by clicks
            #expect(answer["propensity"] as? Double == 0.5)
            let requestID = try #require(answer["request_id"] as? String)
            let logged = try db.query("SELECT arm, context->>'device' FROM impressions WHERE request_id = \(requestID)::uuid")
            #expect(logged.count == 1)
            let (arm, device) = try #require(logged.first).decode((String, String).self)
            #expect(arm == answer["arm"] as? String)
            #expect(device == "mobile")
            // The spec is sticky (the default): the unit's first arm is recorded before the command exits.
            let recorded = try db.query("SELECT arm FROM unit_assignments WHERE experiment = 'one-arm-popular' AND unit_id = 'u42'")
            #expect(try recorded.map { try $0.decode(String.self, at: 0) } == [arm])

            let unknown = try AbctlBinary.run(["decide", "--experiment", "nope", "--unit", "u1"], environment: env)
            #expect(unknown.status != 0)
            #expect(unknown.standardError.contains("There is no experiment called \"nope\""))
        }
    }
}
