import Foundation
import PostgresClient
import Spec

/// The decisions a contextual policy made, each with its logged propensity and its reward (the
/// spec's `allocation.reward` for that impression, as the learner computes it), for the
/// inverse-propensity-weighted report. Feedback counts within the attribution window, as far
/// as it has arrived (the report's cut-off: everything logged so far).
public enum ContextualDecisionLog {
    /// One logged decision.
    public struct Decision: Sendable, Equatable {
        public var arm: String
        public var reward: Double
        public var propensity: Double
    }

    /// The decisions of `name` (a contextual experiment whose spec is `spec`) shown in [since, until).
    public static func read(_ name: String, spec: ExperimentSpec, since: Date, until: Date, on db: PostgresConnection) throws -> [Decision] {
        guard let bandit = spec.allocation.bandit, bandit.policy.isContextual else {
            throw StorageError(
                "Experiment \(name) does not use a contextual policy",
                advice: "Only linucb and linear_thompson experiments log per-decision propensities"
            )
        }
        let reward = try ContextualLearner.rewardExpression(bandit.reward)
        let gains = String(decoding: try JSONEncoder().encode(spec.metrics.gains), as: UTF8.self)
        let rows = try db.query(
            """
            SELECT i.arm, \(unsafeSQL: reward), i.propensity
            FROM impressions i
            JOIN abctl_impression_metrics(\(name), \(bandit.reward.k ?? spec.metrics.k)::integer,
                                          \(Double(spec.metrics.attributionWindow.seconds)) * interval '1 second', \(gains)::jsonb,
                                          \(spec.metrics.gain == .exponential), \(since), \(until)) m
                ON m.request_id = i.request_id AND m.created_at = i.created_at
            WHERE i.experiment = \(name) AND i.created_at >= \(since) AND i.created_at < \(until)
                AND i.model_version IS NOT NULL AND i.reason IS NULL
            ORDER BY i.created_at, i.request_id
            """
        )
        return try rows.map { row in
            let (arm, value, propensity) = try row.decode((String, Double, Double).self)
            return Decision(arm: arm, reward: value, propensity: propensity)
        }
    }
}
