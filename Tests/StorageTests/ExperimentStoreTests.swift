import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Storage

@Suite struct ExperimentStoreTests {
    let arms = [
        ExperimentStore.ArmRecord(key: "control", strategy: "popularity", parametersJSON: "{}", isControl: true, initialWeight: 0.5),
        ExperimentStore.ArmRecord(key: "als", strategy: "als", parametersJSON: #"{"factors": 32}"#, isControl: false, initialWeight: 0.5),
    ]

    func migrated(_ body: (PostgresConnection, String) throws -> Void) throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let db = try PostgresConnection(conninfo: conninfo)
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            try body(db, conninfo)
        }
    }

    @Test func versionsAreImmutableAndUnchangedSpecsAreNoOps() throws {
        try migrated { db, _ in
            let store = ExperimentStore(connection: db)
            let v1 = #"{"name":"home","traffic":1}"#
            let v2 = #"{"name":"home","traffic":0.5}"#
            #expect(
                try store.apply(name: "home", canonicalJSON: v1, source: "a: 1", status: "running", arms: arms, policy: "fixed", by: "ada")
                    == .created(version: 1, previousJSON: nil)
            )
            #expect(
                try store.apply(name: "home", canonicalJSON: v1, source: "a: 1 # comment", status: "running", arms: arms, policy: "fixed", by: "ada")
                    == .unchanged(version: 1)
            )
            let outcome = try store.apply(name: "home", canonicalJSON: v2, source: "a: 2", status: "running", arms: arms, policy: "fixed", by: "ada")
            guard case .created(2, let previous?) = outcome else {
                Issue.record("expected version 2, got \(outcome)")
                return
            }
            // jsonb normalises spacing: compare as JSON values.
            #expect(
                try JSONSerialization.jsonObject(with: Data(previous.utf8)) as? NSDictionary
                    == (try JSONSerialization.jsonObject(with: Data(v1.utf8)) as? NSDictionary)
            )
            #expect(try store.version("home", 1)?.source == "a: 1")
            #expect(try store.version("home")?.version == 2)
            #expect(try store.version("missing") == nil)
            // The status was recorded once (it did not change), the allocation once (weights did not change).
            #expect(try store.statusHistory("home").map(\.status) == ["running"])
            #expect(try store.allocationHistory("home").map(\.version) == [1])
            #expect(try store.currentAllocation("home")?.weights == ["control": 0.5, "als": 0.5])
            #expect(try db.query("SELECT count(*) FROM arms WHERE experiment = 'home'")[0].decode(Int.self, at: 0) == 4)
        }
    }

    @Test func statusChangesRecordWhoAndWhyAndAllocationsKeepHistory() throws {
        try migrated { db, _ in
            let store = ExperimentStore(connection: db)
            _ = try store.apply(name: "home", canonicalJSON: "{}", source: "", status: "draft", arms: arms, policy: "fixed", by: "ada")
            try store.setStatus("home", to: "running", by: "ada", reason: "launch")
            try store.setStatus("home", to: "paused", by: "grace", reason: "incident 42")
            let history = try store.statusHistory("home")
            #expect(history.map(\.status) == ["draft", "running", "paused"])
            #expect(history.last?.changedBy == "grace" && history.last?.reason == "incident 42")
            #expect(try store.list().map(\.status) == ["paused"])
            #expect {
                try store.setStatus("nope", to: "running", by: "ada")
            } throws: { error in "\(error)".hasPrefix("There is no experiment called \"nope\"") }
            let second = try store.recordAllocation(
                "home",
                weights: ["control": 0.3, "als": 0.7],
                policy: "thompson",
                statisticsJSON: #"{"als": {"n": 10}}"#
            )
            #expect(second == 2)
            #expect(try store.allocationHistory("home").map(\.weights) == [["control": 0.5, "als": 0.5], ["control": 0.3, "als": 0.7]])
            #expect(try store.currentAllocation("home")?.policy == "thompson")
        }
    }

    @Test func applyAndStatusChangesNotifyServers() throws {
        try migrated { db, conninfo in
            let listener = try PostgresConnection(conninfo: conninfo)
            try listener.listen(ExperimentStore.notificationChannel)
            try ExperimentStore(connection: db).apply(
                name: "home",
                canonicalJSON: "{}",
                source: "",
                status: "running",
                arms: arms,
                policy: "fixed",
                by: "ada"
            )
            #expect(try listener.waitForNotifications(timeout: 10).map(\.payload) == ["home"])
        }
    }

    @Test func stickyAssignmentsKeepTheFirstArmEvenWhenServersRace() async throws {
        let conninfo = try TestDatabase.serverURL()
        let name = "abctl_sticky_" + String(UInt32.random(in: 0...UInt32.max))
        let admin = try PostgresConnection(conninfo: conninfo)
        try admin.execute("CREATE DATABASE \(identifier: name)")
        defer { _ = try? admin.execute("DROP DATABASE \(identifier: name) WITH (FORCE)") }
        let url = try #require(ConnectionSettings.replacingDatabase(in: conninfo, with: name))
        try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(
            try PostgresConnection(conninfo: url)
        )
        let pool = PostgresConnectionPool(conninfo: url, size: 4)
        let first = StickyAssignments(pool: pool)
        let second = StickyAssignments(pool: pool)
        #expect(try await first.arm(experiment: "home", unit: "u1") == nil)
        // Two servers race to remember different arms for the same unit: one wins, both agree.
        async let a = first.remember(experiment: "home", unit: "u1", arm: "control")
        async let b = second.remember(experiment: "home", unit: "u1", arm: "als")
        let (armA, armB) = try await (a, b)
        #expect(armA == armB)
        #expect(try await StickyAssignments(pool: pool).arm(experiment: "home", unit: "u1") == armA)
        #expect(try await first.remember(experiment: "home", unit: "u1", arm: "other") == armA)
    }
}
