import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@Suite struct NotifyAndPoolTests {
    @Test func notificationsCrossConnections() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let listener = try PostgresConnection(conninfo: conninfo)
            let sender = try PostgresConnection(conninfo: conninfo)
            try listener.listen("allocation changed")
            // Sent inside a transaction: delivered only at commit.
            try sender.transaction { tx in
                try tx.notify("allocation changed", payload: "checkout-ranking v7")
                try tx.notify("other channel", payload: "ignored")
            }
            let received = try listener.waitForNotifications(timeout: 10)
            #expect(received.map(\.channel) == ["allocation changed"])
            #expect(received.first?.payload == "checkout-ranking v7")
            // Nothing else arrives.
            #expect(try listener.waitForNotifications(timeout: 0.2).isEmpty)
        }
    }

    @Test func thePoolBoundsConnectionsAndReplacesBrokenOnes() async throws {
        let server = try TestDatabase.serverURL()
        let pool = PostgresConnectionPool(conninfo: server, size: 3)
        let tag = "abctl-pool-test-\(UInt32.random(in: 0...UInt32.max))"
        // 30 concurrent queries through 3 connections, each setting and reading a marker.
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for value in 0..<30 {
                group.addTask {
                    try await pool.withConnection { connection in
                        try connection.execute("SELECT set_config('application_name', \(tag), false)")
                        return try connection.query("SELECT \(value)::bigint * 2")[0].decode(Int.self, at: 0)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted() == (0..<30).map { $0 * 2 })
        let inUse = try await pool.withConnection { connection in
            try connection.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = \(tag)")[0].decode(Int.self, at: 0)
        }
        #expect(inUse >= 1 && inUse <= 3)
        // Kill the pool's backends; the next use reconnects instead of failing forever.
        let admin = try PostgresConnection(conninfo: server)
        try admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(tag)")
        var recovered = false
        for _ in 0..<6 where !recovered {
            recovered = (try? await pool.withConnection { try $0.query("SELECT 1")[0].decode(Int.self, at: 0) }) == 1
        }
        #expect(recovered)
    }
}
