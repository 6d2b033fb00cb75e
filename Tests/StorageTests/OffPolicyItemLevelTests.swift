import Foundation
import Metrics
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Storage

/// Item-level OPE through the real schema: the action is the item at position 1, the reward its grade.
@Suite struct OffPolicyItemLevelTests {
    let start = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29 00:00 UTC

    func impression(_ db: PostgresConnection, arm: String, items: [String], events: [(String, String)], at offset: Double) throws {
        let id = UUID()
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity,
                                     allocation_version, created_at)
            VALUES (\(id), \("home"), \(1), \(arm), \("u\(Int(offset))"), \(items), \(items.map { _ in 1.0 }), \(0.5), \(Int64(1)),
                    \(start.addingTimeInterval(offset)))
            """
        )
        for (item, type) in events {
            try db.execute(
                """
                INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at)
                VALUES (\(UUID().uuidString), \(id), \("u\(Int(offset))"), \(item), \(type), \(start.addingTimeInterval(offset + 60)))
                """
            )
        }
    }

    /// Top items and grades: x (click, 1), x (nothing, 0), y (purchase, 3), y (a click on z below it, 0);
    /// every propensity 0.5. Candidate "always y": w = 2 on the two y rows.
    /// IPS = (2·3 + 2·0)/4 = 1.5; SNIPS = 6/4 = 1.5; DM with per-item means = q̂(y) = 1.5;
    /// DR = 1.5 + (2·(3 − 1.5) + 2·(0 − 1.5))/4 = 1.5. Candidate "always z" (never on top): IPS 0
    /// and a warning that all its mass is on the unlogged bucket.
    @Test func topItemEstimatesByHand() throws {
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            try impression(db, arm: "A", items: ["x", "y"], events: [("x", "click")], at: 0)
            try impression(db, arm: "A", items: ["x", "z"], events: [], at: 10)
            try impression(db, arm: "B", items: ["y", "x"], events: [("y", "click"), ("y", "purchase")], at: 20)
            try impression(db, arm: "B", items: ["y", "z"], events: [("z", "click")], at: 30)
            let settings = OffPolicyLogReader.Settings(
                experiment: "home",
                reward: .topItem,
                until: start.addingTimeInterval(3600),
                includesItems: true
            )
            let evaluation = try ItemLevelEvaluation(reader: OffPolicyLogReader(connection: db, settings: settings))
            let estimators: [OffPolicyEstimator] = [.inversePropensity(), .selfNormalizedInversePropensity, .directMethod, .doublyRobust]
            let result = try evaluation.run(estimators, interval: .normal, batchSize: 3) { _ in "y" }
            #expect(result.actions == ["x", "y", ItemLevelEvaluation.unloggedBucket])
            #expect(result.decisions == 4)
            #expect(result.agreements == 2)
            for (estimate, expected) in zip(result.estimates, [1.5, 1.5, 1.5, 1.5]) {
                #expect(abs(estimate.value - expected) < 1e-9, "\(estimate.estimator)")
            }

            let never = try evaluation.run([.inversePropensity()], interval: .normal) { _ in "z" }
            #expect(never.estimates[0].value == 0)
            #expect(never.estimates[0].warnings.contains(.unloggedActions(actions: [2], candidateMass: 1)))
        }
    }
}
