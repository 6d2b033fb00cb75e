import Foundation
import Metrics
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Storage

/// Logged impressions inserted by hand, streamed back through the cursor and evaluated end to end.
@Suite struct OffPolicyLogReaderTests {
    let start = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29 00:00 UTC

    func impression(_ db: PostgresConnection, arm: String, propensity: Double, context: String, clicks: Int, at offset: Double) throws {
        let id = UUID()
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity,
                                     allocation_version, context, created_at)
            VALUES (\(id), \("home"), \(1), \(arm), \("u-\(offset)"), \(["a", "b", "c"]), \([3.0, 2.0, 1.0]), \(propensity), \(Int64(1)),
                    \(context)::jsonb, \(start.addingTimeInterval(offset)))
            """
        )
        for click in 0..<clicks {
            try db.execute(
                """
                INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at)
                VALUES (\(UUID().uuidString), \(id), \("u-\(offset)"), \(["a", "b", "c"][click]), \("click"), \(start.addingTimeInterval(offset + 60)))
                """
            )
        }
    }

    /// Three impressions of arm A (propensity 0.6; 2, 0 and 1 clicks) and one of B (0.4; 1 click);
    /// candidate: always A, so w = 1/0.6 on A's rows and 0 on B's. By hand:
    /// IPS = (1/4)·(1/0.6)·(2 + 0 + 1) = 1.25; SNIPS = (3/0.6) / (3/0.6) = 1; DM with per-arm means
    /// = q̂(A) = (2 + 0 + 1)/3 = 1; DR = 1 + (1/4)·(1/0.6)·((2−1) + (0−1) + (1−1)) = 1.
    @Test func armLevelEstimatesByHand() throws {
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            try impression(db, arm: "A", propensity: 0.6, context: #"{"age": 30, "device": "mobile"}"#, clicks: 2, at: 0)
            try impression(db, arm: "A", propensity: 0.6, context: #"{"age": 40, "device": "desktop"}"#, clicks: 0, at: 10)
            try impression(db, arm: "A", propensity: 0.6, context: #"{"age": 50, "device": "mobile"}"#, clicks: 1, at: 20)
            try impression(db, arm: "B", propensity: 0.4, context: #"{"age": 20, "device": "tablet"}"#, clicks: 1, at: 30)

            let settings = OffPolicyLogReader.Settings(experiment: "home", reward: .clicks, until: start.addingTimeInterval(3600))
            let reader = OffPolicyLogReader(connection: db, settings: settings)
            let result = try ArmLevelEvaluation(reader: reader, candidate: .always("A")).run(
                [.inversePropensity(), .selfNormalizedInversePropensity, .directMethod, .doublyRobust],
                interval: .normal,
                batchSize: 3
            )
            #expect(result.arms == ["A", "B"])
            #expect(result.decisions == 4)
            let values = result.estimates.map(\.value)
            #expect(abs(values[0] - 1.25) < 1e-12)
            #expect(abs(values[1] - 1) < 1e-12)
            #expect(abs(values[2] - 1) < 1e-9)
            #expect(abs(values[3] - 1) < 1e-9)
        }
    }

    /// Numeric keys come back as numbers and `key=value` as indicators, in the order named, across
    /// several FETCH batches (batch size 1); a key missing from a row is an error naming the key.
    @Test func contextFeaturesAcrossBatches() throws {
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            try impression(db, arm: "A", propensity: 0.5, context: #"{"age": 30, "device": "mobile", "new": true}"#, clicks: 1, at: 0)
            try impression(db, arm: "B", propensity: 0.5, context: #"{"age": 41.5, "device": "desktop", "new": false}"#, clicks: 0, at: 10)
            let features = try #require(ContextFeature.parseList("age,device=mobile,new"))
            var settings = OffPolicyLogReader.Settings(experiment: "home", reward: .clicks, features: features, until: start.addingTimeInterval(3600))
            var rows: [LoggedImpression] = []
            try OffPolicyLogReader(connection: db, settings: settings).stream(batchSize: 1) { rows.append($0) }
            rows.sort { $0.arm < $1.arm }
            #expect(rows.map(\.context) == [[30, 1, 1], [41.5, 0, 0]])
            #expect(rows.map(\.reward) == [1, 0])
            #expect(rows.map(\.propensity) == [0.5, 0.5])

            settings.features = [ContextFeature(key: "income")]
            #expect(throws: StorageError.self) {
                try OffPolicyLogReader(connection: db, settings: settings).stream { _ in }
            }
        }
    }

    /// The rewards follow the evaluator's definitions. One impression [a, b, c] with a click on b at
    /// +60 s and a click on a 25 h later (outside the 24 h window): clicks = 1; NDCG@3 = (1/log2 3) /
    /// (1/log2 2) = 0.6309297535714575 (b at position 2, ideal at position 1); hit@3 = 1.
    @Test func rewardsFollowTheEvaluatorsDefinitions() throws {
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            let id = UUID()
            try db.execute(
                """
                INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity,
                                         allocation_version, created_at)
                VALUES (\(id), \("home"), \(1), \("A"), \("u1"), \(["a", "b", "c"]), \([3.0, 2.0, 1.0]), \(0.5), \(Int64(1)), \(start))
                """
            )
            for (item, offset) in [("b", 60.0), ("a", 25 * 3600.0)] {
                try db.execute(
                    """
                    INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at)
                    VALUES (\(UUID().uuidString), \(id), \("u1"), \(item), \("click"), \(start.addingTimeInterval(offset)))
                    """
                )
            }
            func reward(_ kind: OffPolicyReward) throws -> [Double] {
                let settings = OffPolicyLogReader.Settings(experiment: "home", reward: kind, k: 3, until: start.addingTimeInterval(86_400 * 3))
                var rewards: [Double] = []
                try OffPolicyLogReader(connection: db, settings: settings).stream { rewards.append($0.reward) }
                return rewards
            }
            #expect(try reward(.clicks) == [1])
            #expect(try reward(.conversion) == [0])
            #expect(try reward(.hit) == [1])
            let ndcg = try reward(.ndcg)
            #expect(ndcg.count == 1 && abs(ndcg[0] - 0.6309297535714575) < 1e-12)
        }
    }
}
