import Bandits
import Foundation
import PostgresClient
import Spec
import Stats

/// One bandit update of one experiment from logged data: read the reward statistics from
/// the evaluator, run the spec's policy, apply the spec's constraints, and store the
/// weights as the next allocation row (servers are notified). History is never overwritten.
///
/// The statistics come from the maintained aggregates (sql/0015) when they cover the
/// reward's metric definition up to a cut-off no later than `now − attribution window`
/// (then that cut-off is the update's `data_until`), and from the raw logs otherwise (a
/// sliding `allocation.window`, or aggregates not refreshed yet).
///
/// The data cut-off: only impressions shown before `now − attribution window` count, so
/// every counted impression has had its whole window to collect feedback; a recent
/// impression that has not yet converted is not mistaken for a failure. With the spec's
/// `allocation.window`, only impressions shown in [until − window, until) count, so the
/// weights follow a change in which arm is best instead of averaging over all history.
///
/// Reproducible: the policy's generator is seeded from the spec's seed and the allocation
/// version being written, so rerunning an update on the same data gives the same weights,
/// and a dry run shows exactly what the real run will write.
public struct AllocationUpdater {
    let connection: PostgresConnection

    /// An updater over `connection` (used by one task at a time, like the connection).
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Updates the allocation of experiment `name` with data logged up to `now` minus the
    /// attribution window. `dryRun` computes and returns the update without writing it;
    /// `force` allocates even when the experiment is not running.
    /// Throws `AllocationError` for unknown experiments, fixed allocation, a stopped
    /// experiment, a contextual policy or an unusable reward. The statistics are read
    /// before the experiment's lock is taken (on large logs that read takes minutes, and
    /// `abctl apply` must not wait for it); if the spec changed meanwhile, nothing is written.
    /// With `dueAfter`, the allocation in force must be at least that many seconds old at
    /// `now`, checked again under the lock, so that several servers' schedulers finding the
    /// same experiment due write one update between them (the others get `.notDue`).
    /// `stampedAtNow` dates the new allocation at `now` rather than the database's clock,
    /// for simulations whose clock is simulated (the demo).
    @discardableResult
    public func update(
        _ name: String,
        now: Date,
        dryRun: Bool = false,
        force: Bool = false,
        dueAfter: Double? = nil,
        by user: String = "abctl",
        stampedAtNow: Bool = false
    ) throws
        -> AllocationUpdate
    {
        // The slow part, the evaluator's pass over the logs, runs before the lock is taken.
        let store = ExperimentStore(connection: connection)
        let (stored, spec, bandit) = try banditSpec(name, store: store, force: force, on: connection)
        let reward = RewardMetric(name: bandit.reward)
        guard spec.metrics.all.contains(bandit.reward) else {
            throw AllocationError.rewardNotInSpec(
                experiment: name,
                reward: bandit.reward.description,
                metrics: spec.metrics.all.map(\.description)
            )
        }
        guard let column = reward.sqlName else { throw AllocationError.rewardNotLogged(experiment: name, reward: bandit.reward.description) }
        guard let description = bandit.policyDescription(for: reward) else {
            throw AllocationError.contextualPolicy(experiment: name, policy: bandit.policy.rawValue)
        }
        var until = now.addingTimeInterval(-Double(spec.metrics.attributionWindow.seconds))
        let since = bandit.window.map { until.addingTimeInterval(-Double($0.seconds)) }
        let arms = spec.arms.map(\.key)
        let statistics: [ArmStatistics]
        if since == nil, let maintained = try maintainedRewardStatistics(name, spec: spec, reward: reward, column: column, until: until) {
            (statistics, until) = maintained
        } else {
            statistics = try rewardStatistics(name, spec: spec, reward: reward, column: column, since: since, until: until)
        }

        return try connection.transaction { db in
            // The same lock as ExperimentStore.apply: one writer of this experiment's versions
            // at a time. The spec and status are checked again under it.
            try db.query("SELECT pg_advisory_xact_lock(hashtext(\(name)))")
            guard try banditSpec(name, store: store, force: force, on: db).0.version == stored.version else {
                throw AllocationError.specChanged(experiment: name, version: stored.version)
            }
            let previous = try store.currentAllocation(name, on: db)
            if let dueAfter, let previous, now.timeIntervalSince(previous.effectiveFrom) < dueAfter {
                throw AllocationError.notDue(experiment: name, version: Int(previous.version))
            }
            let version = (previous?.version ?? 0) + 1
            let updates = try db.query(
                "SELECT count(*) FROM allocations WHERE experiment = \(name) AND statistics ->> 'data_until' IS NOT NULL"
            )[0].decode(Int.self, at: 0)
            let seed = Self.seed(spec: bandit.seed, allocationVersion: version)
            let previousWeights = previous.flatMap { Self.weights($0.weights, arms: arms) }
            let (proposed, constrained): (ArmWeights, ArmWeights)
            do {
                var generator = SplitMix64(seed: seed)
                proposed = try AllocationPolicies.make(description).weights(for: statistics, update: updates, using: &generator)
                constrained = try constrain(
                    proposed: proposed,
                    previous: previousWeights,
                    statistics: statistics,
                    constraints: bandit.constraints(arms: spec.arms)
                )
            } catch {
                throw AllocationError.policy(experiment: name, detail: "\(error)")
            }

            var perArm: [String: AllocationStatistics.Arm] = [:]
            for (index, s) in statistics.enumerated() {
                perArm[s.arm] = AllocationStatistics.Arm(
                    n: s.reward.count,
                    mean: s.mean,
                    variance: s.reward.sampleVariance,
                    policyWeight: proposed.values[index],
                    weight: constrained.values[index],
                    previousWeight: previousWeights?.values[index]
                )
            }
            let report = AllocationStatistics(
                policy: bandit.policy.rawValue,
                reward: bandit.reward.description,
                rewardModel: Self.describe(description, reward: reward),
                dataUntil: until,
                attributionWindowSeconds: spec.metrics.attributionWindow.seconds,
                dataSince: since,
                windowSeconds: bandit.window?.seconds,
                update: updates,
                seed: seed,
                inBurnIn: statistics.contains { $0.reward.count < Double(bandit.burnIn) },
                experimentVersion: stored.version,
                arms: perArm
            )
            if !dryRun {
                try store.insertAllocation(
                    name,
                    experimentVersion: stored.version,
                    weights: Dictionary(uniqueKeysWithValues: zip(arms, constrained.values)),
                    policy: bandit.policy.rawValue,
                    statisticsJSON: try report.json(),
                    by: user,
                    effectiveFrom: stampedAtNow ? now : nil,
                    on: db
                )
                try db.notify(ExperimentStore.notificationChannel, payload: name)
            }
            return AllocationUpdate(
                experiment: name,
                version: version,
                previousVersion: previous?.version,
                arms: arms,
                statistics: report,
                isDryRun: dryRun
            )
        }
    }

    /// Each arm's reward statistics (spec order; zeros for arms without units) from
    /// impressions shown in [since, until) (from the start when `since` is nil), with the
    /// spec's K, gains and attribution window.
    func rewardStatistics(
        _ name: String,
        spec: ExperimentSpec,
        reward: RewardMetric,
        column: String,
        since: Date?,
        until: Date
    ) throws -> [ArmStatistics] {
        let settings = Evaluator.Settings(
            k: reward.name.k ?? spec.metrics.k,
            attributionWindow: Double(spec.metrics.attributionWindow.seconds),
            gains: spec.metrics.gains,
            exponentialGain: spec.metrics.gain == .exponential,
            since: since ?? .distantPast,
            until: until
        )
        let pooled = try Evaluator(connection: connection).pooled(experiment: name, settings: settings)
        return spec.arms.map { reward.armStatistics(arm: $0.key, pooled[$0.key]?[column] ?? .zero) }
    }

    /// Each arm's reward statistics from the maintained aggregates, refreshed up to `until`
    /// first, with their cut-off; nil
    /// when they were never refreshed for this definition or their cut-off is later than
    /// `until` (an update dated in the past must not count impressions whose window was
    /// still open then).
    func maintainedRewardStatistics(
        _ name: String,
        spec: ExperimentSpec,
        reward: RewardMetric,
        column: String,
        until: Date
    ) throws -> ([ArmStatistics], Date)? {
        let definition = MetricDefinition.allocator(experiment: name, spec: spec, k: reward.name.k ?? spec.metrics.k)
        // Catch up first (incremental: what arrived since the last refresh); when another
        // session holds the refresh lock, read what it last committed.
        try AggregateRefresher(connection: connection).refresh(now: until.addingTimeInterval(Double(definition.cutoffLagSeconds)))
        // PostgreSQL keeps the cut-off to the microsecond (rounded), so it may exceed `until`
        // by half a microsecond; compared exactly, every allocation fell back to the raw logs.
        guard let maintained = try Evaluator(connection: connection).maintainedReportCells(definition),
            maintained.freshness.dataUntil <= until.addingTimeInterval(0.000_001)
        else { return nil }
        var pooled: [String: SufficientStatistics] = [:]
        for cell in maintained.cells where cell.metric == column {
            pooled[cell.arm] = (pooled[cell.arm] ?? .zero) + cell.statistics
        }
        return (spec.arms.map { reward.armStatistics(arm: $0.key, pooled[$0.key] ?? .zero) }, maintained.freshness.dataUntil)
    }
}
