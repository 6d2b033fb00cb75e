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

    @Test func aSpecAppliedWhileTheStatisticsAreReadIsNotOverwritten() throws {
        try F.migrated { db, conninfo in
            try F.apply(F.spec(allocation: F.bandit(.thompson)), on: db)
            // Another writer holds the experiment's lock and has a version 2 not yet committed.
            try db.executeScript("BEGIN")
            try db.query("SELECT pg_advisory_xact_lock(hashtext('shop'))")
            try db.execute(
                "INSERT INTO experiments (name, version, spec, checksum) SELECT name, 2, spec, 'changed' FROM experiments WHERE name = 'shop'"
            )
            // The update reads version 1 and its statistics, then waits for the lock.
            let outcome = Outcome()
            let thread = Thread {
                do {
                    let connection = try PostgresConnection(conninfo: conninfo)
                    _ = try AllocationUpdater(connection: connection).update("shop", now: F.now)
                    outcome.set(nil)
                } catch {
                    outcome.set(error as? AllocationError ?? .policy(experiment: "shop", detail: "\(error)"))
                }
            }
            thread.start()
            let watcher = try PostgresConnection(conninfo: conninfo)
            var waiting = 0
            for _ in 0..<600 where waiting == 0 {
                Thread.sleep(forTimeInterval: 0.05)
                waiting = try watcher.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'"
                )[0].decode(Int.self, at: 0)
            }
            #expect(waiting == 1)
            try db.executeScript("COMMIT")
            #expect(outcome.wait() == .specChanged(experiment: "shop", version: 1))
            #expect(try ExperimentStore(connection: db).allocationHistory("shop").count == 1)
        }
    }
}

/// The error a background update ended with (nil for success), handed over through a semaphore.
private final class Outcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var error: AllocationError?

    func set(_ error: AllocationError?) {
        self.error = error
        done.signal()
    }

    func wait() -> AllocationError? {
        done.wait()
        return error
    }
}
