import Foundation
import PostgresClient
import Spec
import Testing

@testable import Storage

/// What `AllocationUpdater` refuses, and that a refusal writes nothing.
@Suite struct AllocationRefusalTests {
    typealias F = AllocationFixtures

    func refusal(_ name: String, on db: PostgresConnection, force: Bool = false) -> AllocationError? {
        do {
            try AllocationUpdater(connection: db).update(name, now: F.now, force: force)
            return nil
        } catch {
            return error as? AllocationError
        }
    }

    @Test func refusesWhatItCannotAllocate() throws {
        try F.migrated { db, _ in
            #expect(refusal("nope", on: db) == .unknownExperiment("nope"))

            try F.apply(F.spec("fixed", allocation: .fixed), on: db)
            #expect(refusal("fixed", on: db) == .fixedAllocation("fixed"))

            // A reward outside the spec's metrics (the validator stops this in YAML; a spec
            // built in code can still carry it).
            try F.apply(F.spec("offmetric", allocation: F.bandit(.thompson, reward: MetricName(.ctr))), on: db)
            #expect(refusal("offmetric", on: db) == .rewardNotInSpec(experiment: "offmetric", reward: "ctr", metrics: ["conversion"]))

            // recall needs every relevant item, which online logs do not have.
            let recall = MetricsSpec(primary: MetricName(.recall, k: 10))
            try F.apply(F.spec("recall", allocation: F.bandit(.thompson, reward: MetricName(.recall, k: 10)), metrics: recall), on: db)
            #expect(refusal("recall", on: db) == .rewardNotLogged(experiment: "recall", reward: "recall@10"))

            try F.apply(F.spec("contextual", allocation: F.bandit(.linucb)), on: db)
            #expect(refusal("contextual", on: db) == .contextualPolicy(experiment: "contextual", policy: "linucb"))

            // Paused: refused, unless forced.
            try F.apply(F.spec("paused", allocation: F.bandit(.thompson)), on: db, status: "paused")
            #expect(refusal("paused", on: db) == .notRunning(experiment: "paused", status: "paused"))
            #expect(refusal("paused", on: db, force: true) == nil)

            // Only the forced update wrote a row beyond each apply's initial one.
            let counts = try db.query("SELECT experiment, count(*) FROM allocations GROUP BY experiment ORDER BY experiment").map {
                try $0.decode((String, Int).self)
            }
            #expect(counts.map(\.0) == ["contextual", "fixed", "offmetric", "paused", "recall"])
            #expect(counts.map(\.1) == [1, 1, 1, 2, 1])
            // Messages say what to do.
            #expect(AllocationError.fixedAllocation("x").description.contains("allocation.type: bandit"))
            #expect(AllocationError.notRunning(experiment: "x", status: "paused").description.contains("--force"))
        }
    }
}
