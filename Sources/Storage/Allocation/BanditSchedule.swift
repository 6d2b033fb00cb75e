import Foundation
import PostgresClient
import Spec

/// A running bandit experiment as the scheduler sees it: its update interval and when its
/// allocation in force was written.
public struct BanditSchedule: Sendable, Equatable {
    /// The experiment's name.
    public var experiment: String
    /// The spec's update_interval, in seconds.
    public var interval: Double
    /// When the allocation in force was written (by apply or an update), nil if none was.
    public var allocatedAt: Date?

    /// Creates a schedule entry.
    public init(experiment: String, interval: Double, allocatedAt: Date?) {
        self.experiment = experiment
        self.interval = interval
        self.allocatedAt = allocatedAt
    }

    /// Whether an update is due at `now`: the allocation in force is at least `interval`
    /// (or `override`) seconds old. Reading the age from the database, not from memory,
    /// keeps restarts and several servers from updating more often than the spec says.
    public func isDue(at now: Date, override: Double? = nil) -> Bool {
        guard let allocatedAt else { return true }
        return now.timeIntervalSince(allocatedAt) >= (override ?? interval)
    }
}

extension AllocationUpdater {
    /// Every experiment whose latest spec has a non-contextual bandit allocation and whose
    /// status is running, by name.
    public func runningBandits() throws -> [BanditSchedule] {
        let rows = try connection.query(
            """
            SELECT e.name, e.spec::text, COALESCE(s.status, e.spec ->> 'status') AS status, a.effective_from
            FROM (SELECT DISTINCT ON (name) name, spec FROM experiments ORDER BY name, version DESC) e
            LEFT JOIN LATERAL (
                SELECT status FROM experiment_status WHERE experiment = e.name ORDER BY changed_at DESC, id DESC LIMIT 1
            ) s ON true
            LEFT JOIN LATERAL (
                SELECT effective_from FROM allocations WHERE experiment = e.name ORDER BY allocation_version DESC LIMIT 1
            ) a ON true
            WHERE e.spec -> 'allocation' ->> 'type' = 'bandit'
            ORDER BY e.name
            """
        )
        return try rows.compactMap { row in
            let (name, json, status) = try row.decode((String, String, String).self)
            guard status == ExperimentStatus.running.rawValue,
                let bandit = try? ExperimentSpec(canonicalJSON: json).allocation.bandit, !bandit.policy.isContextual
            else { return nil }
            return BanditSchedule(
                experiment: name,
                interval: Double(bandit.updateInterval.seconds),
                allocatedAt: try row.decode(Date?.self, at: 3)
            )
        }
    }
}
