import Foundation
import PostgresClient
import PostgresTestSupport
import Spec
import Stats
import Testing

@testable import Storage

/// The maintained aggregates end to end: concurrent writers, spec changes through
/// `AggregateRefresher`, and the allocator reading them.
@Suite struct MaintainedAggregatesTests {
    let now = AllocationFixtures.now

    /// A backfill still uncommitted while a refresh runs is not lost: the refresh cannot see
    /// it, its queue row survives, and the next refresh counts it, though it is dated long
    /// before the cut-off (an id or a time watermark would have skipped it).
    @Test func anUncommittedBackfillCountsAfterItCommits() throws {
        try AllocationFixtures.migrated { db, conninfo in
            try AllocationFixtures.apply(AllocationFixtures.spec(allocation: AllocationSpec(type: .fixed)), on: db)
            try AllocationFixtures.log(db, arm: "a", units: 10, converting: 2, at: now.addingTimeInterval(-3 * 86_400))
            let writer = try PostgresConnection(conninfo: conninfo)
            try writer.executeScript("BEGIN")
            try AllocationFixtures.log(writer, arm: "a", units: 5, converting: 5, at: now.addingTimeInterval(-5 * 86_400), tag: "late")
            let refresher = AggregateRefresher(connection: db)
            let evaluator = Evaluator(connection: db)
            let definition = MetricDefinition(experiment: "shop", spec: AllocationFixtures.spec(allocation: AllocationSpec(type: .fixed)), k: 10)
            #expect(try refresher.refresh(now: now) != nil)
            let before = try #require(try evaluator.maintainedReportCells(definition))
            // 10 units, 2 converted.
            #expect(conversion(before.cells) == SufficientStatistics(count: 10, sum: 2, sumOfSquares: 2))
            try writer.executeScript("COMMIT")
            try refresher.refresh(now: now)
            let after = try #require(try evaluator.maintainedReportCells(definition))
            #expect(conversion(after.cells) == SufficientStatistics(count: 15, sum: 7, sumOfSquares: 7))
            #expect(after.freshness.dataUntil == now)
        }
    }

    /// Of two sessions refreshing at once, one works and the other skips (nil) at once; when
    /// the holder's session dies mid-refresh (its process killed: here its backend is
    /// terminated), PostgreSQL releases the lock and the peer's next refresh runs.
    @Test func oneRefreshAtATimeAndAPeerTakesOver() throws {
        try AllocationFixtures.migrated { db, conninfo in
            try AllocationFixtures.apply(AllocationFixtures.spec(allocation: AllocationSpec(type: .fixed)), on: db)
            try AllocationFixtures.log(db, arm: "a", units: 3, converting: 1, at: now.addingTimeInterval(-86_400))
            let holder = try PostgresConnection(conninfo: conninfo)
            let pid = try holder.query("SELECT pg_backend_pid()")[0].decode(Int.self, at: 0)
            try holder.executeScript("BEGIN")
            #expect(try holder.query("SELECT pg_try_advisory_xact_lock(hashtext('abctl.refresh_aggregates'))")[0].decode(Bool.self, at: 0))
            #expect(try AggregateRefresher(connection: db).refresh(now: now) == nil)
            #expect(try db.query("SELECT pg_terminate_backend(\(pid)::integer)")[0].decode(Bool.self, at: 0))
            // The termination is asynchronous: wait (without a time limit on the outcome)
            // until the backend is gone.
            while try db.query("SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)::integer")[0].decode(Int.self, at: 0) > 0 {
                Thread.sleep(forTimeInterval: 0.01)
            }
            let refreshed = try #require(try AggregateRefresher(connection: db).refresh(now: now))
            #expect(refreshed.map(\.impressions) == [3])
        }
    }

    /// A spec change that alters a metric definition (here the attribution window) gives new
    /// aggregates computed from the whole history under the new definition; the old ones go.
    @Test func aSpecChangeStartsANewDefinition() throws {
        try AllocationFixtures.migrated { db, _ in
            let short = MetricsSpec(primary: MetricName(.conversion), attributionWindow: SpecDuration(seconds: 30))
            let long = MetricsSpec(primary: MetricName(.conversion), attributionWindow: SpecDuration(seconds: 7200))
            try AllocationFixtures.apply(AllocationFixtures.spec(allocation: AllocationSpec(type: .fixed), metrics: short), on: db)
            // Purchases come 60 s after the impression: outside a 30 s window, inside 2 h.
            try AllocationFixtures.log(db, arm: "a", units: 4, converting: 3, at: now.addingTimeInterval(-86_400))
            let refresher = AggregateRefresher(connection: db)
            let evaluator = Evaluator(connection: db)
            try refresher.refresh(now: now)
            let shortDefinition = MetricDefinition(
                experiment: "shop",
                spec: AllocationFixtures.spec(allocation: AllocationSpec(type: .fixed), metrics: short),
                k: 10
            )
            #expect(conversion(try #require(try evaluator.maintainedReportCells(shortDefinition)).cells).sum == 0)

            try AllocationFixtures.apply(AllocationFixtures.spec(allocation: AllocationSpec(type: .fixed), metrics: long), on: db)
            try refresher.refresh(now: now)
            let longDefinition = MetricDefinition(
                experiment: "shop",
                spec: AllocationFixtures.spec(allocation: AllocationSpec(type: .fixed), metrics: long),
                k: 10
            )
            #expect(
                conversion(try #require(try evaluator.maintainedReportCells(longDefinition)).cells)
                    == SufficientStatistics(count: 4, sum: 3, sumOfSquares: 3)
            )
            #expect(try evaluator.maintainedReportCells(shortDefinition) == nil)
        }
    }

    /// The allocator reads its own definition (lag = attribution window): an impression whose
    /// window is still open at the update is not counted, as before; its data_until is the
    /// aggregates' cut-off.
    @Test func theAllocatorReadsTheMaintainedAggregates() throws {
        try AllocationFixtures.migrated { db, _ in
            let spec = AllocationFixtures.spec(arms: ["a", "b"], allocation: AllocationFixtures.bandit(.thompson))
            try AllocationFixtures.apply(spec, on: db)
            try AllocationFixtures.log(db, arm: "a", units: 20, converting: 10, at: now.addingTimeInterval(-86_400))
            try AllocationFixtures.log(db, arm: "b", units: 20, converting: 2, at: now.addingTimeInterval(-86_400))
            // Inside the 2 h window at `now`: not counted.
            try AllocationFixtures.log(db, arm: "b", units: 30, converting: 30, at: now.addingTimeInterval(-600), tag: "recent")
            let update = try AllocationUpdater(connection: db).update("shop", now: now, dryRun: true)
            #expect(update.statistics.arms["a"]?.n == 20 && update.statistics.arms["b"]?.n == 20)
            #expect(update.statistics.arms["b"]?.mean == 0.1)
            #expect(update.statistics.dataUntil == now.addingTimeInterval(-7200))
            let allocator = MetricDefinition.allocator(experiment: "shop", spec: spec, k: 10)
            #expect(try Evaluator(connection: db).freshness(of: allocator)?.dataUntil == now.addingTimeInterval(-7200))
        }
    }

    /// PostgreSQL rounds the cut-off to the microsecond; at an instant that is not a whole
    /// microsecond the allocator must still read the aggregates, not fall back to the raw logs.
    /// Feedback deleted from the raw logs (a DELETE is not captured) tells the paths apart: the
    /// aggregates still count the conversions, the raw logs no longer do.
    @Test func theAllocatorReadsTheMaintainedAggregatesAtAnyInstant() throws {
        try AllocationFixtures.migrated { db, _ in
            let spec = AllocationFixtures.spec(arms: ["a", "b"], allocation: AllocationFixtures.bandit(.thompson))
            try AllocationFixtures.apply(spec, on: db)
            try AllocationFixtures.log(db, arm: "a", units: 20, converting: 10, at: now.addingTimeInterval(-86_400))
            try AllocationFixtures.log(db, arm: "b", units: 20, converting: 2, at: now.addingTimeInterval(-86_400))
            _ = try AllocationUpdater(connection: db).update("shop", now: now, dryRun: true)
            try db.execute("DELETE FROM feedback")
            let later = now.addingTimeInterval(0.123_456_789)
            let update = try AllocationUpdater(connection: db).update("shop", now: later, dryRun: true)
            #expect(update.statistics.arms["a"]?.mean == 0.5 && update.statistics.arms["b"]?.mean == 0.1)
        }
    }

    func conversion(_ cells: [ReportCell]) -> SufficientStatistics {
        cells.filter { $0.metric == "conversion" }.reduce(.zero) { $0 + $1.statistics }
    }
}
