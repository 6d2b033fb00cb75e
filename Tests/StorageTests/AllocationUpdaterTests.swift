import Foundation
import PostgresClient
import Spec
import Testing

@testable import Storage

/// `AllocationUpdater` against real PostgreSQL: weights from hand-checkable cases, the
/// data cut-off, dry runs, history and reproducibility.
@Suite struct AllocationUpdaterTests {
    typealias F = AllocationFixtures

    /// Three arms converting 4%, 5% and 6% of 1,000 units each, logged 3 hours before `F.now`
    /// (the window is 2 hours, so all of it counts).
    func logThreeArms(_ db: PostgresConnection, experiment: String = "shop") throws {
        for (arm, converting) in [("a", 40), ("b", 50), ("c", 60)] {
            try F.log(db, experiment: experiment, arm: arm, units: 1000, converting: converting, at: F.now.addingTimeInterval(-3 * 3600))
        }
    }

    @Test func epsilonGreedyWeightsThenFloorAndChangeLimitByHand() throws {
        try F.migrated { db, _ in
            try logThreeArms(db, experiment: "free")
            try logThreeArms(db, experiment: "limited")
            // Unconstrained: ε = 0.1 over K = 3 arms, c has the best mean (0.06):
            // c gets 0.9 + 0.1/3 = 0.93333…, a and b get 0.1/3 = 0.03333….
            try F.apply(F.spec("free", allocation: F.bandit(.epsilonGreedy, params: ["epsilon": .real(0.1)])), on: db)
            let free = try AllocationUpdater(connection: db).update("free", now: F.now)
            #expect(free.arms == ["a", "b", "c"])
            expectClose(free.weights, [0.1 / 3, 0.1 / 3, 0.9 + 0.1 / 3], 1e-12)
            #expect(free.statistics.arms["c"]?.n == 1000 && free.statistics.arms["c"]?.mean == 0.06)

            // min_weight 0.05 and max_change 0.2 from the equal 1/3 split: bounds are
            // L = max(0.05, 1/3 − 0.2) = 2/15 and U = 1/3 + 0.2 = 8/15 for every arm. The
            // projection clamps c at 8/15 and gives a and b (1 − 8/15)/2 = 7/30 each
            // (= 0.1/3 + 0.2, inside their bounds).
            try F.apply(
                F.spec("limited", allocation: F.bandit(.epsilonGreedy, minWeight: 0.05, maxChange: 0.2, params: ["epsilon": .real(0.1)])),
                on: db
            )
            let first = try AllocationUpdater(connection: db).update("limited", now: F.now)
            expectClose(first.weights, [7.0 / 30, 7.0 / 30, 8.0 / 15], 1e-12)
            expectClose(first.statistics.arms.values.map(\.policyWeight).sorted(), [0.1 / 3, 0.1 / 3, 0.9 + 0.1 / 3], 1e-12)
            // Second update from (7/30, 7/30, 8/15): U_c = 8/15 + 0.2 = 11/15; a and b share
            // 4/15, 2/15 each (≥ the floor 0.05 and ≥ 7/30 − 0.2 = 1/30).
            let second = try AllocationUpdater(connection: db).update("limited", now: F.now)
            expectClose(second.weights, [2.0 / 15, 2.0 / 15, 11.0 / 15], 1e-12)
            expectClose(second.previousWeights.map { $0 ?? -1 }, [7.0 / 30, 7.0 / 30, 8.0 / 15], 1e-12)
            // History is kept: the initial split from apply, then the two updates.
            let history = try ExperimentStore(connection: db).allocationHistory("limited")
            #expect(history.map(\.version) == [1, 2, 3])
            #expect(history.map(\.policy) == ["epsilon_greedy", "epsilon_greedy", "epsilon_greedy"])
            #expect(abs((history[2].weights["c"] ?? 0) - 11.0 / 15) < 1e-12)
        }
    }

    @Test func thompsonWeightsMatchScipyQuadrature() throws {
        try F.migrated { db, _ in
            try logThreeArms(db)
            try F.apply(F.spec(allocation: F.bandit(.thompson)), on: db)
            let update = try AllocationUpdater(connection: db).update("shop", now: F.now)
            // scripts/allocate_thompson_reference.py: P(best) for Beta(41, 961), Beta(51, 951),
            // Beta(61, 941) by scipy 1.17 integrate.quad.
            expectClose(update.weights, [0.011929574772, 0.161047017712, 0.827023407516], 1e-4)
            #expect(update.statistics.rewardModel == "bernoulli(1, 1)")
            // Variance is the per-unit sample variance: 0.06 · 0.94 · 1000/999 for c.
            #expect(abs((update.statistics.arms["c"]?.variance ?? 0) - 0.06 * 0.94 * 1000 / 999) < 1e-12)
        }
    }

    @Test func impressionsInsideTheAttributionWindowDoNotCount() throws {
        try F.migrated { db, _ in
            try logThreeArms(db)
            // 500 more units of a, all converting, 1 hour ago: their 2-hour window is still open.
            try F.log(db, arm: "a", units: 500, converting: 500, at: F.now.addingTimeInterval(-3600), tag: "recent")
            // One unit exactly at the cut-off (now − 2 h) is not counted either: [since, until).
            try F.log(db, arm: "a", units: 1, converting: 1, at: F.now.addingTimeInterval(-7200), tag: "edge")
            try F.apply(F.spec(allocation: F.bandit(.epsilonGreedy, params: ["epsilon": .real(0.1)])), on: db)
            let update = try AllocationUpdater(connection: db).update("shop", now: F.now, dryRun: true)
            #expect(update.statistics.arms["a"]?.n == 1000)
            #expect(update.statistics.arms["a"]?.mean == 0.04)
            #expect(update.statistics.dataUntil == F.now.addingTimeInterval(-7200))
            // Had they counted, a would lead with 541/1501 ≈ 0.36; c still leads.
            #expect(update.weights.last.map { abs($0 - (0.9 + 0.1 / 3)) < 1e-12 } == true)
            // An hour later the recent units' window has closed and a leads.
            // (3601 s: an impression exactly at the cut-off is outside [since, until).)
            let later = try AllocationUpdater(connection: db).update("shop", now: F.now.addingTimeInterval(3601), dryRun: true)
            #expect(later.statistics.arms["a"]?.n == 1501)
            #expect(later.weights.first.map { abs($0 - (0.9 + 0.1 / 3)) < 1e-12 } == true)
        }
    }

    @Test func aDryRunWritesNothingAndPredictsTheRealRun() throws {
        try F.migrated { db, _ in
            try logThreeArms(db)
            try F.apply(F.spec(allocation: F.bandit(.thompson, minWeight: 0.02, maxChange: 0.3)), on: db)
            let updater = AllocationUpdater(connection: db)
            let dry = try updater.update("shop", now: F.now, dryRun: true)
            #expect(dry.isDryRun && dry.version == 2)
            #expect(try ExperimentStore(connection: db).allocationHistory("shop").count == 1)
            let real = try updater.update("shop", now: F.now)
            #expect(real.version == 2 && !real.isDryRun)
            #expect(real.statistics == dry.statistics)
            // The stored statistics JSON reads back to what the update reported.
            let json = try db.query("SELECT statistics::text FROM allocations WHERE experiment = 'shop' AND allocation_version = 2")[0]
                .decode(String.self, at: 0)
            #expect(try AllocationStatistics(json: json) == real.statistics)
            #expect(
                try ExperimentStore(connection: db).currentAllocation("shop")?.weights
                    == Dictionary(uniqueKeysWithValues: zip(real.arms, real.weights))
            )
        }
    }

    @Test func burnInKeepsTheInitialWeightsAndControlShareIsReserved() throws {
        try F.migrated { db, _ in
            try logThreeArms(db, experiment: "warm")
            try logThreeArms(db, experiment: "held")
            // burn_in 1001 > 1000 units per arm: the initial equal split holds.
            try F.apply(F.spec("warm", allocation: F.bandit(.thompson, burnIn: 1001)), on: db)
            let warm = try AllocationUpdater(connection: db).update("warm", now: F.now)
            #expect(warm.statistics.inBurnIn)
            expectClose(warm.weights, [1.0 / 3, 1.0 / 3, 1.0 / 3], 1e-12)
            // control a keeps exactly 0.2; ε-greedy's 1/30 and 28/30 for b and c are
            // rescaled to the remaining 0.8: b = 0.8 · (1/30)/(29/30) = 0.8/29, c = 0.8 · 28/29.
            try F.apply(
                F.spec("held", control: "a", allocation: F.bandit(.epsilonGreedy, controlShare: 0.2, params: ["epsilon": .real(0.1)])),
                on: db
            )
            let held = try AllocationUpdater(connection: db).update("held", now: F.now)
            expectClose(held.weights, [0.2, 0.8 / 29, 0.8 * 28 / 29], 1e-12)
        }
    }

    @Test func continuousRewardsUseTheDeltaMethodPerUnit() throws {
        try F.migrated { db, _ in
            // Arm a: unit u1 has two impressions (NDCG 1 and 0), unit u2 one (NDCG 1):
            // x = (1, 1), y = (2, 1); R = 2/3; ȳ = 1.5; z_u = R + (x_u − R·y_u)/ȳ = (4/9 + … )
            // z1 = 2/3 + (1 − 4/3)/1.5 = 4/9, z2 = 2/3 + (1 − 2/3)/1.5 = 8/9; mean 2/3, sample
            // variance ((4/9 − 6/9)² + (8/9 − 6/9)²)/1 = 8/81.
            let metrics = MetricsSpec(primary: MetricName(.ndcg, k: 3), attributionWindow: SpecDuration(seconds: 7200))
            try F.apply(F.spec(arms: ["a", "b"], allocation: F.bandit(.ucbTuned, reward: MetricName(.ndcg, k: 3)), metrics: metrics), on: db)
            let t = F.now.addingTimeInterval(-3 * 3600)
            for (request, unit, converts) in [("1", "u1", true), ("2", "u1", false), ("3", "u2", true)] {
                let id = UUID(uuidString: "00000000-0000-0000-0000-00000000000\(request)")!
                try db.execute(
                    """
                    INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
                    VALUES (\(id), 'shop', 1, 'a', \(unit), ARRAY['i1','i2','i3'], ARRAY[3,2,1]::float8[], 0.5, 1, \(t))
                    """
                )
                if converts {
                    try db.execute(
                        "INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at) VALUES (\(request), \(id), \(unit), 'i1', 'click', \(t.addingTimeInterval(5)))"
                    )
                }
            }
            let update = try AllocationUpdater(connection: db).update("shop", now: F.now, dryRun: true)
            let a = try #require(update.statistics.arms["a"])
            #expect(a.n == 2)
            #expect(abs((a.mean ?? 0) - 2.0 / 3) < 1e-12)
            #expect(abs(a.variance - 8.0 / 81) < 1e-12)
            #expect(update.statistics.rewardModel == "continuous")
            // b has no units: UCB plays unplayed arms first.
            expectClose(update.weights, [0, 1], 1e-15)
        }
    }

    func expectClose(_ actual: [Double], _ expected: [Double], _ tolerance: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) <= tolerance, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
        }
    }
}
