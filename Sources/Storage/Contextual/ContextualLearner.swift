import Bandits
import Engine
import Foundation
import PostgresClient
import Spec

/// One learning pass of a contextual experiment: starting from its latest checkpoint, fold
/// the reward of every decision shown in [watermark, now − attribution window) into the
/// chosen arm's ridge model, in the order the decisions were made, and store the result as
/// the next model version (servers are notified and load it). The reward of a decision is
/// the spec's `allocation.reward` computed for that one impression by the evaluator's SQL
/// (`abctl_impression_metrics`, sql/0003): precision@K, NDCG@K, MRR, hit@K as logged; ctr
/// as the impression's clicks; conversion as 1 when it led to a purchase; revenue_per_unit
/// as its revenue. Only decisions made by the contextual policy count (those with logged
/// features and no fallback reason).
///
/// One writer at a time per experiment: the pass holds an advisory lock on the experiment's
/// learner for its transaction, so several servers running learners write one version each
/// time, and one that finds the watermark already moved learns nothing.
public struct ContextualLearner {
    let connection: PostgresConnection

    /// A learner over `connection` (used by one task at a time, like the connection).
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Learns what `name` logged up to `now` minus its attribution window; returns the
    /// checkpoint written, or nil when no decision was new.
    @discardableResult
    public func learn(_ name: String, now: Date) throws -> ContextualCheckpoint? {
        let store = ExperimentStore(connection: connection)
        guard let stored = try store.version(name) else {
            throw StorageError("There is no experiment called \(name)", advice: "Apply its spec first")
        }
        let spec = try ExperimentSpec(canonicalJSON: stored.specJSON)
        guard let bandit = spec.allocation.bandit, bandit.policy.isContextual, let layout = FeatureLayout(spec: spec) else {
            throw StorageError(
                "Experiment \(name) does not use a contextual policy",
                advice: "Only linucb and linear_thompson experiments learn per decision"
            )
        }
        let reward = try Self.rewardExpression(bandit.reward)
        let k = bandit.reward.k ?? spec.metrics.k
        let gains = String(decoding: try JSONEncoder().encode(spec.metrics.gains), as: UTF8.self)
        let window = Double(spec.metrics.attributionWindow.seconds)
        let until = now.addingTimeInterval(-window)
        return try connection.transaction { db in
            try db.query("SELECT pg_advisory_xact_lock(hashtext('abctl_contextual_learner'), hashtext(\(name)))")
            let latest = try ContextualCheckpoint.latest(experiment: name, on: db)[name]
            let since = latest?.dataUntil ?? Date(timeIntervalSince1970: 0)
            guard until > since else { return nil }
            var model = try latest?.model(for: spec) ?? ContextualModel(spec: spec)
            let rows = try db.query(
                """
                SELECT i.arm, i.features, \(unsafeSQL: reward)
                FROM impressions i
                JOIN abctl_impression_metrics(\(name), \(k)::integer, \(window) * interval '1 second', \(gains)::jsonb,
                                              \(spec.metrics.gain == .exponential), \(since), \(until)) m
                    ON m.request_id = i.request_id AND m.created_at = i.created_at
                WHERE i.experiment = \(name) AND i.created_at >= \(since) AND i.created_at < \(until)
                    AND i.features IS NOT NULL AND i.reason IS NULL
                ORDER BY i.created_at, i.request_id
                """
            )
            let arms = Set(model.arms)
            var learned = 0
            for row in rows {
                let (arm, features, value) = try row.decode((String, [Double], Double).self)
                // A decision logged under other arms or features (an earlier spec) is skipped.
                guard features.count == layout.dimension, arms.contains(arm) else { continue }
                try model.learn(features: features, arm: arm, reward: value)
                learned += 1
            }
            guard learned > 0 else { return nil }
            let checkpoint = ContextualCheckpoint(
                experiment: name,
                version: (latest?.version ?? 0) + 1,
                arms: model.arms,
                features: layout.names,
                states: model.armStates,
                dataUntil: until,
                learned: learned
            )
            try checkpoint.insert(experimentVersion: stored.version, on: db)
            try db.notify(ExperimentStore.notificationChannel, payload: name)
            return checkpoint
        }
    }

    /// The SQL of one decision's reward over `abctl_impression_metrics`' row `m`.
    static func rewardExpression(_ reward: MetricName) throws -> String {
        switch reward.kind {
        case .precision: "m.precision_k"
        case .ndcg: "m.ndcg_k"
        case .mrr: "m.mrr"
        case .hit: "m.hit_k"
        case .ctr: "m.clicks::double precision"
        case .conversion: "CASE WHEN m.purchases > 0 THEN 1.0 ELSE 0.0 END::double precision"
        case .revenuePerUnit: "m.revenue"
        case .recall:
            throw StorageError("The reward \(reward) is not logged per decision", advice: "Reward ctr, conversion, precision, ndcg, mrr or hit")
        }
    }

    /// Every experiment whose latest spec is a contextual bandit and whose status is running,
    /// with its update interval and when its latest model version was written.
    public func runningContextual() throws -> [BanditSchedule] {
        let rows = try connection.query(
            """
            SELECT e.name, e.spec::text, COALESCE(s.status, e.spec ->> 'status') AS status,
                   (SELECT max(c.created_at) FROM abctl_contextual_models c WHERE c.experiment = e.name)
            FROM (SELECT DISTINCT ON (name) name, spec FROM experiments ORDER BY name, version DESC) e
            LEFT JOIN LATERAL (
                SELECT status FROM experiment_status WHERE experiment = e.name ORDER BY changed_at DESC, id DESC LIMIT 1
            ) s ON true
            WHERE e.spec -> 'allocation' ->> 'type' = 'bandit'
            ORDER BY e.name
            """
        )
        return try rows.compactMap { row in
            let (name, json, status) = try row.decode((String, String, String).self)
            guard status == ExperimentStatus.running.rawValue,
                let bandit = try? ExperimentSpec(canonicalJSON: json).allocation.bandit, bandit.policy.isContextual
            else { return nil }
            return BanditSchedule(experiment: name, interval: Double(bandit.updateInterval.seconds), allocatedAt: try row.decode(Date?.self, at: 3))
        }
    }
}
