import Foundation
import PostgresClient
import Testing

/// Two `abctl serve` processes on one PostgreSQL keep the maintained aggregates current as
/// one service (issue 21): both try to refresh every half second, the advisory lock lets one
/// at a time, and when one is killed with SIGKILL (its session, and any refresh lock it held,
/// ends with it) the other keeps them current alone. Each server answers feedback on the
/// other's decisions.
@Suite("Several servers, one database", .serialized)
struct SeveralServersRefreshTests {
    /// Impressions and clicks counted by the report's maintained aggregates of `outage` (cut-off lag 0).
    static func counted(_ cluster: PrivateCluster) throws -> (impressions: Int, clicks: Int) {
        let rows = try cluster.connection().query(
            """
            SELECT COALESCE(sum(c.n), 0)::bigint, COALESCE(sum(c.c), 0)::bigint FROM abctl_agg_cells c
            JOIN abctl_metric_definitions d USING (definition_key)
            WHERE d.experiment = 'outage' AND d.cutoff_lag = interval '0'
            """
        )
        let (impressions, clicks) = try rows[0].decode((Int, Int).self)
        return (impressions, clicks)
    }

    @Test("two servers refresh as one; after a SIGKILL of either, the other keeps the aggregates current")
    func aPeerKeepsTheAggregatesCurrent() async throws {
        let cluster = try PrivateCluster()
        defer { cluster.destroy() }
        _ = try ServerFixture.applySpec(DurabilityTests.spec, on: cluster.connection())
        let every = ["--refresh-interval", "0.5"]
        let first = try ServeProcess(cluster: cluster, spool: cluster.home.appendingPathComponent("spool-a"), arguments: every)
        let second = try ServeProcess(cluster: cluster, spool: cluster.home.appendingPathComponent("spool-b"), arguments: every)

        // 20 decisions on each server; a click on each, sent to the other server, stamped a
        // second later (isoTime is whole seconds; a click before its impression is not attributed).
        var decisions: [(server: ServeProcess, other: ServeProcess, id: String)] = []
        for n in 0..<40 {
            let (server, other) = n % 2 == 0 ? (first, second) : (second, first)
            let id = try #require(await DurabilityTests.decide(server, unit: "unit-\(n)"))
            decisions.append((server, other, id))
        }
        // Each server writes its impressions within ~100 ms; the other finds them in PostgreSQL.
        let written = try await ServerFixture.eventually(seconds: 20) { try DurabilityTests.impressions(cluster).count == 40 }
        #expect(written)
        for (n, decision) in decisions.enumerated() {
            let answer = await decision.other.post(
                "/v1/events",
                #"{"events":[\#(eventJSON(id: "click-\(n)", request: decision.id, unit: "unit-\(n)", item: "a", timestamp: isoTime(1)))]}"#
            )
            #expect(answer?.status == 202 && answer?.body["accepted"] as? Int == 1, "\(String(describing: answer))")
        }
        let caughtUp = try await ServerFixture.eventually(seconds: 30) { try Self.counted(cluster) == (40, 40) }
        #expect(caughtUp, "impressions and clicks counted: \(String(describing: try? Self.counted(cluster)))")

        // Kill the first server, wherever its refresh stood; the second carries on alone.
        first.kill9()
        for n in 40..<60 {
            #expect(await DurabilityTests.decide(second, unit: "unit-\(n)") != nil)
        }
        let carriedOn = try await ServerFixture.eventually(seconds: 30) { try Self.counted(cluster).impressions == 60 }
        #expect(carriedOn, "impressions and clicks counted after the kill: \(String(describing: try? Self.counted(cluster)))")
        // No impression is counted twice, whichever server refreshed it.
        let stored = try cluster.connection().query("SELECT count(*) FROM impressions WHERE experiment = 'outage'")[0].decode(Int.self, at: 0)
        #expect(stored == 60)
        #expect(second.terminate() == 0)
    }
}
