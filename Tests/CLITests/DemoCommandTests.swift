import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// `abctl demo` end to end with the built binary: the whole loop on a database of its own,
/// twice (it must run again without cleaning up). The simulator knows each arm's true
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
                "--items", "300", "--users", "800", "--days", "4", "--hours", "4", "--rate", "0.35",
            ]
            for run in 1...2 {
                let result = try AbctlBinary.run(arguments, environment: [:])
                #expect(result.status == 0, "run \(run): \(result.combined)")
                #expect(result.standardOutput.contains("✓ The planted best arm"), "run \(run): \(result.standardOutput)")
                #expect(result.standardOutput.contains("ndcg@10"))
            }
            let demo = try PostgresConnection(conninfo: try #require(try String(contentsOf: out.appendingPathComponent("database-url"), encoding: .utf8)))
            // One allocation row from apply plus one per simulated hour; history is kept.
            #expect(try demo.query("SELECT count(*) FROM allocations WHERE experiment = 'demo-shop'")[0].decode(Int.self, at: 0) == 5)
            // Every decision was logged with its propensity, and feedback points at impressions.
            #expect(try demo.query("SELECT count(*) FROM impressions WHERE propensity <= 0 OR propensity > 1")[0].decode(Int.self, at: 0) == 0)
            #expect(try demo.query("SELECT count(*) FROM impressions")[0].decode(Int.self, at: 0) > 3000)
            let orphans = try demo.query("SELECT count(*) FROM feedback f WHERE NOT EXISTS (SELECT 1 FROM impressions i WHERE i.request_id = f.request_id)")
            #expect(try orphans[0].decode(Int.self, at: 0) == 0)
            let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
            #expect(html.contains("demo-shop"))
        }
    }
}
