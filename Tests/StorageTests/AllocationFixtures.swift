import Foundation
import PostgresClient
import PostgresTestSupport
import Spec

@testable import Storage

/// Experiments and logged traffic for the allocation tests, written through the real
/// schema: specs via ExperimentStore.apply, impressions and feedback as plain rows.
enum AllocationFixtures {
    /// Times in the tests are whole seconds, so they survive the statistics JSON's ISO-8601 dates.
    static let now = Date(timeIntervalSince1970: 1_795_996_800)  // 2026-11-30 00:00 UTC

    /// A migrated fresh database.
    static func migrated(_ body: (PostgresConnection, String) throws -> Void) throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let db = try PostgresConnection(conninfo: conninfo)
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            try body(db, conninfo)
        }
    }

    /// A migrated fresh database for async tests: `body` gets its conninfo.
    static func migratedAsync(_ body: (String) async throws -> Void) async throws {
        let server = try TestDatabase.serverURL()
        let name = "abctl_test_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let admin = try PostgresConnection(conninfo: server)
        try admin.execute("CREATE DATABASE \(identifier: name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
        guard let conninfo = ConnectionSettings.replacingDatabase(in: server, with: name) else { throw TestDatabaseError.unparsable }
        let db = try PostgresConnection(conninfo: conninfo)
        try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
        try await body(conninfo)
    }

    /// A spec with equal-weight arms `a`, `b`, `c` (or `arms`), popularity strategies and the given bandit.
    static func spec(
        _ name: String = "shop",
        arms: [String] = ["a", "b", "c"],
        control: String? = nil,
        allocation: AllocationSpec,
        metrics: MetricsSpec = MetricsSpec(primary: MetricName(.conversion), attributionWindow: SpecDuration(seconds: 7200))
    ) -> ExperimentSpec {
        ExperimentSpec(
            name: name,
            status: .running,
            arms: arms.map { ArmSpec(key: $0, strategy: "popularity", isControl: $0 == control, weight: 1 / Double(arms.count)) },
            allocation: allocation,
            metrics: metrics
        )
    }

    /// A bandit allocation on conversion with no burn-in, floor, change limit or window unless given.
    static func bandit(
        _ policy: BanditPolicyName,
        reward: MetricName = MetricName(.conversion),
        burnIn: Int = 0,
        minWeight: Double = 0,
        maxChange: Double = 1,
        controlShare: Double = 0,
        window: SpecDuration? = nil,
        params: [String: Spec.ParameterValue] = [:]
    ) -> AllocationSpec {
        AllocationSpec(
            type: .bandit,
            bandit: BanditSpec(
                policy: policy,
                reward: reward,
                burnIn: burnIn,
                minWeight: minWeight,
                maxChange: maxChange,
                controlShare: controlShare,
                seed: 7,
                window: window,
                params: params
            )
        )
    }

    /// Stores `spec` as the next version with its status.
    static func apply(_ spec: ExperimentSpec, on db: PostgresConnection, status: String = "running") throws {
        try ExperimentStore(connection: db).apply(
            name: spec.name,
            canonicalJSON: try spec.canonicalJSON(),
            source: "",
            status: status,
            arms: spec.arms.map {
                ExperimentStore.ArmRecord(key: $0.key, strategy: $0.strategy, parametersJSON: "{}", isControl: $0.isControl, initialWeight: $0.weight)
            },
            policy: spec.allocation.bandit?.policy.rawValue ?? "fixed",
            by: "test"
        )
    }

    /// Logs one impression for each of `units` new units of `arm` at `at`, and a purchase
    /// one minute later for the first `converting` of them.
    static func log(
        _ db: PostgresConnection,
        experiment: String = "shop",
        arm: String,
        units: Int,
        converting: Int,
        at: Date,
        tag: String = "",
        allocationVersion: Int64 = 1
    ) throws {
        let prefix = "\(experiment)-\(arm)-\(tag)-"
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
            SELECT md5(\(prefix) || g)::uuid, \(experiment), 1, \(arm), \(prefix) || g, ARRAY['i1','i2','i3'], ARRAY[3,2,1]::float8[],
                   0.5, \(allocationVersion), \(at)
            FROM generate_series(1, \(units)) g
            """
        )
        try db.execute(
            """
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
            SELECT 'p-' || \(prefix) || g, md5(\(prefix) || g)::uuid, \(prefix) || g, 'i1', 'purchase', 10, \(at.addingTimeInterval(60))
            FROM generate_series(1, \(converting)) g
            """
        )
    }
}
