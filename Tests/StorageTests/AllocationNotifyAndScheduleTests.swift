import Foundation
import PostgresClient
import Spec
import Testing

@testable import Storage

/// Servers learn of a new allocation through NOTIFY, and the scheduler updates due
/// experiments only and stops when cancelled.
@Suite struct AllocationNotifyAndScheduleTests {
    typealias F = AllocationFixtures

    @Test func anUpdateNotifiesAListeningConnection() throws {
        try F.migrated { db, conninfo in
            try F.apply(F.spec(allocation: F.bandit(.thompson)), on: db)
            let listener = try PostgresConnection(conninfo: conninfo)
            try listener.listen(ExperimentStore.notificationChannel)
            // A dry run notifies nobody.
            try AllocationUpdater(connection: db).update("shop", now: F.now, dryRun: true)
            #expect(try listener.waitForNotifications(timeout: 0.2).isEmpty)
            try AllocationUpdater(connection: db).update("shop", now: F.now)
            let received = try listener.waitForNotifications(timeout: 10)
            #expect(received.map(\.payload) == ["shop"])
            #expect(received.first?.channel == ExperimentStore.notificationChannel)
            #expect(try ExperimentStore(connection: db).currentAllocation("shop")?.version == 2)
        }
    }

    @Test func theSchedulerUpdatesDueRunningBanditsOnlyAndStopsWhenCancelled() async throws {
        try await F.migratedAsync { conninfo in
            let db = try PostgresConnection(conninfo: conninfo)
            try F.apply(F.spec("due", allocation: F.bandit(.thompson)), on: db)
            try F.apply(F.spec("fixed", allocation: .fixed), on: db)
            try F.apply(F.spec("paused", allocation: F.bandit(.thompson)), on: db, status: "paused")
            try F.apply(F.spec("contextual", allocation: F.bandit(.linucb)), on: db)
            // Running and a bandit, but its reward is not a metric: every update fails.
            try F.apply(F.spec("broken", allocation: F.bandit(.thompson, reward: MetricName(.ctr))), on: db)

            let listed = try AllocationUpdater(connection: db).runningBandits()
            #expect(listed.map(\.experiment) == ["broken", "due"])
            #expect(listed.map(\.interval) == [3600, 3600])

            let pool = PostgresConnectionPool(conninfo: conninfo, size: 1)
            // Just applied: the allocation in force is younger than update_interval, nothing is due.
            #expect(await AllocationScheduler(pool: pool).runOnce().isEmpty)
            // Two hours later both are due; "broken" fails (logged), "due" is updated.
            let later = AllocationScheduler(pool: pool, clock: { Date().addingTimeInterval(7200) })
            #expect(await later.runOnce().map(\.experiment) == ["due"])
            #expect(try ExperimentStore(connection: db).allocationHistory("due").count == 2)
            #expect(try ExperimentStore(connection: db).allocationHistory("broken").count == 1)
            // A second server's scheduler that found "due" due before the update above was
            // written re-checks under the lock: version 2 is 0 s old at its clock, so nothing more.
            let second = try ExperimentStore(connection: db).currentAllocation("due")
            #expect(throws: AllocationError.notDue(experiment: "due", version: 2)) {
                try AllocationUpdater(connection: db).update("due", now: try #require(second).effectiveFrom, dueAfter: 3600)
            }
            #expect(try ExperimentStore(connection: db).allocationHistory("due").count == 2)

            // run() keeps updating until cancelled, then returns.
            let looping = AllocationScheduler(pool: pool, experiments: ["due"], pollInterval: 0.01, clock: { Date().addingTimeInterval(7200) })
            let task = Task { await looping.run() }
            var count = 2
            for _ in 0..<3000 where count < 4 {
                try await Task.sleep(for: .milliseconds(10))
                count = try ExperimentStore(connection: db).allocationHistory("due").count
            }
            task.cancel()
            await task.value
            let stopped = try ExperimentStore(connection: db).allocationHistory("due").count
            #expect(stopped >= 4)
            try await Task.sleep(for: .milliseconds(100))
            #expect(try ExperimentStore(connection: db).allocationHistory("due").count == stopped)
        }
    }
}
