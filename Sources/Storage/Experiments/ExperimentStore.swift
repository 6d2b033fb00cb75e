import Foundation
import PostgresClient

/// Experiments in PostgreSQL as immutable versions, their status history and the
/// allocation in force. Applying an unchanged spec is a no-op; a changed one becomes the
/// next version. Nothing is ever updated in place.
public struct ExperimentStore {
    /// One arm of a version, as stored.
    public struct ArmRecord: Sendable, Equatable {
        public var key: String
        public var strategy: String
        /// The strategy's parameters as a JSON object.
        public var parametersJSON: String
        public var isControl: Bool
        public var initialWeight: Double

        public init(key: String, strategy: String, parametersJSON: String, isControl: Bool, initialWeight: Double) {
            self.key = key
            self.strategy = strategy
            self.parametersJSON = parametersJSON
            self.isControl = isControl
            self.initialWeight = initialWeight
        }
    }

    /// What `apply` did.
    public enum ApplyOutcome: Sendable, Equatable {
        /// The spec equals the latest version: nothing was written.
        case unchanged(version: Int)
        /// A new version was stored; `previousJSON` is the version before it, if any.
        case created(version: Int, previousJSON: String?)
    }

    /// A stored version with its metadata.
    public struct StoredVersion: Sendable {
        public var name: String
        public var version: Int
        public var specJSON: String
        public var source: String
        public var createdAt: Date
        public var createdBy: String
    }

    /// One line of `abctl list`.
    public struct Summary: Sendable {
        public var name: String
        public var latestVersion: Int
        public var status: String
        public var arms: Int
        public var updatedAt: Date
    }

    /// A status change.
    public struct StatusChange: Sendable {
        public var status: String
        public var changedAt: Date
        public var changedBy: String
        public var reason: String
    }

    /// The weights in force for an experiment.
    public struct AllocationRecord: Sendable, Equatable {
        public var version: Int64
        public var weights: [String: Double]
        public var policy: String
        public var effectiveFrom: Date
    }

    /// The channel servers listen on to reload experiments and allocations.
    public static let notificationChannel = "abctl_experiments"

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Stores `canonicalJSON` as the next version of `name` unless it equals the latest.
    /// A new version writes its arms, a status row when the status changed, and a new
    /// allocation of the initial weights when the arms or their weights changed.
    @discardableResult
    public func apply(
        name: String,
        canonicalJSON: String,
        source: String,
        status: String,
        arms: [ArmRecord],
        policy: String,
        by user: String
    ) throws -> ApplyOutcome {
        try connection.transaction { db in
            // Serialise concurrent applies of one experiment.
            try db.query("SELECT pg_advisory_xact_lock(hashtext(\(name)))")
            let checksum = try db.query("SELECT encode(sha256(convert_to(\(canonicalJSON), 'UTF8')), 'hex')")[0].decode(String.self, at: 0)
            let latest = try db.query(
                "SELECT version, checksum, spec::text FROM experiments WHERE name = \(name) ORDER BY version DESC LIMIT 1"
            ).first.map { try $0.decode((Int, String, String).self) }
            if let latest, latest.1 == checksum {
                return .unchanged(version: latest.0)
            }
            let version = (latest?.0 ?? 0) + 1
            try db.execute(
                """
                INSERT INTO experiments (name, version, spec, source, checksum, created_by)
                VALUES (\(name), \(version), \(canonicalJSON)::jsonb, \(source), \(checksum), \(user))
                """
            )
            for arm in arms {
                try db.execute(
                    """
                    INSERT INTO arms (experiment, version, arm, strategy, params, is_control, initial_weight)
                    VALUES (\(name), \(version), \(arm.key), \(arm.strategy), \(arm.parametersJSON)::jsonb, \(arm.isControl), \(arm.initialWeight))
                    """
                )
            }
            if try currentStatus(name, on: db) != status {
                try db.execute(
                    """
                    INSERT INTO experiment_status (experiment, status, changed_by, reason)
                    VALUES (\(name), \(status), \(user), \("applied version \(version)"))
                    """
                )
            }
            let weights = Dictionary(arms.map { ($0.key, $0.initialWeight) }, uniquingKeysWith: { a, _ in a })
            if try currentAllocation(name, on: db)?.weights != weights {
                try insertAllocation(name, experimentVersion: version, weights: weights, policy: policy, statisticsJSON: "{}", by: user, on: db)
            }
            try db.notify(Self.notificationChannel, payload: name)
            return .created(version: version, previousJSON: latest?.2)
        }
    }

    /// The latest version of every experiment with its status.
    public func list() throws -> [Summary] {
        try connection.query(
            """
            SELECT e.name, e.version, COALESCE(s.status, 'draft') AS status,
                   (SELECT count(*) FROM arms a WHERE a.experiment = e.name AND a.version = e.version) AS arms,
                   GREATEST(e.created_at, COALESCE(s.changed_at, e.created_at)) AS updated_at
            FROM (SELECT DISTINCT ON (name) * FROM experiments ORDER BY name, version DESC) e
            LEFT JOIN LATERAL (
                SELECT status, changed_at FROM experiment_status WHERE experiment = e.name ORDER BY changed_at DESC, id DESC LIMIT 1
            ) s ON true
            ORDER BY e.name
            """
        ).map { row in
            let (name, version, status, arms, updated) = try row.decode((String, Int, String, Int, Date).self)
            return Summary(name: name, latestVersion: version, status: status, arms: arms, updatedAt: updated)
        }
    }

    /// A version of `name` (the latest when `version` is nil), or nil when there is none.
    public func version(_ name: String, _ version: Int? = nil) throws -> StoredVersion? {
        let rows =
            if let version {
                try connection.query(
                    "SELECT name, version, spec::text, source, created_at, created_by FROM experiments WHERE name = \(name) AND version = \(version)"
                )
            } else {
                try connection.query(
                    """
                    SELECT name, version, spec::text, source, created_at, created_by FROM experiments
                    WHERE name = \(name) ORDER BY version DESC LIMIT 1
                    """
                )
            }
        return try rows.first.map { row in
            let (name, version, spec, source, createdAt, createdBy) = try row.decode((String, Int, String, String, Date, String).self)
            return StoredVersion(name: name, version: version, specJSON: spec, source: source, createdAt: createdAt, createdBy: createdBy)
        }
    }

    /// Records a status change with who made it and why; refuses unknown experiments.
    public func setStatus(_ name: String, to status: String, by user: String, reason: String = "") throws {
        try connection.transaction { db in
            guard !(try db.query("SELECT 1 FROM experiments WHERE name = \(name) LIMIT 1")).isEmpty else {
                throw StorageError("There is no experiment called \"\(name)\"", advice: "Apply its spec first (abctl apply FILE), or see abctl list")
            }
            try db.execute(
                "INSERT INTO experiment_status (experiment, status, changed_by, reason) VALUES (\(name), \(status), \(user), \(reason))"
            )
            try db.notify(Self.notificationChannel, payload: name)
        }
    }

    /// Every status change of `name`, oldest first.
    public func statusHistory(_ name: String) throws -> [StatusChange] {
        try connection.query(
            "SELECT status, changed_at, changed_by, reason FROM experiment_status WHERE experiment = \(name) ORDER BY changed_at, id"
        ).map { row in
            let (status, at, by, reason) = try row.decode((String, Date, String, String).self)
            return StatusChange(status: status, changedAt: at, changedBy: by, reason: reason)
        }
    }

    /// The allocation in force for `name`, nil before the first apply.
    public func currentAllocation(_ name: String) throws -> AllocationRecord? {
        try currentAllocation(name, on: connection)
    }

    /// Every allocation of `name`, oldest first: the traffic history.
    public func allocationHistory(_ name: String) throws -> [AllocationRecord] {
        try connection.query(
            """
            SELECT allocation_version, weights::text, policy, effective_from FROM allocations
            WHERE experiment = \(name) ORDER BY allocation_version
            """
        ).map(Self.allocation)
    }

    /// Writes a new allocation row (the next version) and tells the servers.
    @discardableResult
    public func recordAllocation(
        _ name: String,
        weights: [String: Double],
        policy: String,
        statisticsJSON: String,
        by user: String = "abctl"
    ) throws -> Int64 {
        try connection.transaction { db in
            guard let latest = try self.version(name) else {
                throw StorageError("There is no experiment called \"\(name)\"", advice: "Apply its spec first")
            }
            let version = try insertAllocation(
                name,
                experimentVersion: latest.version,
                weights: weights,
                policy: policy,
                statisticsJSON: statisticsJSON,
                by: user,
                on: db
            )
            try db.notify(Self.notificationChannel, payload: name)
            return version
        }
    }

    func currentStatus(_ name: String, on db: PostgresConnection) throws -> String? {
        try db.query(
            "SELECT status FROM experiment_status WHERE experiment = \(name) ORDER BY changed_at DESC, id DESC LIMIT 1"
        ).first?.decode(String.self, at: 0)
    }

    func currentAllocation(_ name: String, on db: PostgresConnection) throws -> AllocationRecord? {
        try db.query(
            """
            SELECT allocation_version, weights::text, policy, effective_from FROM allocations
            WHERE experiment = \(name) ORDER BY allocation_version DESC LIMIT 1
            """
        ).first.map(Self.allocation)
    }

    @discardableResult
    func insertAllocation(
        _ name: String,
        experimentVersion: Int,
        weights: [String: Double],
        policy: String,
        statisticsJSON: String,
        by user: String,
        effectiveFrom: Date? = nil,
        on db: PostgresConnection
    ) throws -> Int64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let weightsJSON = String(decoding: try encoder.encode(weights), as: UTF8.self)
        return try db.query(
            """
            INSERT INTO allocations (experiment, allocation_version, experiment_version, weights, policy, statistics, created_by, effective_from)
            SELECT \(name), COALESCE(max(allocation_version), 0) + 1, \(experimentVersion), \(weightsJSON)::jsonb, \(policy),
                   \(statisticsJSON)::jsonb, \(user), COALESCE(\(effectiveFrom)::timestamptz, now())
            FROM allocations WHERE experiment = \(name)
            RETURNING allocation_version
            """
        )[0].decode(Int64.self, at: 0)
    }

    static func allocation(_ row: PostgresRow) throws -> AllocationRecord {
        let (version, weightsJSON, policy, from) = try row.decode((Int64, String, String, Date).self)
        let weights = try JSONDecoder().decode([String: Double].self, from: Data(weightsJSON.utf8))
        return AllocationRecord(version: version, weights: weights, policy: policy, effectiveFrom: from)
    }
}
