import Foundation
import PostgresClient
import Spec

/// Brings the maintained aggregates up to date (sql/0015_maintained_aggregates.sql, and
/// sql/0017's unit rows of declared metrics): makes every experiment's current metric
/// definitions the maintained ones, then consumes the change queues, in one transaction under PostgreSQL's advisory lock, so that of several
/// servers (or a server and `abctl refresh`) one refreshes at a time and the others skip.
public struct AggregateRefresher {
    /// One definition brought up to date.
    public struct Refreshed: Sendable, Equatable {
        public var definitionKey: String
        public var experiment: String
        /// Impressions recomputed (newly past the cut-off, or changed).
        public var impressions: Int
        /// Units whose sums changed.
        public var units: Int
        /// Impressions shown before this time are counted, each with its whole window.
        public var dataUntil: Date
        /// Every row committed before this time is counted.
        public var refreshedAt: Date
    }

    let connection: PostgresConnection

    /// A refresher over `connection` (used by one task at a time, like the connection).
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Refreshes every experiment's aggregates with the cut-off `now` − attribution window
    /// (the database's clock when nil). Returns nil when another session holds the lock
    /// (it is refreshing; this one would only wait for it).
    @discardableResult
    public func refresh(now: Date? = nil) throws -> [Refreshed]? {
        let refreshed = try refreshInTransaction(now: now)
        // A large refresh (a first catch-up, a backfill) leaves the change queue full of
        // deleted rows that the next refresh would scan until autovacuum comes by; clear
        // them now. VACUUM cannot run inside the transaction; by a role that does not own
        // the queue it only warns.
        if let refreshed, refreshed.reduce(0, { $0 + $1.impressions }) >= Self.vacuumAfterImpressions {
            try connection.query("VACUUM abctl_changed_requests")
        }
        return refreshed
    }

    /// Impressions recomputed by one refresh from which the queue is vacuumed at once.
    static let vacuumAfterImpressions = 100_000

    private func refreshInTransaction(now: Date?) throws -> [Refreshed]? {
        try connection.transaction { db in
            guard try db.query("SELECT pg_try_advisory_xact_lock(hashtext('abctl.refresh_aggregates'))")[0].decode(Bool.self, at: 0) else {
                return nil
            }
            try register(on: db)
            let rows =
                if let now {
                    try db.query("SELECT * FROM abctl_refresh_aggregates(\(now)::timestamptz)")
                } else {
                    try db.query("SELECT * FROM abctl_refresh_aggregates()")
                }
            // Declared metrics' unit rows (sql/0017), in the same transaction and lock.
            if let now {
                _ = try db.query("SELECT count(*) FROM abctl_refresh_outcome_metrics(\(now)::timestamptz)")
            } else {
                _ = try db.query("SELECT count(*) FROM abctl_refresh_outcome_metrics()")
            }
            try OutcomeSQLSourceRefresh.refresh(on: db, now: now)
            return try rows.map { row in
                let (key, experiment, impressions, units, until, at) = try row.decode((String, String, Int, Int, Date, Date).self)
                return Refreshed(
                    definitionKey: key,
                    experiment: experiment,
                    impressions: impressions,
                    units: units,
                    dataUntil: until,
                    refreshedAt: at
                )
            }
        }
    }

    /// Registers the metric definitions of every experiment's latest spec.
    private func register(on db: PostgresConnection) throws {
        let latest = try db.query("SELECT DISTINCT ON (name) name, spec::text FROM experiments ORDER BY name, version DESC")
        for row in latest {
            let (name, json) = try row.decode((String, String).self)
            let spec = try ExperimentSpec(canonicalJSON: json)
            let documents = "[" + MetricDefinition.all(experiment: name, spec: spec).map(\.document).joined(separator: ",") + "]"
            try db.query("SELECT abctl_register_metric_definitions(\(name), \(documents)::jsonb)")
            let sources = "[" + OutcomeMetricSource.all(of: spec).map(\.document).joined(separator: ",") + "]"
            try db.query("SELECT abctl_register_outcome_metric_sources(\(name), \(sources)::jsonb)")
        }
    }
}
