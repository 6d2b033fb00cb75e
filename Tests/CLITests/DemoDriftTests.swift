import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// `abctl demo --drift` end to end with the built binary: halfway through the traffic a trend
/// toward one category starts and users keep a third of their old tastes, so the truly best
/// arm changes. The bandit, which counts only a window of recent impressions, must favour the
/// old best arm at the flip and the new one at the end, as the allocations table records.
@Suite struct DemoDriftTests {
    /// The simulator's truth for this seed, world and start day (expected clicks per list of 10,
    /// `World.expectedReward` over the lists each arm served, as the run prints them):
    /// before the flip item-knn 0.60, popularity 0.57, ALS 0.49; after it popularity 0.71,
    /// item-knn 0.47, ALS 0.39. So item-knn is best before and popularity after.
    static let bestBeforeFlip = "item-knn"
    static let bestAfterFlip = "popularity"

    @Test func theWeightsFollowTheFlipFromTheOldBestArmToTheNewOne() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-drift-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            let admin = try PostgresConnection(conninfo: conninfo)
            let database = try admin.query("SELECT current_database()")[0].decode(String.self, at: 0)
            defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: database + "_demo") WITH (FORCE)") }
            // 6 simulated hours from 2026-10-08T00:00Z: the flip at 03:00, hourly updates, a 2-hour window.
            let result = try AbctlBinary.run(
                [
                    "demo", "--drift", "--database-url", conninfo, "--out", out.path, "--start", "2026-10-01", "--seed", "11",
                    "--items", "1000", "--users", "1500", "--days", "7", "--hours", "6", "--rate", "0.15",
                ],
                environment: [:]
            )
            #expect(result.status == 0, "\(result.combined)")
            // The run prints the simulator's truth per phase; its order must be the one stated above.
            let lines = result.standardOutput.split(separator: "\n").map(String.init)
            let before = try #require(lines.firstIndex { $0.hasPrefix("The simulator's truth before the drift's flip at 2026-10-08T03:00") })
            let after = try #require(lines.firstIndex { $0 == "After the flip:" })
            #expect(lines[before + 1].hasPrefix("  \(Self.bestBeforeFlip) "), "\(result.standardOutput)")
            #expect(lines[after + 1].hasPrefix("  \(Self.bestAfterFlip) "), "\(result.standardOutput)")

            let demo = try PostgresConnection(conninfo: try String(contentsOf: out.appendingPathComponent("database-url"), encoding: .utf8))
            let rows = try demo.query(
                """
                SELECT statistics ->> 'data_until', (statistics ->> 'window_seconds')::int, weights::text
                FROM allocations WHERE experiment = 'demo-shop' AND statistics ? 'data_until' ORDER BY allocation_version
                """
            )
            // One update per simulated hour, each counting [until − 2h, until), until = clock − 30 min.
            #expect(rows.count == 6)
            var favoured: [String: String] = [:]
            for row in rows {
                let (until, window, json) = try row.decode((String, Int, String).self)
                #expect(window == 7200)
                let weights = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Double])
                favoured[until] = weights.max { $0.value < $1.value }?.key
            }
            // The update at 03:00 (data until 02:30) set the weights in force at the flip;
            // the one at 06:00 (data until 05:30) the weights at the end.
            let atFlip = try #require(favoured["2026-10-08T02:30:00Z"])
            let atEnd = try #require(favoured["2026-10-08T05:30:00Z"])
            #expect(atFlip == Self.bestBeforeFlip)
            #expect(atEnd == Self.bestAfterFlip)
            #expect(atEnd != atFlip)
            #expect(result.standardOutput.contains("the weights followed the drift"))

            // A dry run names the window it counts.
            let demoURL = try String(contentsOf: out.appendingPathComponent("database-url"), encoding: .utf8)
            let dryRun = try AbctlBinary.run(["allocate", "demo-shop", "--dry-run", "--database-url", demoURL], environment: [:])
            #expect(dryRun.status == 0, "\(dryRun.combined)")
            #expect(dryRun.standardOutput.contains("(window 2h) before "), "\(dryRun.standardOutput)")
        }
    }
}
