import Foundation
import PostgresClient
import Storage
import Testing

/// Two `abctl serve` processes behind one PostgreSQL act as one service for what an operator
/// changes (issue 21): a key revoked on the database is refused by every server, and a spec
/// applied once is served by every server, each told by PostgreSQL's NOTIFY, not by a restart.
@Suite("Several servers, one database: revocations and reloads", .serialized)
struct SeveralServersReloadTests {
    @Test("a revoked key is refused, and a new spec version served, by both servers")
    func revocationsAndReloadsReachEveryServer() async throws {
        let cluster = try PrivateCluster()
        defer { cluster.destroy() }
        _ = try ServerFixture.applySpec(DurabilityTests.spec, on: cluster.connection())
        let store = ApiKeyStore(connection: try cluster.connection())
        let revoked = try store.create(scopes: [.decide], name: "revoked")
        let kept = try store.create(scopes: [.decide], name: "kept")
        let servers = try ["a", "b"].map {
            try ServeProcess(cluster: cluster, spool: cluster.home.appendingPathComponent("spool-\($0)"), keys: true)
        }
        let decision = #"{"experiment":"outage","unit_id":"u1"}"#
        for server in servers {
            #expect(await server.post("/v1/decisions", decision, key: revoked.key)?.status == 200)
            #expect(await server.post("/v1/decisions", decision, key: kept.key)?.body["version"] as? Int == 1)
        }

        try store.revoke(revoked.id)
        for (index, server) in servers.enumerated() {
            let refused = try await ServerFixture.eventually(seconds: 20) {
                await server.post("/v1/decisions", decision, key: revoked.key)?.status == 401
            }
            #expect(refused, "server \(index) refuses the revoked key")
            #expect(await server.post("/v1/decisions", decision, key: kept.key)?.status == 200, "server \(index) keeps the other key")
        }

        // Version 2 of the spec (a secondary metric added), applied once to the database.
        let second = DurabilityTests.spec.replacingOccurrences(of: "{primary: ctr}", with: "{primary: ctr, secondary: [conversion]}")
        _ = try ServerFixture.applySpec(second, on: cluster.connection())
        let version = try cluster.connection().query("SELECT max(version) FROM experiments WHERE name = 'outage'")[0].decode(Int.self, at: 0)
        #expect(version == 2)
        for (index, server) in servers.enumerated() {
            let reloaded = try await ServerFixture.eventually(seconds: 20) {
                await server.post("/v1/decisions", decision, key: kept.key)?.body["version"] as? Int == 2
            }
            #expect(reloaded, "server \(index) serves version 2")
            #expect(server.terminate() == 0)
        }
    }
}
