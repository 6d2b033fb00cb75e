import Foundation
import PostgresClient
import Spec
import Testing

@testable import Storage

/// `allocation.window` against real PostgreSQL: arm b overtakes arm a at a change point;
/// an update counting all history still favours a, one with a 6-hour window favours b.
@Suite struct AllocationWindowTests {
    typealias F = AllocationFixtures

    /// The logged traffic, with the attribution window of 2 hours (so data until = now − 2 h):
    ///
    /// | shown at  | a: units, converting | b: units, converting |
    /// |-----------|----------------------|----------------------|
    /// | now − 20h | 100, 60              | 100, 20              |  before the change point
    /// | now − 4h  | 100, 10              | 100, 40              |  after it, inside [now − 8h, now − 2h)
    /// | now − 1h  | 100, 100             | 100, 0               |  after data until: never counted
    func logChangePoint(_ db: PostgresConnection, experiment: String) throws {
        let rows: [(hoursAgo: Double, a: Int, b: Int, tag: String)] = [(20, 60, 20, "old"), (4, 10, 40, "new"), (1, 100, 0, "late")]
        for row in rows {
            let at = F.now.addingTimeInterval(-row.hoursAgo * 3600)
            try F.log(db, experiment: experiment, arm: "a", units: 100, converting: row.a, at: at, tag: row.tag)
            try F.log(db, experiment: experiment, arm: "b", units: 100, converting: row.b, at: at, tag: row.tag)
        }
    }

    @Test func aWindowFollowsTheRecentWinnerAndAllHistoryKeepsTheOldOne() throws {
        try F.migrated { db, _ in
            let greedy: [String: Spec.ParameterValue] = ["epsilon": .real(0.2)]
            try logChangePoint(db, experiment: "history")
            try logChangePoint(db, experiment: "windowed")
            try F.apply(F.spec("history", arms: ["a", "b"], allocation: F.bandit(.epsilonGreedy, params: greedy)), on: db)
            try F.apply(
                F.spec("windowed", arms: ["a", "b"], allocation: F.bandit(.epsilonGreedy, window: SpecDuration(seconds: 6 * 3600), params: greedy)),
                on: db
            )
            let updater = AllocationUpdater(connection: db)

            // All history before now − 2h: a converts (60 + 10)/200 = 0.35, b (20 + 40)/200 = 0.30.
            // ε-greedy with ε = 0.2 over 2 arms: the leader a gets 0.8 + 0.2/2 = 0.9, b gets 0.1.
            let history = try updater.update("history", now: F.now)
            #expect(history.statistics.arms["a"]?.n == 200 && history.statistics.arms["a"]?.mean == 0.35)
            #expect(history.statistics.arms["b"]?.n == 200 && history.statistics.arms["b"]?.mean == 0.30)
            expectClose(history.weights, [0.9, 0.1], 1e-12)
            #expect(history.statistics.dataSince == nil && history.statistics.windowSeconds == nil)

            // Window [now − 8h, now − 2h): only the now − 4h rows; a 10/100 = 0.10, b 40/100 = 0.40,
            // so b leads and gets 0.9.
            let windowed = try updater.update("windowed", now: F.now)
            #expect(windowed.statistics.arms["a"]?.n == 100 && windowed.statistics.arms["a"]?.mean == 0.10)
            #expect(windowed.statistics.arms["b"]?.n == 100 && windowed.statistics.arms["b"]?.mean == 0.40)
            expectClose(windowed.weights, [0.1, 0.9], 1e-12)
            #expect(windowed.statistics.windowSeconds == 21_600)
            #expect(windowed.statistics.dataSince == F.now.addingTimeInterval(-8 * 3600))
            #expect(windowed.statistics.dataUntil == F.now.addingTimeInterval(-2 * 3600))

            // The stored row carries the window, so the report's allocation history can show it.
            let stored = try db.query(
                "SELECT statistics ->> 'window_seconds', statistics ->> 'data_since' FROM allocations WHERE experiment = 'windowed' AND allocation_version = 2"
            )
            let (seconds, since) = try #require(stored.first).decode((String, String).self)
            #expect(seconds == "21600")
            #expect(since == "2026-11-29T16:00:00Z")  // F.now is 2026-11-30 00:00 UTC; minus 8 hours
        }
    }

    @Test func anUpdateLaterByOneWindowSeesOnlyTheLateRows() throws {
        try F.migrated { db, _ in
            try logChangePoint(db, experiment: "windowed")
            try F.apply(
                F.spec(
                    "windowed",
                    arms: ["a", "b"],
                    allocation: F.bandit(.epsilonGreedy, window: SpecDuration(seconds: 6 * 3600), params: ["epsilon": .real(0.2)])
                ),
                on: db
            )
            // At now + 2h the window is [now − 6h, now): the now − 4h rows and the now − 1h rows.
            // a: (10 + 100)/200 = 0.55, b: (40 + 0)/200 = 0.20, so a leads again: 0.9 / 0.1.
            let later = try AllocationUpdater(connection: db).update("windowed", now: F.now.addingTimeInterval(2 * 3600))
            #expect(later.statistics.arms["a"]?.mean == 0.55 && later.statistics.arms["b"]?.mean == 0.20)
            expectClose(later.weights, [0.9, 0.1], 1e-12)
        }
    }

    func expectClose(_ actual: [Double], _ expected: [Double], _ tolerance: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) { #expect(abs(a - e) <= tolerance, "\(actual) vs \(expected)", sourceLocation: sourceLocation) }
    }
}
