import Foundation
import PostgresClient
import PostgresTestSupport
import Stats
import Testing

@testable import Storage

/// A hand-computed case through the real schema: logged impressions and feedback give
/// exactly the precision@K, NDCG@K, MRR, CTR and conversion worked out below.
@Suite struct EvaluatorTests {
    let start = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29 00:00 UTC

    func impression(_ db: PostgresConnection, _ id: UUID, arm: String, unit: String, items: [String], at offset: Double, allocation: Int64 = 1) throws
    {
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
            VALUES (\(id), \("home"), \(1), \(arm), \(unit), \(items), \(items.map { _ in 1.0 }), \(0.5), \(allocation), \(start.addingTimeInterval(offset)))
            """
        )
    }

    func feedback(_ db: PostgresConnection, _ request: UUID, unit: String, item: String, type: String, value: Double = 0, at offset: Double) throws {
        try db.execute(
            """
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
            VALUES (\(UUID().uuidString), \(request), \(unit), \(item), \(type), \(value), \(start.addingTimeInterval(offset)))
            """
        )
    }

    @Test func aHandComputedCase() throws {
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            let (i1, i2, i3, i4) = (UUID(), UUID(), UUID(), UUID())
            // Arm A, K = 3.
            // i1 (u1): click on b (grade 1) at position 2, purchase of c (grade 3, value 10) at position 3.
            try impression(db, i1, arm: "A", unit: "u1", items: ["a", "b", "c"], at: 0)
            try feedback(db, i1, unit: "u1", item: "b", type: "click", at: 60)
            try feedback(db, i1, unit: "u1", item: "c", type: "click", at: 90)
            try feedback(db, i1, unit: "u1", item: "c", type: "purchase", value: 10, at: 120)
            // i2 (u2): nothing.
            try impression(db, i2, arm: "A", unit: "u2", items: ["d", "e", "f"], at: 10)
            // i3 (u1): a click 25 h later, outside the 24 h window: nothing counts.
            try impression(db, i3, arm: "A", unit: "u1", items: ["a", "b", "c"], at: 20)
            try feedback(db, i3, unit: "u1", item: "a", type: "click", at: 20 + 25 * 3600)
            // Arm B: i4 (u3): click on x at position 1.
            try impression(db, i4, arm: "B", unit: "u3", items: ["x", "y", "z"], at: 30, allocation: 2)
            try feedback(db, i4, unit: "u3", item: "x", type: "click", at: 40)

            let settings = Evaluator.Settings(k: 3, attributionWindow: 24 * 3600)
            let stats = try Evaluator(connection: db).pooled(experiment: "home", settings: settings)

            // i1: precision@3 = 2/3; DCG = 1/log2(3) + 3/log2(4); IDCG = 3/log2(2) + 1/log2(3);
            // MRR = 1/2; hit = 1. i2 and i3: all 0. i4: precision 1/3, NDCG 1, MRR 1.
            let dcg1 = 1 / log2(3.0) + 3 / log2(4.0)
            let idcg1 = 3 / log2(2.0) + 1 / log2(3.0)
            let ndcg1 = dcg1 / idcg1
            let a = try #require(stats["A"])
            let b = try #require(stats["B"])
            // Per unit (A): u1 has 2 impressions, Σndcg = ndcg1; u2 has 1, Σndcg = 0.
            let ndcgA = try #require(a["ndcg@k"])
            #expect(ndcgA.count == 2)
            #expect(abs(ndcgA.sum - ndcg1) < 1e-12)
            #expect(abs(ndcgA.sumOfSquares - ndcg1 * ndcg1) < 1e-12)
            #expect(ndcgA.denominatorSum == 3 && ndcgA.denominatorSumOfSquares == 5)
            #expect(abs((ndcgA.crossProductSum ?? 0) - 2 * ndcg1) < 1e-12)
            #expect(abs((a["precision@k"]?.sum ?? 0) - 2.0 / 3.0) < 1e-12)
            #expect(a["mrr"]?.sum == 0.5)
            #expect(a["hit@k"]?.sum == 1)
            // CTR: 2 clicks on i1 counted (b and c), the late click not: Σclicks = 2 over 3 impressions.
            #expect(a["ctr"]?.sum == 2 && a["ctr"]?.denominatorSum == 3)
            // Conversion: u1 converted, u2 did not: 1 of 2 units; revenue 10.
            #expect(a["conversion"] == SufficientStatistics(count: 2, sum: 1, sumOfSquares: 1))
            #expect(a["revenue_per_unit"] == SufficientStatistics(count: 2, sum: 10, sumOfSquares: 100))
            #expect(b["ndcg@k"]?.sum == 1 && b["precision@k"].map { abs($0.sum - 1.0 / 3.0) < 1e-12 } == true)
            #expect(b["mrr"]?.sum == 1)
            #expect(b["conversion"] == SufficientStatistics(count: 1, sum: 0, sumOfSquares: 0))

            // Exponential gain: grades 1 and 3 become gains 1 and 7.
            var exponential = settings
            exponential.exponentialGain = true
            let expA = try Evaluator(connection: db).pooled(experiment: "home", settings: exponential)["A"]?["ndcg@k"]
            let expected = (1 / log2(3.0) + 7 / log2(4.0)) / (7 + 1 / log2(3.0))
            #expect(abs((expA?.sum ?? 0) - expected) < 1e-12)

            // Periods: arm B's unit entered under allocation 2.
            let cells = try Evaluator(connection: db).cells(experiment: "home", settings: settings)
            #expect(Set(cells.filter { $0.arm == "B" }.map(\.period)) == [2])
            // A window that ends before i4 leaves arm B out entirely.
            var early = settings
            early.until = start.addingTimeInterval(25)
            #expect(try Evaluator(connection: db).pooled(experiment: "home", settings: early)["B"] == nil)
        }
    }
}
